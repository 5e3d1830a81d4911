"""The embedded store for the Flask host: one SQLite file, safe for several worker processes.

Why this shape: gunicorn runs several processes that may answer the same person, so every
save is a single UPSERT statement (its own transaction), the file is in WAL mode (readers
never block the writer) and ``busy_timeout`` makes a writer wait for the lock instead of
failing. A connection is opened per call, so nothing breaks when workers fork after the
adapter was built, or when Flask serves from several threads.

Two turns of one person at once (two devices) must not erase each other's change: each row
carries a ``version``, and :meth:`SQLiteAdapter.write` is one conditional statement that
lands only on the version the turn read (see :mod:`skill.store.versioned`).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from skill.store.keys import user_key
from skill.store.values import json_default
from skill.store.versioned import Conflict, Record

#: How long a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_MS = 2000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS attributes (
    id TEXT PRIMARY KEY,
    attributes TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 0
)
"""
#: Files made before versions existed get the column (their rows count as version 0).
_ADD_VERSION = "ALTER TABLE attributes ADD COLUMN version INTEGER NOT NULL DEFAULT 0"
#: The first write of a person: lands if there is no row, or a row at version 0.
_INSERT_FIRST = """
INSERT INTO attributes (id, attributes, updated_at, version) VALUES (?, ?, ?, 1)
ON CONFLICT (id) DO UPDATE SET attributes = excluded.attributes,
    updated_at = excluded.updated_at, version = 1
WHERE attributes.version = 0
"""
#: The SDK's plain save: last writer wins, but the version still moves on.
_UPSERT = """
INSERT INTO attributes (id, attributes, updated_at, version) VALUES (?, ?, ?, 1)
ON CONFLICT (id) DO UPDATE SET attributes = excluded.attributes,
    updated_at = excluded.updated_at, version = attributes.version + 1
"""
#: Any later write: lands only on the version the turn read.
_UPDATE_VERSION = """
UPDATE attributes SET attributes = ?, updated_at = ?, version = version + 1
WHERE id = ? AND version = ?
"""


class SQLiteAdapter(AbstractPersistenceAdapter):
    """Persistent attributes as one JSON document per person in a SQLite file."""

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
        self._ready = False
        self._ready_lock = threading.Lock()

    def _check_creatable(self) -> None:
        """Raise unless the file could be created: its nearest existing ancestor must be a
        directory we may write to."""
        ancestor = os.path.dirname(os.path.abspath(self.path))
        while not os.path.exists(ancestor):
            ancestor = os.path.dirname(ancestor)
        if not os.path.isdir(ancestor) or not os.access(ancestor, os.W_OK | os.X_OK):
            raise PersistenceException("the SQLite store's directory cannot be written")

    def _create_file(self) -> None:
        """Make the directory and an owner-only file before SQLite creates it world-readable."""
        parent = os.path.dirname(self.path)
        if parent:
            os.makedirs(parent, mode=0o700, exist_ok=True)
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

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: autocommit, so each statement below is one transaction.
        connection = sqlite3.connect(
            self.path, timeout=self.busy_timeout_ms / 1000, isolation_level=None
        )
        connection.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        if not self._ready:
            self._prepare(connection)
        return connection

    def _prepare(self, connection: sqlite3.Connection) -> None:
        """Create the schema and switch to WAL on first use (both persist in the file)."""
        with self._ready_lock:
            if self._ready:
                return
            self._keep_private()
            self._enable_wal(connection)
            self._retry_locked(lambda c: c.execute(_SCHEMA), connection)
            columns = {row[1] for row in connection.execute("PRAGMA table_info(attributes)")}
            if "version" not in columns:
                try:
                    connection.execute(_ADD_VERSION)
                except sqlite3.OperationalError as error:  # another worker added it first
                    if "duplicate column" not in str(error):
                        raise
            self._ready = True

    def _enable_wal(self, connection: sqlite3.Connection) -> None:
        """Switch the file to WAL unless it already is. Changing the journal mode answers
        "database is locked" at once while another process writes (SQLite's busy handler
        does not cover it), as two workers starting on a fresh file do: retry until the
        busy timeout."""
        deadline = time.monotonic() + self.busy_timeout_ms / 1000
        while True:
            try:
                mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
                if str(mode).lower() != "wal":
                    connection.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)

    def _run(self, action: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run ``action`` on a fresh connection. Any failure marks the store unprepared, so
        the next call checks the file, its modes and its schema again: the store heals once
        the fault is gone (a removed directory, a lost table, a file made read-only)."""
        try:
            if not self._ready or not os.path.exists(self.path):
                self._ready = False
                self._create_file()
            connection = self._connect()
        except (OSError, sqlite3.Error) as error:
            self._unready_unless_busy(error)
            raise PersistenceException(f"cannot open the SQLite store: {error}") from error
        try:
            try:
                return self._retry_locked(action, connection)
            except sqlite3.OperationalError as error:
                if "no such table" not in str(error) and "no such column" not in str(error):
                    raise
                self._ready = False  # the file was replaced under us: make the schema again
                self._prepare(connection)
                return action(connection)
        except sqlite3.Error as error:
            self._unready_unless_busy(error)
            raise PersistenceException(f"SQLite store failed: {error}") from error
        finally:
            connection.close()

    def _unready_unless_busy(self, error: BaseException) -> None:
        """After a fault, check the file again on the next call; not after mere contention
        (another process held the lock), which says nothing about the file."""
        if "locked" not in str(error):
            self._ready = False

    def _retry_locked(
        self, action: Callable[[sqlite3.Connection], Any], connection: sqlite3.Connection
    ) -> Any:
        """Run ``action``, retrying while SQLite answers "database is locked" at once. In WAL
        mode it does so without calling the busy handler while another process's connection
        rebuilds or checkpoints the WAL index (every connection here is short-lived), so
        ``busy_timeout`` alone does not cover it; the same time limit applies."""
        deadline = time.monotonic() + self.busy_timeout_ms / 1000
        while True:
            try:
                return action(connection)
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.005)

    def read(self, request_envelope: RequestEnvelope) -> Record:
        """The person's attributes and the version they are at (0: no row yet)."""
        key = self.keygen(request_envelope)
        if not self._ready and not os.path.exists(self.path):
            # Reading creates nothing (the file appears with the first save), but a path that
            # can never be written is a fault now, not a promise broken at the end of the turn.
            self._check_creatable()
            return Record()
        row = self._run(
            lambda c: c.execute(
                "SELECT attributes, version, updated_at FROM attributes WHERE id = ?", (key,)
            ).fetchone()
        )
        if row is None:
            return Record()
        return Record(json.loads(row[0]), int(row[1]), int(row[2]))

    def write(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any], version: int
    ) -> int:
        """Store ``attributes`` if the row is still at ``version``; raises Conflict if not."""
        key = self.keygen(request_envelope)
        document = json.dumps(attributes, default=json_default, separators=(",", ":"))
        now = int(time.time())
        parameters: tuple[object, ...]
        if version == 0:
            statement, parameters = _INSERT_FIRST, (key, document, now)
        else:
            statement, parameters = _UPDATE_VERSION, (document, now, key, int(version))
        changed = self._run(lambda c: c.execute(statement, parameters).rowcount)
        if changed != 1:
            raise Conflict
        return version + 1

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        return self.read(request_envelope).attributes

    def save_attributes(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any]
    ) -> None:
        """The SDK's plain save (one statement): this turn's attributes win whole, and the
        version still moves on, so a conditional writer elsewhere notices."""
        key = self.keygen(request_envelope)
        document = json.dumps(attributes, default=json_default, separators=(",", ":"))
        self._run(lambda c: c.execute(_UPSERT, (key, document, int(time.time()))))

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        key = self.keygen(request_envelope)
        if not self._ready and not os.path.exists(self.path):
            return
        self._run(lambda c: c.execute("DELETE FROM attributes WHERE id = ?", (key,)))

    def __repr__(self) -> str:
        return f"SQLiteAdapter({self.path!r})"
