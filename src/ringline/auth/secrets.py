"""API key secrets: random, shown once, stored only as a hash.

The secrets carry 256 random bits, so a fast SHA-256 is as safe as a slow password
hash here and lets a request find its key with one indexed lookup.
"""

import hashlib
import secrets

KEY_PREFIX = "rl_"


def generate_secret() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def display_prefix(secret: str) -> str:
    return secret[:10]
