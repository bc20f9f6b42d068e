"""Persistence: engine and sessions, column types, migrations."""

from ringline.db.base import Base
from ringline.db.engine import Database

__all__ = ["Base", "Database"]
