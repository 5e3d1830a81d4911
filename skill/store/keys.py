"""The storage key for a person: a hash of the Alexa user id, the same for every backend.

The Alexa user id is already an opaque, per-skill id; hashing it means a copy of the store
does not hold the id Alexa sends in every request (so it can't be joined with request logs),
and no other personal data is kept with it.
"""

from __future__ import annotations

import hashlib

from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

KEY_PREFIX = "u1:"  # versioned, so the scheme can change without clashing with old keys


def user_key(request_envelope: RequestEnvelope) -> str:
    """``u1:`` + SHA-256 hex of the Alexa user id of ``request_envelope``."""
    try:
        user_id = request_envelope.context.system.user.user_id
    except AttributeError as error:
        raise PersistenceException("request has no user id to store attributes under") from error
    if not user_id:
        raise PersistenceException("request has no user id to store attributes under")
    return KEY_PREFIX + hashlib.sha256(user_id.encode("utf-8")).hexdigest()
