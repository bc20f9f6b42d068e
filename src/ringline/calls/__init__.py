"""Calls: placing them, their lifecycle, transcripts and outcomes."""
