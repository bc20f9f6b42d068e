"""Imported first by the ``ringline`` command, before anything loads Pipecat.

Pipecat logs through loguru from its import on: a banner, then dozens of DEBUG lines for
every call. Until ``--log-level`` says otherwise, loguru prints warnings and errors only.
"""

import sys

from loguru import logger

logger.remove()
logger.add(sys.stderr, level="WARNING")
