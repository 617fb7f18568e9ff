import express from "express";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

const server = new McpServer({ name: "café-notes", version: "1.0.0" });

server.registerTool(
  "get_note",
  { description: "Fetch one note by id", inputSchema: { id: z.string() } },
  async ({ id }) => ({ content: [{ type: "text", text: `note ${id}` }] }),
);

const app = express();
app.use(express.json());
app.post("/mcp", async (req, res) => {
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});

const PORT = Number(process.env.PORT ?? 3000);
app.listen(PORT, () => console.log(`notes MCP server on :${PORT}`));
