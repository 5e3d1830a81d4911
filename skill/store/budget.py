"""How long the store call running now may still wait, for stores that run in the turn's own
thread.

Why: a local SQLite file needs no worker thread to bound its waits (starting one per call
cost more than the call). The turn hands its share of the deadline down with
:func:`within`; the store caps its lock waits with :func:`time_left`. Outside a turn (tests,
tools) the store's own default applies.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_ends_at: ContextVar[float | None] = ContextVar("cramp_coach_store_call_ends_at", default=None)


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Store calls made inside the block may wait ``seconds`` in all."""
    token = _ends_at.set(time.monotonic() + max(0.0, seconds))
    try:
        yield
    finally:
        _ends_at.reset(token)


def time_left(default: float) -> float:
    """Seconds the current store call may still wait: what :func:`within` allows, or
    ``default`` outside it (never negative)."""
    ends_at = _ends_at.get()
    if ends_at is None:
        return max(0.0, default)
    return max(0.0, ends_at - time.monotonic())
