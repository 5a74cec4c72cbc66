"""One Textual screen per step of the dance."""
