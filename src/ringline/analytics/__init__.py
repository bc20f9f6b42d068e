"""Reading many calls at once: the call history and its counts."""
