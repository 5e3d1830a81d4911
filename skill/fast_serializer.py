"""ask-sdk-core's ``DefaultSerializer``, minus two costs it pays on every request.

Why: reading a request envelope is most of what a warm request costs (docs/stack-notes.md,
bench/RESULTS.md), and half of that is two things the stock serializer redoes each time:

- the request timestamp goes through ``dateutil.parser.parse`` (~30 us for one ISO string);
  Alexa's timestamps are ISO 8601 (``2024-05-01T12:00:00Z``), which ``datetime.fromisoformat``
  reads in well under a microsecond. Anything it refuses still goes to dateutil, as before.
- every nested model's class is resolved from its dotted name with ``__import__`` and
  ``getattr``; the answer never changes, so it is kept after the first time.

Everything else, serialisation included, is the SDK's own code. The overrides use the
name-mangled names of ``DefaultSerializer``'s private methods (``__deserialize_datetime`` and
``__load_class_from_name``), which is how a subclass can replace them; the tests compare
this serializer's output with the stock one's on every envelope the skill is tested with.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer

_stock_datetime = DefaultSerializer._DefaultSerializer__deserialize_datetime  # type: ignore[attr-defined]
_stock_load_class = DefaultSerializer._DefaultSerializer__load_class_from_name  # type: ignore[attr-defined]


class FastSerializer(DefaultSerializer):
    """Drop-in for ``DefaultSerializer`` (same results, cheaper deserialisation)."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, Any] = {}

    def _DefaultSerializer__deserialize_datetime(  # noqa: N802 (the name the SDK calls)
        self, payload: Any, obj_type: Any
    ) -> datetime | date | Any:
        if obj_type is datetime and isinstance(payload, str):
            try:
                return datetime.fromisoformat(payload)
            except ValueError:
                pass  # not plain ISO 8601: let dateutil try, as the SDK always did
        return _stock_datetime(self, payload, obj_type)

    def _DefaultSerializer__load_class_from_name(self, class_name: str) -> Any:  # noqa: N802
        cls = self._classes.get(class_name)
        if cls is None:
            cls = self._classes[class_name] = _stock_load_class(self, class_name)
        return cls
