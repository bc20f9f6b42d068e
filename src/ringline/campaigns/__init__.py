"""Campaigns: contact lists dialed inside calling windows, with pacing and retries."""
