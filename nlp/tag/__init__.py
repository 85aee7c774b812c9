"""Stage package (being written)."""
