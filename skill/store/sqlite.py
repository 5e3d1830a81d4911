"""The embedded store for the Flask host: one SQLite file, safe for several worker processes.

Why this shape: gunicorn runs several processes that may answer the same person, so every
save is a single statement (its own transaction) and the file is in WAL mode (readers never
block the writer). Two turns of one person at once (two devices) must not erase each
other's change: each row carries a ``version``, and :meth:`SQLiteAdapter.write` is one
conditional statement that lands only on the version the turn read (see
:mod:`skill.store.versioned`). The cramp log is a column of its own, packed
(:mod:`skill.store.packed_log`).

The rest is other modules' job, one each: the connections, kept per process and healed when
the file is replaced (:mod:`skill.store.sqlite_pool`); the file's modes, companions and
directory lock (:mod:`skill.store.sqlite_files`); waiting out another process's lock
(:mod:`skill.store.sqlite_retry`).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
import weakref
from collections.abc import Callable
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from skill.store import packed_log
from skill.store.keys import user_key
from skill.store.sqlite_files import check_creatable, file_id
from skill.store.sqlite_pool import ConnectionPool
from skill.store.sqlite_retry import retry_locked
from skill.store.values import PACKED_LOG_MAX_BYTES, json_default
from skill.store.versioned import Conflict, Record

#: How long one statement waits for another process's lock (and a call, outside a turn).
BUSY_TIMEOUT_MS = 2000

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
#: A person's record, with only the newest times of a longer cramp log than the skill keeps
#: (``substr`` of a blob copies just those bytes out) and the stored log's length; a log
#: that is not whole 8-byte times is malformed, read as none (skill/store/packed_log.py).
_READ = """
SELECT attributes, version, updated_at,
    CASE WHEN length(cramp_log) % 8 THEN NULL WHEN length(cramp_log) <= :most THEN cramp_log
        ELSE substr(cramp_log, -:most) END,
    length(cramp_log)
FROM attributes WHERE id = :id
"""
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
        me = weakref.proxy(self)  # the pool must not keep its adapter alive
        self._pool = ConnectionPool(
            self.path, busy_timeout_ms, lambda: me._connect(), lambda c: me._prepare(c)
        )

    # --- connections (kept and healed by skill.store.sqlite_pool) ---------------------------

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
        retry_locked(lambda c: c.execute(_SCHEMA), connection, self.busy_timeout_ms / 1000)
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
        retry_locked(self._wal_mode, connection, self.busy_timeout_ms / 1000)

    @staticmethod
    def _wal_mode(connection: sqlite3.Connection) -> None:
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            connection.execute("PRAGMA journal_mode = WAL")

    def close(self) -> None:
        """Close the kept connections (the next call opens a new one)."""
        self._pool.close()

    @property
    def connections_opened(self) -> int:
        """Connections this adapter opened in this process (the tests and bench read it)."""
        return self._pool.opened

    def _run(self, action: Callable[[sqlite3.Connection], Any], write: bool = False) -> Any:
        return self._pool.run(action, write)

    # --- the store's interface -------------------------------------------------------------

    def read(self, request_envelope: RequestEnvelope) -> Record:
        """The person's attributes and the version they are at (0: no row yet); the cramp log
        comes undecoded, its newest times only (skill/store/packed_log.py)."""
        key = self.keygen(request_envelope)
        if file_id(self.path) is None:
            # Reading creates nothing (the file appears with the first save), but a path that
            # can never be written is a fault now, not a promise broken at the end of the turn.
            check_creatable(self.path)
            return Record()
        row = self._run(
            lambda c: c.execute(_READ, {"most": PACKED_LOG_MAX_BYTES, "id": key}).fetchone()
        )
        if row is None:
            return Record()
        document = json.loads(row[0])
        if not isinstance(document, dict):  # not a record: the safe adapter refuses it
            return Record(document, int(row[1]), int(row[2]))
        attributes, migrate = packed_log.join(document, row[3], row[4])
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
        if file_id(self.path) is None:
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
