"""Assistants: the voice agents of a workspace, and the catalogs of languages and voices."""
