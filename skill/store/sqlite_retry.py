"""Waiting out another process's lock on the SQLite file, within the call's time.

Why: "database is locked" says nothing about the file's health, only that another worker
process writes now; a healthy store must not refuse a turn's write for it. SQLite's own busy
handler does not cover every statement (changing the journal mode answers "locked" at once),
so such statements are retried here with a jittered, doubling pause, until the turn's share
of its deadline (:mod:`skill.store.budget`) is spent.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from skill.store.budget import time_left

#: Longest pause between two tries of a statement that met another process's lock.
MAX_PAUSE_SECONDS = 0.05
FIRST_PAUSE_SECONDS = 0.002


def is_busy(error: BaseException) -> bool:
    """Contention ("database is locked"/"busy"), which says nothing about the file."""
    text = str(error)
    return "locked" in text or "busy" in text


def pause(left: float, previous: float) -> float:
    """Sleep a jittered ``previous`` (at most ``left``); the next, doubled pause."""
    time.sleep(max(0.0, min(left, previous * random.uniform(0.5, 1.5))))
    return min(MAX_PAUSE_SECONDS, previous * 2)


def retry_locked(
    action: Callable[[sqlite3.Connection], Any],
    connection: sqlite3.Connection,
    default_seconds: float,
) -> Any:
    """``action``, tried again while another process holds the lock, for the call's time
    (``default_seconds`` outside a turn)."""
    ends = time.monotonic() + time_left(default_seconds)
    wait = FIRST_PAUSE_SECONDS
    while True:
        try:
            return action(connection)
        except sqlite3.OperationalError as error:
            left = ends - time.monotonic()
            if not is_busy(error) or left <= 0:
                raise
        wait = pause(left, wait)
