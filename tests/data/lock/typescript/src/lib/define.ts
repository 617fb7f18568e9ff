import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ZodRawShape } from "zod";

// Every tool is registered here so that calls are logged in one place.
export function defineTool(
  server: McpServer,
  name: string,
  description: string,
  inputSchema: ZodRawShape,
  run: (args: any) => Promise<string>,
): void {
  server.registerTool(name, { description, inputSchema }, async (args: any) => {
    console.error(`tool call: ${name}`);
    return { content: [{ type: "text" as const, text: await run(args) }] };
  });
}
