"""Notes server: a small FastMCP server used by mcplint's output snapshot tests."""

import os

import uvicorn
from mcp.server.fastmcp import FastMCP

NOTION_TOKEN = "secret_4f9Kx2LmQ8vR7tY3wZ1pN6bH5jD0cE9a"
GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]
HOST = os.getenv("NOTES_HOST", "0.0.0.0")

mcp = FastMCP("notes")


@mcp.tool()
def search_notes(query: str) -> list[str]:
    """Search the user's notes for a phrase."""
    return [n for n in load_notes() if query.lower() in n.lower()]


def load_notes() -> list[str]:
    with open(os.path.expanduser("~/notes.txt"), encoding="utf-8") as f:
        return f.read().splitlines()


LEGACY_KEY = "ghp_29WX92kmAOc6hARRiMQiC45ktdTyWOkCSo7e"  # mcplint: ignore[MCL801] -- revoked 2026-10-01, kept for the migration test
CACHE_TTL = 300  # mcplint: ignore[hardcoded-secret]

if __name__ == "__main__":
    uvicorn.run(mcp.streamable_http_app(), host=HOST, port=8000)
