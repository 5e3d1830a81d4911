"""The shape an envelope needs before the SDK's deserializer may see it, and the answer to
one that cannot be read: shared by the Flask and Lambda hosts.

Why: the SDK answers garbage with exceptions (and JSON nested thousands deep with a
RecursionError), so each host checks first and answers a bad envelope itself: Flask with a
400, Lambda (which has no status code) with :func:`unreadable_response`.
"""

from __future__ import annotations

from typing import Any

from skill.core.catalogue import catalogue_for
from skill.core.ssml import text, wrap

#: Alexa's envelopes nest about 10 deep; far deeper JSON would only exhaust the recursion of
#: the SDK's (de)serializers.
MAX_JSON_DEPTH = 64
#: Request types that expect speech; any other gets an empty response (no speech allowed).
SPOKEN_REQUEST_TYPES = frozenset({"LaunchRequest", "IntentRequest"})

_CONTAINERS = (dict, list)


def looks_like_envelope(envelope: Any) -> bool:
    """Enough shape for the SDK's deserializer: an object, not too deep, with a request type."""
    if not isinstance(envelope, dict) or not shallow(envelope, MAX_JSON_DEPTH):
        return False
    req = envelope.get("request")
    return isinstance(req, dict) and isinstance(req.get("type"), str)


def shallow(value: Any, limit: int) -> bool:
    """True if no JSON container nests deeper than ``limit`` (iterative: no recursion).

    Only containers are stacked, and a tuple is given to isinstance (faster than ``dict | list``
    on 3.11): this runs on every request, before the envelope is deserialised.
    """
    if not isinstance(value, _CONTAINERS):
        return True
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, _CONTAINERS):
                stack.append((child, depth + 1))
    return True


def unreadable_response(envelope: Any) -> dict[str, Any]:
    """A valid response envelope for a request the skill could not read or answer: the
    safety sentence and the apology where speech is expected, else an empty response."""
    request = envelope.get("request") if isinstance(envelope, dict) else None
    kind = request.get("type") if isinstance(request, dict) else None
    # Any JSON may stand there, an object or array too (unhashable: no set lookup).
    if not isinstance(kind, str) or kind not in SPOKEN_REQUEST_TYPES:
        return {"version": "1.0", "response": {}}
    locale = request.get("locale") if isinstance(request, dict) else None
    words = catalogue_for(locale if isinstance(locale, str) else None)
    speech = wrap(text(words.text("safety_first"), words.text("error")))
    return {
        "version": "1.0",
        "response": {
            "outputSpeech": {"type": "SSML", "ssml": speech},
            "shouldEndSession": True,
        },
    }
