"""Campaigns: contact lists dialed inside calling windows, with pacing and retries.

Importing the package registers ``progress.call_ended`` with the call lifecycle, so a
campaign's call settles its contact in the transaction of its final status.
"""

from ringline.campaigns import progress

__all__ = ["progress"]
