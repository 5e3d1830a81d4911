"""One wall-clock budget per turn for everything that waits on another machine.

Why: Alexa drops an answer that takes more than 8 s, and per-call timeouts do not add up to
a per-turn bound: ``requests`` applies its timeout to each socket read (a server trickling
one byte every half second never trips it), and a hung store costs its timeout times its
retries on every call. So a turn starts one :class:`Deadline`, store reads and writes and
Alexa API calls each take their share of what is left, and :func:`run_within` enforces the
share as a hard cap: the call runs in a worker thread that the turn stops waiting for when
its time is up. Past the deadline the turn answers with what it has.

A worker that overruns keeps running until its own call gives up (the store's or the HTTP
client's timeouts end it); at most :data:`MAX_WORKERS` such calls run at once per process, so
a hung dependency cannot pile up threads: past that, calls fail at once as :class:`TimedOut`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from skill.store import budget

T = TypeVar("T")

#: Store and Alexa API time one turn may spend in all. With the skill's own work (a few
#: milliseconds) and the host's, every answer leaves well inside Alexa's 8 s, under ~6 s.
TURN_BUDGET_SECONDS = 4.0
#: The store read comes first and must leave time for the rest of the turn.
STORE_READ_SECONDS = 1.5
#: Alexa API calls stop this long before the deadline, so the save still has time.
SAVE_RESERVE_SECONDS = 1.0
#: Calls in flight at once per process (abandoned ones included).
MAX_WORKERS = 32


class TimedOut(Exception):
    """The call did not finish within its share of the turn (or could not start)."""


class Deadline:
    """When this turn's waiting must end. ``clock`` is injectable for tests."""

    def __init__(
        self, budget: float = TURN_BUDGET_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._clock = clock
        self.ends_at = clock() + budget

    def remaining(self, reserve: float = 0.0) -> float:
        """Seconds left, keeping ``reserve`` back for what must come later (never negative)."""
        return max(0.0, self.ends_at - self._clock() - reserve)


_workers = threading.BoundedSemaphore(MAX_WORKERS)


def _reset_after_fork() -> None:
    # A forked worker process inherits no threads: it starts with every slot free.
    global _workers
    _workers = threading.BoundedSemaphore(MAX_WORKERS)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def run_within(call: Callable[[], T], seconds: float) -> T:
    """``call()``'s result, or :class:`TimedOut` once ``seconds`` have passed without one.

    Exceptions of ``call`` are raised here as they were raised there."""
    if seconds <= 0:
        raise TimedOut("no time left this turn")
    slots = _workers
    if not slots.acquire(blocking=False):
        raise TimedOut("too many calls still waiting on a slow dependency")
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed to the waiting turn below
            outcome["error"] = error
        finally:
            slots.release()

    worker = threading.Thread(target=work, name="cramp-coach-io", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimedOut(f"gave up after {seconds:.2f}s")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def run_inline(call: Callable[[], T], seconds: float) -> T:
    """``call()`` in this thread, for a store that bounds its own waits by the time it is
    given (:mod:`skill.store.budget`): a local SQLite file needs no worker thread."""
    if seconds <= 0:
        raise TimedOut("no time left this turn")
    with budget.within(seconds):
        return call()
