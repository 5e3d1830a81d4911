"""The storage key for a person: a hash of the Alexa id, the same for every backend.

When Alexa recognised the speaker's voice profile (``context.System.person``), the key is
that person's: on a shared speaker (a family's, a gym's) each recognised person gets their
own hold length and cramp log, rather than one history mixed from everyone on the account.
Otherwise it is the account's user id.

The Alexa ids are already opaque and per-skill; hashing them means a copy of the store does
not hold the ids Alexa sends in every request (so it can't be joined with request logs), and
no other personal data is kept with them.
"""

from __future__ import annotations

import hashlib

from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

# Versioned prefixes, so the scheme can change without clashing with old keys.
KEY_PREFIX = "u1:"
PERSON_KEY_PREFIX = "p1:"


def user_key(request_envelope: RequestEnvelope) -> str:
    """``p1:`` + SHA-256 hex of the recognised person's id, else ``u1:`` + that of the
    account's user id."""
    system = getattr(getattr(request_envelope, "context", None), "system", None)
    person_id = getattr(getattr(system, "person", None), "person_id", None)
    if person_id:
        return PERSON_KEY_PREFIX + _digest(person_id)
    user_id = getattr(getattr(system, "user", None), "user_id", None)
    if not user_id:
        raise PersistenceException("request has no user id to store attributes under")
    return KEY_PREFIX + _digest(user_id)


def _digest(identifier: str) -> str:
    return hashlib.sha256(identifier.encode("utf-8")).hexdigest()
