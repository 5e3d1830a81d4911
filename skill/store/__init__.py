"""Where the skill remembers a person between sessions (ask-sdk persistence adapters).

Importing this package stays cheap: boto3 and the DynamoDB adapter are imported only when
``CRAMP_COACH_DB`` asks for ``dynamodb:TABLE`` (see :mod:`skill.store.factory`).
"""

from __future__ import annotations

from skill.store.factory import adapter_from_settings, default_sqlite_path
from skill.store.keys import user_key
from skill.store.safe import SafeAdapter
from skill.store.sqlite import SQLiteAdapter

__all__ = [
    "SQLiteAdapter",
    "SafeAdapter",
    "adapter_from_settings",
    "default_sqlite_path",
    "user_key",
]
