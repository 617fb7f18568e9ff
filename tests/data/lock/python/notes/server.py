from fastmcp import FastMCP

from notes.texts import SEARCH_DESCRIPTION

notes = FastMCP("notes")


@notes.tool(description=SEARCH_DESCRIPTION)
def search(query: str) -> list[str]:
    return [query]
