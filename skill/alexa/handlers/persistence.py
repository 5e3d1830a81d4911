"""Load a person's persistent attributes before the turn; store them before answering.

Why this shape: dialog functions see a plain dict (``Turn.persistent``) and never call the
store; there is one read and at most one write per turn. The write happens *before* the
answer is rendered (:func:`commit`, called by the dialog handler), so the answer can say what
was really stored: a reply that claims a save carries ``Reply.unsaved``, what to say instead
when the write fails. A store fault costs only the memory, never the answer
(:class:`skill.store.safe.SafeAdapter`), and both the read and the write take their share of
the turn's one deadline (:mod:`skill.core.deadline`), so a hung store cannot hold the answer.

The write is conditional on the version read (:mod:`skill.store.versioned`): if another turn
of the same person wrote meanwhile, the turn's change, the difference between the record as
read and as left, is re-applied to the fresh record by :func:`skill.core.memory.rebase`.

What the turn changed is found in time independent of the record's size (the cramp log may
hold hundreds of entries, and most turns never read it): the record as read is kept as a
shallow copy, and :mod:`skill.core.memory`, the only code that writes the record, replaces a
top-level value rather than changing it in place, so a value still the same object is
unchanged (copy-on-write), and only a replaced one is compared.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from ask_sdk_core.dispatch_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa.scope import Memory, scope_of
from skill.core.cramp_log import drop_cramp_log
from skill.core.deadline import STORE_READ_SECONDS, TimedOut, run_inline, run_within
from skill.core.memory import forget_stale_injury, is_empty, rebase
from skill.store.safe import Loaded, SafeAdapter

T = TypeVar("T")


def changed(base: dict[str, Any], attributes: dict[str, Any]) -> bool:
    """Whether ``attributes`` differ from ``base``, the record as read; a value that is still
    the same object is unchanged (the memory functions replace values, never edit them), so
    this costs nothing per cramp-log entry unless the log itself was replaced."""
    if base.keys() != attributes.keys():
        return True
    for key, value in attributes.items():
        old = base[key]
        if value is old:
            continue
        try:
            # DynamoDB hands numbers back as Decimal: Decimal(5) == 5, as it should be.
            if type(value) is not type(old) and not _numbers(value, old):
                return True
            if value != old:
                return True
        except Exception:  # an uncomparable value: write it (a failure is a store fault)
            return True
    return False


def _numbers(*values: Any) -> bool:
    return all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values)


def _bounded(adapter: SafeAdapter, call: Callable[[], T], seconds: float) -> T:
    """``call`` within ``seconds``: in this thread for a store that bounds its own waits
    (SQLite), else in a worker thread the turn stops waiting for."""
    if adapter.runs_inline:
        return run_inline(call, seconds)
    return run_within(call, seconds)


class LoadMemoryInterceptor(AbstractRequestInterceptor):
    """Read the person's attributes once; None in the turn when the store failed or was too
    slow for the turn's deadline."""

    def __init__(self, adapter: SafeAdapter, cramp_log: bool = True) -> None:
        self.adapter = adapter
        #: False: the operator turned the cramp log off, so cramps kept under an earlier
        #: setting are dropped on the person's next turn (a change, so it is written).
        self.cramp_log = cramp_log

    def process(self, handler_input: HandlerInput) -> None:
        scope = scope_of(handler_input)
        memory = scope.memory = Memory(self.adapter)
        envelope = handler_input.request_envelope
        seconds = min(STORE_READ_SECONDS, scope.deadline.remaining())
        try:
            loaded = _bounded(
                self.adapter, lambda: self.adapter.try_get(envelope, now=time.time()), seconds
            )
        except TimedOut as error:
            self.adapter.failed("get", error)
            loaded = Loaded({}, ok=False)
        if not loaded.ok:
            return
        memory.attributes = loaded.attributes
        memory.base = dict(loaded.attributes)  # shallow: values are replaced, never edited
        memory.version = loaded.version
        memory.refresh_due = loaded.refresh_due
        if not self.cramp_log:
            drop_cramp_log(loaded.attributes)
        stamp = getattr(envelope.request, "timestamp", None)
        now = stamp.timestamp() if isinstance(stamp, datetime) else time.time()
        forget_stale_injury(loaded.attributes, now)
        # Share the same dict with the SDK's cache, so code using it sees the same data.
        handler_input.attributes_manager.persistent_attributes = loaded.attributes


def commit(handler_input: HandlerInput) -> bool | None:
    """Write the turn's changes to the store now, once per turn.

    True when stored (or deleted, for an emptied record), False when the store failed or the
    turn's deadline left no time, None when there was nothing to write (no store, nothing
    loaded, nothing changed, or already committed)."""
    scope = scope_of(handler_input)
    memory = scope.memory
    if memory is None or memory.committed:
        return None
    memory.committed = True
    attributes = memory.attributes
    if attributes is None:
        return None
    if not memory.refresh_due and not changed(memory.base, attributes):
        return None
    adapter, base = memory.store, memory.base
    envelope = handler_input.request_envelope
    operation = "delete" if is_empty(attributes) else "save"
    if operation == "delete":
        write = lambda: adapter.try_delete(envelope)  # noqa: E731
    else:
        write = lambda: adapter.try_save(  # noqa: E731
            envelope, attributes, memory.version, lambda fresh: rebase(base, attributes, fresh)
        )
    try:
        return bool(_bounded(adapter, write, scope.deadline.remaining()))
    except TimedOut as error:
        adapter.failed(operation, error)
        return False


class SaveMemoryInterceptor(AbstractResponseInterceptor):
    """Commit for handlers that did not (the dialog handlers commit before answering)."""

    def __init__(self, adapter: SafeAdapter) -> None:
        self.adapter = adapter

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        commit(handler_input)
