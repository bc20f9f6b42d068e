"""Workspaces: the tenants, their plan and their usage."""
