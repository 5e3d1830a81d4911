"""``store backup|restore FILE``: the SQLite store's online backup (docs/persistence.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from skill.store.sqlite import SQLiteAdapter


def add_store(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``cramp-coach store backup|restore FILE``: the SQLite store's online backup (the
    procedure is in docs/persistence.md)."""
    store = commands.add_parser("store", help="back up or restore the SQLite store")
    store.add_argument("--db", help="the store (default: CRAMP_COACH_DB, else the default file)")
    actions = store.add_subparsers(dest="store_command", required=True, metavar="ACTION")
    backup = actions.add_parser("backup", help="copy the live store to FILE (a new file)")
    backup.add_argument("file", type=Path)
    backup.set_defaults(run=store_backup)
    restore = actions.add_parser("restore", help="replace every record with FILE's")
    restore.add_argument("file", type=Path)
    restore.set_defaults(run=store_restore)


def _sqlite_store(args: argparse.Namespace) -> SQLiteAdapter | None:
    from skill.settings import Settings
    from skill.store.factory import adapter_from_settings
    from skill.store.sqlite import SQLiteAdapter

    settings = Settings.from_env() if args.db is None else Settings(db=args.db)
    adapter = adapter_from_settings(settings)
    if not isinstance(adapter, SQLiteAdapter):
        print("store: backup and restore are for the SQLite store", file=sys.stderr)
        return None
    return adapter


def store_backup(args: argparse.Namespace) -> int:
    store = _sqlite_store(args)
    if store is None:
        return 2
    store.backup(args.file)
    print(f"store: {store.path} backed up to {args.file}", file=sys.stderr)
    return 0


def store_restore(args: argparse.Namespace) -> int:
    store = _sqlite_store(args)
    if store is None:
        return 2
    store.restore(args.file)
    print(f"store: {store.path} restored from {args.file}", file=sys.stderr)
    return 0
