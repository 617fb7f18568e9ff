SEARCH_DESCRIPTION = "Search the user's notes by keyword."
