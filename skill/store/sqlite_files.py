"""The SQLite store's file on disk: created owner-only, kept private, healed one process at
a time (the connections over it are :mod:`skill.store.sqlite_pool`'s).

Why these rules: SQLite creates its file and the ``-wal``/``-shm`` companions with the
process's umask (world-readable) and gives the companions the main file's mode, so a file
made read-only for a while would leave read-only companions failing every write afterwards.
Companions left by a deleted or replaced main file belong to no live database: SQLite would
apply the old WAL to the new file ("disk I/O error" on every turn) or share the old ``-shm``
with connections still mapping it (SIGBUS), so they are removed before the file is opened
again, and closing a connection to a replaced file must not let SQLite remove the new file's
companions by name (docs/reliability.md).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator

from ask_sdk_core.exceptions import PersistenceException

from skill.store.budget import time_left

#: A file's device and inode: a kept connection notices its file was replaced.
FileId = tuple[int, int]
COMPANIONS = ("-wal", "-shm")


def file_id(path: str) -> FileId | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def companion_ids(path: str) -> dict[str, FileId | None]:
    return {suffix: file_id(path + suffix) for suffix in COMPANIONS}


def check_creatable(path: str) -> None:
    """Raise unless the file could be created: its nearest existing ancestor must be a
    directory we may write to."""
    ancestor = os.path.dirname(os.path.abspath(path))
    while not os.path.exists(ancestor):
        ancestor = os.path.dirname(ancestor)
    if not os.path.isdir(ancestor) or not os.access(ancestor, os.W_OK | os.X_OK):
        raise PersistenceException("the SQLite store's directory cannot be written")


def create_file(path: str) -> None:
    """Make an owner-only file before SQLite creates it world-readable."""
    if not os.path.exists(path):
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def keep_private(path: str) -> None:
    """Owner-only modes for the file and its ``-wal``/``-shm``; writable companions when the
    main file is writable (a file SQLite re-created itself would be world-readable)."""
    writable = os.access(path, os.W_OK)
    for each in (path, path + "-wal", path + "-shm"):
        try:
            mode = os.stat(each).st_mode & 0o777
        except OSError:
            continue
        wanted = mode & 0o700
        if writable and each != path:
            wanted = 0o600
        if wanted != mode:
            # Not ours to change? Then the write that follows reports the fault.
            with contextlib.suppress(OSError):
                os.chmod(each, wanted)


def orphaned(path: str, opened: FileId | None, companions: dict[str, FileId | None]) -> list[str]:
    """The companions a retired connection (which opened ``opened``, with ``companions``)
    leaves orphaned: its own, if its main file was replaced meanwhile. Found before it is
    closed (closing may remove them)."""
    if opened == file_id(path):
        return []
    return [
        suffix
        for suffix, own in companions.items()
        if own is not None and file_id(path + suffix) == own
    ]


def remove_orphans(path: str, suffixes: list[str]) -> None:
    """Remove the ``suffixes`` companions, or all of them if there is no main file (nothing
    they could belong to)."""
    if file_id(path) is None:
        suffixes = list(COMPANIONS)
    for suffix in suffixes:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path + suffix)


@contextlib.contextmanager
def directory_lock(path: str, busy_timeout_ms: int) -> Iterator[None]:
    """Hold the store directory's lock (flock): one process at a time opens, heals or
    retires a connection. Bounded by the call's time; without a directory, no lock."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        ends = time.monotonic() + max(0.05, time_left(busy_timeout_ms / 1000))
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


def close_keeping_companions(
    path: str, connection: sqlite3.Connection, companions: dict[str, FileId | None]
) -> None:
    """Close ``connection`` without letting SQLite remove companion files that are no longer
    its own (``companions``: those it opened): closing the last connection to a file deletes
    ``-wal``/``-shm`` by name, which after a heal are the new file's (kept by a hard link
    across the close)."""
    kept: list[tuple[str, str]] = []
    for suffix, own in companions.items():
        each = path + suffix
        current = file_id(each)
        if current is not None and current != own:
            spare = f"{each}.keep-{os.getpid()}-{threading.get_ident()}"
            with contextlib.suppress(OSError):
                os.link(each, spare)
                kept.append((spare, each))
    with contextlib.suppress(sqlite3.Error):
        connection.close()
    for spare, each in kept:
        with contextlib.suppress(OSError):
            os.replace(spare, each)
        with contextlib.suppress(OSError):
            os.unlink(spare)  # still there when the close removed nothing
