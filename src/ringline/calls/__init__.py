"""Calls: placing them, their lifecycle, transcripts and outcomes.

Importing the package registers ``retries.retry_if_wanted`` with the call lifecycle, so
a busy or unanswered call that asked for retries is placed again as it ends.
"""

from ringline.calls import retries

__all__ = ["retries"]
