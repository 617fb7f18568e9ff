from fastmcp import FastMCP

from notes.ops import archive_note
from notes.server import notes

main = FastMCP("workspace")
main.mount(notes, prefix="notes")
main.add_tool(archive_note)

if __name__ == "__main__":
    main.run()
