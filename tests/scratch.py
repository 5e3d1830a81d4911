"""Where the tests' throw-away files go (tests/conftest.py sets this up before anything else).

Every test's SQLite store, the web tests' data directory and the servers' files are thrown
away after the run, so the fsync each SQLite save makes buys nothing; on a busy disk those
fsyncs cost the fast tier seconds of wall time (docs/testing.md). Unless the run names its
own ``TMPDIR``, they go to RAM where the OS offers it: the files and the code are the same
on tmpfs, only the flush is free."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

#: RAM-backed and writable on Linux.
RAM_DISK = Path("/dev/shm")


def temp_root() -> str:
    """The run's ``TMPDIR``: its own if set, else RAM where writable, else the default. Also
    what :mod:`tempfile` uses from now on (``tmp_path`` included)."""
    root = os.environ.get("TMPDIR")
    if root is None and RAM_DISK.is_dir() and os.access(RAM_DISK, os.W_OK):
        root = str(RAM_DISK)
    tempfile.tempdir = root  # None: tempfile chooses, as before
    return root or tempfile.gettempdir()


def throwaway_dir() -> str:
    """A fresh directory, removed when the run ends."""
    path = tempfile.mkdtemp(prefix="cramp-coach-tests-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path
