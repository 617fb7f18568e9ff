import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { defineTool } from "../lib/define.js";
import { SEARCH_DESCRIPTION, TAG_DESCRIPTION, TOOL_NAMES } from "../texts.js";

const NOTES = ["groceries", "todo"];

export function registerNoteTools(server: McpServer): void {
  defineTool(server, "search_notes", SEARCH_DESCRIPTION, { query: z.string().max(200) }, async ({ query }) =>
    NOTES.filter((n) => n.includes(query)).join("\n"),
  );
  defineTool(server, TOOL_NAMES.tags, TAG_DESCRIPTION, {}, async () => "todo");
}
