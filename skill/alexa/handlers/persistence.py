"""Load a person's persistent attributes before the turn, save them after it if they changed.

Why interceptors: dialog functions then see a plain dict (``Turn.persistent``) and never call
the store, there is one read and at most one write per turn, and a store fault costs only the
memory, never the answer (see :class:`skill.store.safe.SafeAdapter`).

The write is conditional on the version read (:mod:`skill.store.versioned`): if another turn
of the same person wrote meanwhile, the turn's change, the difference between the record as
read and as left, is re-applied to the fresh record by :func:`skill.core.memory.rebase`.
"""

from __future__ import annotations

import copy
import json
import time
from typing import Any

from ask_sdk_core.dispatch_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SsmlOutputSpeech

from skill.alexa.handlers.base import PERSISTENT_KEY
from skill.core.memory import is_empty, rebase
from skill.core.ssml import text, wrap
from skill.store.safe import SafeAdapter
from skill.store.values import json_default

DELETE_FAILED = (
    "Sorry, I couldn't delete your history just now.",
    "Please ask me again later.",
)

#: Request attribute holding the attributes as loaded, to tell whether the turn changed them.
LOADED_KEY = "persistent_as_loaded"
#: Request attribute holding what the store read: a copy of the attributes (the base of the
#: turn's change), their version and whether the record's expiry is due to be renewed.
READ_KEY = "persistent_read"


def _snapshot(attributes: Any) -> str | None:
    """A comparable form of the attributes; None if they hold something unstorable (the
    save is then attempted, and fails as a logged store fault rather than a lost turn)."""
    try:
        # DynamoDB hands numbers back as Decimal: compare them as the numbers they are.
        return json.dumps(attributes, sort_keys=True, default=json_default)
    except (TypeError, ValueError):
        return None


class LoadMemoryInterceptor(AbstractRequestInterceptor):
    """Read the person's attributes once; None in the turn when the store failed."""

    def __init__(self, adapter: SafeAdapter) -> None:
        self.adapter = adapter

    def process(self, handler_input: HandlerInput) -> None:
        loaded = self.adapter.try_get(handler_input.request_envelope, now=time.time())
        request_attributes = handler_input.attributes_manager.request_attributes
        if not loaded.ok:
            request_attributes[PERSISTENT_KEY] = None
            return
        request_attributes[PERSISTENT_KEY] = loaded.attributes
        request_attributes[LOADED_KEY] = _snapshot(loaded.attributes)
        request_attributes[READ_KEY] = (
            copy.deepcopy(loaded.attributes),
            loaded.version,
            loaded.refresh_due,
        )
        # Share the same dict with the SDK's cache, so code using it sees the same data.
        handler_input.attributes_manager.persistent_attributes = loaded.attributes


class SaveMemoryInterceptor(AbstractResponseInterceptor):
    """Write the attributes back if the turn changed them; an emptied record is deleted."""

    def __init__(self, adapter: SafeAdapter) -> None:
        self.adapter = adapter

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        request_attributes = handler_input.attributes_manager.request_attributes
        attributes = request_attributes.get(PERSISTENT_KEY)
        loaded = request_attributes.get(LOADED_KEY)
        if attributes is None or LOADED_KEY not in request_attributes:
            return
        base, version, refresh_due = request_attributes.get(READ_KEY, ({}, None, False))
        current = _snapshot(attributes)
        if current is not None and current == loaded and not refresh_due:
            return
        envelope = handler_input.request_envelope
        if is_empty(attributes):
            if not self.adapter.try_delete(envelope) and response is not None:
                # The reply promised deletion: don't claim what the store didn't do.
                response.output_speech = SsmlOutputSpeech(ssml=wrap(text(*DELETE_FAILED)))
        else:
            self.adapter.try_save(
                envelope, attributes, version, lambda fresh: rebase(base, attributes, fresh)
            )
