"""The SQLite store's open connections: a small pool per process, healed when the file is
replaced.

Why: opening a connection costs some thirty times the read it serves, so each process keeps
its connections (one per thread using the store at once, at most :data:`POOL_SIZE` idle);
the calls run in the caller's thread, bounded by the turn's share of its deadline
(:mod:`skill.store.budget`), and the writes of one process go one at a time, so threads queue
on a lock of their own rather than inside SQLite's polling busy handler. A kept connection
must not outlive its file: before every call the file's device and inode are compared with
the ones it opened; on a difference, a missing file, or any SQLite error other than
contention, the connection is retired and the file opened again
(:mod:`skill.store.sqlite_files`). A forked child never uses or closes its parent's.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ask_sdk_core.exceptions import PersistenceException

from skill.store import sqlite_files as files
from skill.store.budget import time_left
from skill.store.sqlite_retry import FIRST_PAUSE_SECONDS, is_busy, pause

#: Idle connections kept per process: as many as deploy/gunicorn.conf.py's threads per
#: worker (more threads at once open more, closed after use).
POOL_SIZE = 8
#: A connection's busy timeout is set in steps of this many ms (:func:`busy_timeout`).
BUSY_STEP_MS = 250

#: Connections a forked child inherited: never used there, and never closed (closing would
#: release or checkpoint what the parent's copy still holds).
_INHERITED: list[sqlite3.Connection] = []

#: Every pool, so their connections are closed the careful way when the process exits.
_POOLS: weakref.WeakSet[ConnectionPool] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    """At exit, close kept connections through :func:`files.close_keeping_companions`: left
    to the garbage collector, a connection to a deleted file would remove the new file's
    ``-wal``."""
    for pool in list(_POOLS):
        pool.close()


@dataclass
class Link:
    """An open connection and the files it opened (to notice when they are replaced)."""

    connection: sqlite3.Connection
    pid: int
    file: files.FileId | None
    companions: dict[str, files.FileId | None]
    busy_ms: int = -1


class ConnectionPool:
    """Connections to the file at ``path``: ``connect`` opens one, ``prepare`` readies it
    (schema, modes); :meth:`run` runs a statement on one."""

    def __init__(
        self,
        path: str,
        busy_timeout_ms: int,
        connect: Callable[[], sqlite3.Connection],
        prepare: Callable[[sqlite3.Connection], None],
    ) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.connect = connect
        self.prepare = prepare
        #: Connections opened in this process (the tests and bench read it).
        self.opened = 0
        self._idle: list[Link] = []
        self._pid = os.getpid()
        self._pool_lock = threading.Lock()
        self._write_lock = threading.Lock()
        _POOLS.add(self)

    def _lock(self) -> contextlib.AbstractContextManager[None]:
        return files.directory_lock(self.path, self.busy_timeout_ms)

    def _open(self, stale: Link | None) -> Link:
        """Retire ``stale`` (if any), heal the file and open a new connection, all under the
        directory's lock."""
        path = self.path
        try:
            parent = os.path.dirname(path)
            if parent:
                os.makedirs(parent, mode=0o700, exist_ok=True)
            with self._lock():
                orphans: list[str] = []
                if stale is not None:
                    orphans = files.orphaned(path, stale.file, stale.companions)
                    self._close(stale)
                files.remove_orphans(path, orphans)
                files.create_file(path)
                files.keep_private(path)
                connection = self.connect()
                try:
                    self.prepare(connection)
                    link = Link(
                        connection, os.getpid(), files.file_id(path), files.companion_ids(path)
                    )
                    files.keep_private(path)
                except BaseException:
                    connection.close()
                    raise
        except (OSError, sqlite3.Error) as error:
            raise PersistenceException(f"cannot open the SQLite store: {error}") from error
        self.opened += 1
        return link

    def _close(self, link: Link) -> None:
        files.close_keeping_companions(self.path, link.connection, link.companions)

    def _retire(self, link: Link) -> None:
        with contextlib.suppress(PersistenceException), self._lock():
            self._close(link)

    def _after_fork(self) -> None:
        """In a forked child, forget (never use or close) the parent's connections."""
        if self._pid == os.getpid():
            return
        _INHERITED.extend(link.connection for link in self._idle)
        self._idle = []
        self._pool_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._pid = os.getpid()

    def _take(self) -> Link:
        """A connection to the file as it is now: a kept one, or a new one (healing)."""
        self._after_fork()
        with self._pool_lock:
            link = self._idle.pop() if self._idle else None
        if link is not None and files.file_id(self.path) == link.file:
            return link
        return self._open(link)

    def _give(self, link: Link) -> None:
        with self._pool_lock:
            if len(self._idle) < POOL_SIZE and link.pid == os.getpid():
                self._idle.append(link)
                return
        self._retire(link)

    def close(self) -> None:
        """Close the kept connections (the next call opens a new one)."""
        self._after_fork()
        with self._pool_lock:
            idle, self._idle = self._idle, []
        for link in idle:
            self._retire(link)

    def run(self, action: Callable[[sqlite3.Connection], Any], write: bool = False) -> Any:
        """``action`` on a kept connection, within the call's time. Contention is waited out
        (with backoff) until then; any other fault retires the connection, so the next call
        opens the file afresh."""
        limit = time_left(self.busy_timeout_ms / 1000)
        ends = time.monotonic() + limit
        if write and not self._write_lock.acquire(timeout=max(limit, 0.001)):
            raise PersistenceException("SQLite store: this process's writes queued too long")
        try:
            link = self._take()
            try:
                result = self._attempt(link, action, ends)
            except sqlite3.Error as error:
                if is_busy(error):
                    self._give(link)
                else:
                    self._retire(link)
                raise PersistenceException(f"SQLite store failed: {error}") from error
            except BaseException:
                self._retire(link)
                raise
            self._give(link)
            return result
        finally:
            if write:
                self._write_lock.release()

    def _attempt(self, link: Link, action: Callable[[sqlite3.Connection], Any], ends: float) -> Any:
        prepared = False
        wait = FIRST_PAUSE_SECONDS
        while True:
            left = ends - time.monotonic()
            busy_ms = busy_timeout(link.busy_ms, min(self.busy_timeout_ms, int(left * 1000)))
            if busy_ms != link.busy_ms:
                link.connection.execute(f"PRAGMA busy_timeout = {busy_ms}")
                link.busy_ms = busy_ms
            try:
                return action(link.connection)
            except sqlite3.OperationalError as error:
                text = str(error)
                if ("no such table" in text or "no such column" in text) and not prepared:
                    prepared = True  # the table was dropped under us: make the schema again
                    self.prepare(link.connection)
                    link.busy_ms = self.busy_timeout_ms
                    continue
                left = ends - time.monotonic()
                if not is_busy(error) or left <= 0:
                    raise
            wait = pause(left, wait)


def busy_timeout(current_ms: int, limit_ms: int) -> int:
    """The busy timeout a connection set to ``current_ms`` should have for a call that may
    wait ``limit_ms``: the current one if it does not overrun the limit and is at least half
    of it, else the limit rounded down to a step of :data:`BUSY_STEP_MS` (at least 1 ms).

    Why: setting it is a statement of its own, and every call's limit differs by a few ms
    (a read gets less of the turn than a write), so following the limit exactly set it twice
    a turn. A shorter timeout than allowed loses nothing: :meth:`ConnectionPool._attempt`
    keeps retrying until the call's time is up."""
    if 0 < current_ms <= limit_ms and current_ms * 2 >= limit_ms:
        return current_ms
    if limit_ms < BUSY_STEP_MS:
        return max(1, limit_ms)
    return limit_ms - limit_ms % BUSY_STEP_MS
