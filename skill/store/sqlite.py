"""The embedded store for the Flask host: one SQLite file, safe for several worker processes.

Why this shape: gunicorn runs several processes that may answer the same person, so every
save is a single statement (its own transaction) and the file is in WAL mode (readers never
block the writer). Each process keeps a small pool of open connections (one per thread that
uses the store at once, at most :data:`POOL_SIZE` kept idle): opening one costs some thirty
times the read it serves. The calls run in the caller's thread, their lock waits bounded by
the turn's share of its deadline (:mod:`skill.store.budget`), and writes of one process go
one at a time, so threads never queue inside SQLite's polling busy handler.

Two turns of one person at once (two devices) must not erase each other's change: each row
carries a ``version``, and :meth:`SQLiteAdapter.write` is one conditional statement that
lands only on the version the turn read (see :mod:`skill.store.versioned`).

A kept connection must not outlive its file. Before every call the store compares the
file's device and inode with the ones it opened; on a difference, a missing file or any
SQLite error other than contention it closes the connection and opens the file again,
healing without a restart (docs/reliability.md). Companion ``-wal``/``-shm`` files left by a
deleted or replaced main file belong to no live database and are removed first: SQLite would
otherwise apply the old WAL to the new file ("disk I/O error" on every turn) or share the old
``-shm`` with the connections still mapping it (SIGBUS). Opening and healing hold a lock on
the store's directory, so the worker processes heal one at a time.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import os
import random
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from skill.store import packed_log
from skill.store.budget import time_left
from skill.store.keys import user_key
from skill.store.values import json_default
from skill.store.versioned import Conflict, Record

#: How long one statement waits for another process's lock (and a call, outside a turn).
BUSY_TIMEOUT_MS = 2000
#: Idle connections kept per process: as many as deploy/gunicorn.conf.py's threads per
#: worker (more threads at once open more, closed after use).
POOL_SIZE = 8
#: Longest pause between two tries of a statement that met another process's lock.
MAX_PAUSE_SECONDS = 0.05
_COMPANIONS = ("-wal", "-shm")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS attributes (
    id TEXT PRIMARY KEY,
    attributes TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    cramp_log BLOB
)
"""
#: Columns later versions added, and how an older file gets them: rows from before versions
#: count as version 0; rows from before the packed log keep it in their document
#: (skill/store/packed_log.py).
_ADDED_COLUMNS = {
    "version": "ALTER TABLE attributes ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
    "cramp_log": "ALTER TABLE attributes ADD COLUMN cramp_log BLOB",
}
#: The first write of a person: lands if there is no row, or a row at version 0.
_INSERT_FIRST = """
INSERT INTO attributes (id, attributes, cramp_log, updated_at, version) VALUES (?, ?, ?, ?, 1)
ON CONFLICT (id) DO UPDATE SET attributes = excluded.attributes,
    cramp_log = excluded.cramp_log, updated_at = excluded.updated_at, version = 1
WHERE attributes.version = 0
"""
#: The SDK's plain save: last writer wins, but the version still moves on.
_UPSERT = """
INSERT INTO attributes (id, attributes, cramp_log, updated_at, version) VALUES (?, ?, ?, ?, 1)
ON CONFLICT (id) DO UPDATE SET attributes = excluded.attributes,
    cramp_log = excluded.cramp_log, updated_at = excluded.updated_at,
    version = attributes.version + 1
"""
#: Any later write: lands only on the version the turn read.
_UPDATE_VERSION = """
UPDATE attributes SET attributes = ?, cramp_log = ?, updated_at = ?, version = version + 1
WHERE id = ? AND version = ?
"""

FileId = tuple[int, int]

#: Connections a forked child inherited: never used there, and never closed (closing would
#: release or checkpoint what the parent's copy still holds).
_INHERITED: list[sqlite3.Connection] = []


#: Every adapter, so their connections are closed the careful way when the process exits.
_ADAPTERS: weakref.WeakSet[SQLiteAdapter] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    """At exit, close kept connections through :meth:`SQLiteAdapter._close`: left to the
    garbage collector, a connection to a deleted file would remove the new file's ``-wal``."""
    for adapter in list(_ADAPTERS):
        adapter.close()


def _file_id(path: str) -> FileId | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def _is_busy(error: BaseException) -> bool:
    """Contention ("database is locked"/"busy"), which says nothing about the file."""
    text = str(error)
    return "locked" in text or "busy" in text


@dataclass
class _Link:
    """An open connection and the files it opened (to notice when they are replaced)."""

    connection: sqlite3.Connection
    pid: int
    file: FileId | None
    companions: dict[str, FileId | None]
    busy_ms: int = -1


class SQLiteAdapter(AbstractPersistenceAdapter):
    """Persistent attributes as one JSON document per person in a SQLite file."""

    #: Calls run in the turn's own thread, bounded by :func:`skill.store.budget.within`.
    runs_inline = True

    def __init__(
        self,
        path: str | os.PathLike[str],
        keygen: Callable[[RequestEnvelope], str] = user_key,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> None:
        # os.path, not pathlib: one import less on the Lambda cold-start path.
        self.path = os.path.expanduser(os.fspath(path))
        self.keygen = keygen
        self.busy_timeout_ms = busy_timeout_ms
        #: Connections this adapter opened in this process (the tests and bench read it).
        self.connections_opened = 0
        self._idle: list[_Link] = []
        self._pid = os.getpid()
        self._pool_lock = threading.Lock()
        self._write_lock = threading.Lock()
        _ADAPTERS.add(self)

    # --- the file, its directory and its modes ---------------------------------------------

    def _check_creatable(self) -> None:
        """Raise unless the file could be created: its nearest existing ancestor must be a
        directory we may write to."""
        ancestor = os.path.dirname(os.path.abspath(self.path))
        while not os.path.exists(ancestor):
            ancestor = os.path.dirname(ancestor)
        if not os.path.isdir(ancestor) or not os.access(ancestor, os.W_OK | os.X_OK):
            raise PersistenceException("the SQLite store's directory cannot be written")

    def _create_file(self) -> None:
        """Make an owner-only file before SQLite creates it world-readable."""
        if not os.path.exists(self.path):
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))

    def _keep_private(self) -> None:
        """Owner-only modes for the file and its ``-wal``/``-shm``. SQLite gives those the main
        file's mode when it makes them, so a file made read-only for a while leaves read-only
        companions that keep every write failing after the main file is writable again; and a
        file SQLite re-created itself would be world-readable."""
        writable = os.access(self.path, os.W_OK)
        for path in (self.path, self.path + "-wal", self.path + "-shm"):
            try:
                mode = os.stat(path).st_mode & 0o777
            except OSError:
                continue
            wanted = mode & 0o700
            if writable and path != self.path:
                wanted = 0o600
            if wanted != mode:
                # Not ours to change? Then the write that follows reports the fault.
                with contextlib.suppress(OSError):
                    os.chmod(path, wanted)

    @contextlib.contextmanager
    def _directory_lock(self) -> Iterator[None]:
        """Hold the store directory's lock (flock): one process at a time opens, heals or
        retires a connection. Bounded by the call's time; without a directory, no lock."""
        directory = os.path.dirname(os.path.abspath(self.path))
        try:
            handle = os.open(directory, os.O_RDONLY)
        except OSError:
            yield
            return
        try:
            ends = time.monotonic() + max(0.05, time_left(self.busy_timeout_ms / 1000))
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= ends:
                        raise PersistenceException("another process is healing the store") from None
                    time.sleep(0.002)
            yield
        finally:
            os.close(handle)  # releases the lock

    # --- connections -------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        """A new connection (a hook the fault tests override). isolation_level=None:
        autocommit, so each statement is one transaction; shared across threads one at a
        time through the pool."""
        return sqlite3.connect(
            self.path,
            timeout=self.busy_timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
        )

    def _prepare(self, connection: sqlite3.Connection) -> None:
        """Per connection: erase deleted records' bytes (``secure_delete``), then the schema
        and WAL mode on the file (both persist in it)."""
        connection.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        connection.execute("PRAGMA secure_delete = ON")
        self._enable_wal(connection)
        self._retry_locked(lambda c: c.execute(_SCHEMA), connection)
        columns = {row[1] for row in connection.execute("PRAGMA table_info(attributes)")}
        for column, statement in _ADDED_COLUMNS.items():
            if column in columns:
                continue
            try:
                connection.execute(statement)
            except sqlite3.OperationalError as error:  # another worker added it first
                if "duplicate column" not in str(error):
                    raise

    def _enable_wal(self, connection: sqlite3.Connection) -> None:
        """Switch the file to WAL unless it already is. Changing the journal mode answers
        "database is locked" at once while another process writes (SQLite's busy handler
        does not cover it), as two workers starting on a fresh file do: retry."""
        self._retry_locked(self._wal_mode, connection)

    @staticmethod
    def _wal_mode(connection: sqlite3.Connection) -> None:
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            connection.execute("PRAGMA journal_mode = WAL")

    def _retry_locked(
        self, action: Callable[[sqlite3.Connection], Any], connection: sqlite3.Connection
    ) -> Any:
        """``action``, tried again while another process holds the lock, for the call's time."""
        ends = time.monotonic() + time_left(self.busy_timeout_ms / 1000)
        pause = 0.002
        while True:
            try:
                return action(connection)
            except sqlite3.OperationalError as error:
                left = ends - time.monotonic()
                if not _is_busy(error) or left <= 0:
                    raise
            time.sleep(min(left, pause * random.uniform(0.5, 1.5)))
            pause = min(MAX_PAUSE_SECONDS, pause * 2)

    def _open(self, stale: _Link | None) -> _Link:
        """Retire ``stale`` (if any), heal the file and open a new connection, all under the
        directory's lock."""
        try:
            parent = os.path.dirname(self.path)
            if parent:
                os.makedirs(parent, mode=0o700, exist_ok=True)
            with self._directory_lock():
                orphans: list[str] = []
                if stale is not None:
                    if stale.file != _file_id(self.path):
                        orphans = [
                            suffix
                            for suffix, own in stale.companions.items()
                            if own is not None and _file_id(self.path + suffix) == own
                        ]
                    self._close(stale)
                if _file_id(self.path) is None:
                    orphans = list(_COMPANIONS)  # no main file: nothing they could belong to
                for suffix in orphans:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(self.path + suffix)
                self._create_file()
                self._keep_private()
                connection = self._connect()
                try:
                    self._prepare(connection)
                    link = _Link(
                        connection,
                        os.getpid(),
                        _file_id(self.path),
                        {suffix: _file_id(self.path + suffix) for suffix in _COMPANIONS},
                    )
                    self._keep_private()
                except BaseException:
                    connection.close()
                    raise
        except (OSError, sqlite3.Error) as error:
            raise PersistenceException(f"cannot open the SQLite store: {error}") from error
        self.connections_opened += 1
        return link

    def _close(self, link: _Link) -> None:
        """Close ``link``'s connection without letting SQLite remove companion files that are
        no longer its own: closing the last connection to a file deletes ``-wal``/``-shm`` by
        name, which after a heal are the new file's (kept by a hard link across the close)."""
        kept: list[tuple[str, str]] = []
        for suffix, own in link.companions.items():
            path = self.path + suffix
            current = _file_id(path)
            if current is not None and current != own:
                spare = f"{path}.keep-{os.getpid()}-{threading.get_ident()}"
                with contextlib.suppress(OSError):
                    os.link(path, spare)
                    kept.append((spare, path))
        with contextlib.suppress(sqlite3.Error):
            link.connection.close()
        for spare, path in kept:
            with contextlib.suppress(OSError):
                os.replace(spare, path)
            with contextlib.suppress(OSError):
                os.unlink(spare)  # still there when the close removed nothing

    def _retire(self, link: _Link) -> None:
        with contextlib.suppress(PersistenceException), self._directory_lock():
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

    def _take(self) -> _Link:
        """A connection to the file as it is now: a kept one, or a new one (healing)."""
        self._after_fork()
        with self._pool_lock:
            link = self._idle.pop() if self._idle else None
        if link is not None and _file_id(self.path) == link.file:
            return link
        return self._open(link)

    def _give(self, link: _Link) -> None:
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

    # --- running statements --------------------------------------------------------------

    def _run(self, action: Callable[[sqlite3.Connection], Any], write: bool = False) -> Any:
        """``action`` on a kept connection, within the call's time. Contention is waited out
        (with backoff) until then; any other fault closes the connection, so the next call
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
                if _is_busy(error):
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

    def _attempt(
        self, link: _Link, action: Callable[[sqlite3.Connection], Any], ends: float
    ) -> Any:
        prepared = False
        pause = 0.002
        while True:
            left = ends - time.monotonic()
            busy_ms = max(1, min(self.busy_timeout_ms, int(left * 1000)))
            if busy_ms != link.busy_ms:
                link.connection.execute(f"PRAGMA busy_timeout = {busy_ms}")
                link.busy_ms = busy_ms
            try:
                return action(link.connection)
            except sqlite3.OperationalError as error:
                text = str(error)
                if ("no such table" in text or "no such column" in text) and not prepared:
                    prepared = True  # the table was dropped under us: make the schema again
                    self._prepare(link.connection)
                    link.busy_ms = self.busy_timeout_ms
                    continue
                left = ends - time.monotonic()
                if not _is_busy(error) or left <= 0:
                    raise
            time.sleep(min(left, pause * random.uniform(0.5, 1.5)))
            pause = min(MAX_PAUSE_SECONDS, pause * 2)

    # --- the store's interface -------------------------------------------------------------

    def read(self, request_envelope: RequestEnvelope) -> Record:
        """The person's attributes and the version they are at (0: no row yet); the cramp log
        comes as it is stored, undecoded (skill/store/packed_log.py)."""
        key = self.keygen(request_envelope)
        if _file_id(self.path) is None:
            # Reading creates nothing (the file appears with the first save), but a path that
            # can never be written is a fault now, not a promise broken at the end of the turn.
            self._check_creatable()
            return Record()
        row = self._run(
            lambda c: c.execute(
                "SELECT attributes, version, updated_at, cramp_log FROM attributes WHERE id = ?",
                (key,),
            ).fetchone()
        )
        if row is None:
            return Record()
        document = json.loads(row[0])
        if not isinstance(document, dict):  # not a record: the safe adapter refuses it
            return Record(document, int(row[1]), int(row[2]))
        attributes, migrate = packed_log.join(document, row[3])
        return Record(attributes, int(row[1]), int(row[2]), migrate)

    def write(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any], version: int
    ) -> int:
        """Store ``attributes`` if the row is still at ``version``; raises Conflict if not."""
        key = self.keygen(request_envelope)
        document, log = self._encode(attributes)
        now = int(time.time())
        parameters: tuple[object, ...]
        if version == 0:
            statement, parameters = _INSERT_FIRST, (key, document, log, now)
        else:
            statement, parameters = _UPDATE_VERSION, (document, log, now, key, int(version))
        changed = self._run(lambda c: c.execute(statement, parameters).rowcount, write=True)
        if changed != 1:
            raise Conflict
        return version + 1

    @staticmethod
    def _encode(attributes: dict[str, Any]) -> tuple[str, bytes | None]:
        """The JSON document and, apart, the packed cramp log."""
        rest, log = packed_log.split(attributes)
        return json.dumps(rest, default=json_default, separators=(",", ":")), log

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        return packed_log.plain(self.read(request_envelope).attributes)

    def save_attributes(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any]
    ) -> None:
        """The SDK's plain save (one statement): this turn's attributes win whole, and the
        version still moves on, so a conditional writer elsewhere notices."""
        key = self.keygen(request_envelope)
        document, log = self._encode(attributes)
        self._run(lambda c: c.execute(_UPSERT, (key, document, log, int(time.time()))), True)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        """Delete the person's row, then checkpoint the WAL and truncate it: with
        ``secure_delete`` the row's bytes are zeroed in the file, and the WAL frames that
        still held them are gone (best effort: a reader mid-transaction in another process
        can hold the truncation off until the next forget or checkpoint)."""
        key = self.keygen(request_envelope)
        if _file_id(self.path) is None:
            return
        self._run(lambda c: c.execute("DELETE FROM attributes WHERE id = ?", (key,)), write=True)
        with contextlib.suppress(PersistenceException):
            self._run(lambda c: c.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone(), True)

    # --- backup and restore (docs/persistence.md) ------------------------------------------

    def backup(self, target: str | os.PathLike[str]) -> None:
        """Copy the live store to ``target``, a new owner-only file, with SQLite's online
        backup API: a consistent snapshot while the workers go on reading and writing."""
        target = os.fspath(target)
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))

        def copy(connection: sqlite3.Connection) -> None:
            destination = sqlite3.connect(target)
            try:
                connection.backup(destination)
            finally:
                destination.close()

        self._run(copy)

    def restore(self, source: str | os.PathLike[str]) -> None:
        """Replace every record with those of the backup ``source``, in one transaction
        through the backup API: running workers see the old records or the restored ones,
        never a mix, and keep their connections (the file stays the same file)."""
        origin = sqlite3.connect(f"file:{os.fspath(source)}?mode=ro", uri=True)
        try:
            origin.execute("SELECT COUNT(*) FROM attributes").fetchone()  # is it a store?
            self._run(lambda c: origin.backup(c), write=True)
        except sqlite3.Error as error:
            raise PersistenceException(f"cannot restore from {source}: {error}") from error
        finally:
            origin.close()

    def __repr__(self) -> str:
        return f"SQLiteAdapter({self.path!r})"
