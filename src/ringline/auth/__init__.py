"""Workspaces' API keys: creation, hashing, scopes, authentication and rate limits."""
