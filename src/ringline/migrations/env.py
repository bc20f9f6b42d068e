"""Alembic environment: runs on the connection handed over by ``ringline.migrations``."""

from alembic import context

import ringline.models  # noqa: F401  (registers every table on the metadata)
from ringline.db.base import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
