export const SEARCH_DESCRIPTION = "Search the user's notes by keyword.";
export const TAG_DESCRIPTION = "List the tags in use.";
export const TOOL_NAMES = { tags: "list_tags" } as const;
