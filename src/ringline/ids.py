"""Public identifiers: a type prefix and 16 random base-62 characters (about 95 bits)."""

import secrets
import string

ALPHABET = string.ascii_lowercase + string.ascii_uppercase + string.digits


def new_id(prefix: str) -> str:
    return f"{prefix}_" + "".join(secrets.choice(ALPHABET) for _ in range(16))
