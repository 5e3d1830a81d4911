"""Where the skill remembers a person between sessions (ask-sdk persistence adapters).

Importing this package loads nothing: the core reads :mod:`skill.store.values`, and must not
pull in the SDK through the adapters (tests/test_architecture.py). The adapters are imported
from their modules (``skill.store.sqlite``, ``skill.store.safe``, ``skill.store.factory``:
boto3 and the DynamoDB adapter only when ``CRAMP_COACH_DB`` asks for ``dynamodb:TABLE``,
``skill.store.keys``); ``from skill.store import SQLiteAdapter`` still works, loading the
module that holds the name on first use.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "SQLiteAdapter",
    "SafeAdapter",
    "adapter_from_settings",
    "default_sqlite_path",
    "user_key",
]


def __getattr__(name: str) -> Any:
    """The adapters' names, each imported from its module when first asked for."""
    if name == "SQLiteAdapter":
        from skill.store.sqlite import SQLiteAdapter

        return SQLiteAdapter
    if name == "SafeAdapter":
        from skill.store.safe import SafeAdapter

        return SafeAdapter
    if name in ("adapter_from_settings", "default_sqlite_path"):
        from skill.store import factory

        return getattr(factory, name)
    if name == "user_key":
        from skill.store.keys import user_key

        return user_key
    raise AttributeError(f"module 'skill.store' has no attribute {name!r}")
