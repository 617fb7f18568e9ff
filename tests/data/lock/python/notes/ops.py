def archive_note(note_id: str) -> str:
    """Move a note to the archive."""
    return note_id
