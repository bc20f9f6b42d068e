"""Calls: placing them, their lifecycle, transcripts and outcomes.

Importing the package registers ``retries.retry_if_wanted`` and
``callbacks.place_callback`` with the call lifecycle, so a busy or unanswered call that
asked for retries is placed again as it ends, and a call back asked for is placed.
"""

from ringline.calls import callbacks, retries

__all__ = ["callbacks", "retries"]
