"""ask-sdk-core's ``DefaultSerializer``, minus two costs it pays on every request.

Why: reading a request envelope is most of what a warm request costs (docs/stack-notes.md,
bench/RESULTS.md), and half of that is two things the stock serializer redoes each time:

- the request timestamp goes through ``dateutil.parser.parse`` (~30 us for one ISO string);
  Alexa's timestamps are ISO 8601 (``2024-05-01T12:00:00Z``), which ``datetime.fromisoformat``
  reads in well under a microsecond. Anything it refuses still goes to dateutil, as before.
- every nested model's class is resolved from its dotted name with ``__import__`` and
  ``getattr``, and its attribute map is rebuilt and scanned linearly for every model read; the
  answers never change, so they are kept after the first time.

Writing the response (``serialize``, a public method) takes the same shortcuts: plain JSON
values (dicts, lists, strings, numbers) are recognised by their exact type before the SDK's chain
of ``isinstance`` checks, and each response model's (attribute, key) pairs are listed once; the
APLA countdown's document and data, sent with every hold, are mostly such plain values.
Anything else (dates, enums, decimals, tuples, subclasses) goes to the SDK's own code.

The reading overrides use the name-mangled names of ``DefaultSerializer``'s private methods
(``__deserialize_datetime``, ``__load_class_from_name``, ``__deserialize_model``), which is how a
subclass can replace them; the tests compare this serializer's results and errors with the
stock one's.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer

_stock_datetime = DefaultSerializer._DefaultSerializer__deserialize_datetime  # type: ignore[attr-defined]
_stock_load_class = DefaultSerializer._DefaultSerializer__load_class_from_name  # type: ignore[attr-defined]
_stock_deserialize = DefaultSerializer._DefaultSerializer__deserialize  # type: ignore[attr-defined]
_stock_by_discriminator = DefaultSerializer._DefaultSerializer__get_obj_by_discriminator  # type: ignore[attr-defined]

#: A model attribute with a payload name but no declared type (never in ask_sdk_model; the SDK
#: raises KeyError for it only when the payload holds it, and so do we).
_UNTYPED = object()

#: Per model class: (attribute, payload key, declared type) for each field, and the payload keys.
Plan = tuple[tuple[tuple[str, str, Any], ...], frozenset[str]]

#: Values the SDK's ``serialize`` returns as they are (by exact type; subclasses go to the SDK).
_AS_IS: frozenset[type] = frozenset({str, int, float, bool, bytes, type(None)})


class FastSerializer(DefaultSerializer):
    """Drop-in for ``DefaultSerializer`` (same results, cheaper deserialisation)."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, Any] = {}
        self._plans: dict[type, Plan] = {}
        #: Per response model class: (attribute, payload key), in the SDK's order.
        self._out: dict[type, tuple[tuple[str, str], ...] | None] = {}

    def serialize(self, obj: Any) -> Any:
        """The SDK's ``serialize``, same result, with plain values and models' keys fast."""
        kind = type(obj)
        if kind in _AS_IS:
            return obj
        if kind is dict:
            return {key: self.serialize(value) for key, value in obj.items()}
        if kind is list:
            return [self.serialize(value) for value in obj]
        fields = self._out.get(kind)
        if fields is None:
            if kind in self._out:  # not a model: the SDK's own way
                return super().serialize(obj)
            fields = self._out[kind] = self._fields_out(kind)
            if fields is None:
                return super().serialize(obj)
        out = {}
        for attribute, key in fields:
            value = getattr(obj, attribute)
            if value is not None:
                out[key] = self.serialize(value)
        return out

    @staticmethod
    def _fields_out(kind: type) -> tuple[tuple[str, str], ...] | None:
        """A model class's (attribute, key) pairs in ``deserialized_types`` order, as the SDK
        writes them; None for anything the SDK's ``serialize`` treats otherwise."""
        if issubclass(kind, (list, tuple, dict, date, Enum, *_AS_IS)):
            return None
        types = getattr(kind, "deserialized_types", None)
        if not isinstance(types, dict):
            return None
        attribute_map = getattr(kind, "attribute_map", {})
        # The SDK completes the class's own map in place on every write; once is the same.
        attribute_map.update({k: k for k in types if k not in attribute_map})
        return tuple((attribute, attribute_map[attribute]) for attribute in types)

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

    def _DefaultSerializer__deserialize_model(self, payload: Any, obj_type: Any) -> Any:  # noqa: N802
        """The SDK's model reading, step for step, with each class's field plan made once."""
        try:
            if issubclass(obj_type, Enum):
                return obj_type(payload)
            if not hasattr(obj_type, "deserialized_types"):
                return payload
            if hasattr(obj_type, "get_real_child_model"):
                obj_type = _stock_by_discriminator(self, payload, obj_type)
            fields, keys = self._plan(obj_type)
            model = obj_type()
            for attribute, key, kind in fields:
                if key in payload:
                    if kind is _UNTYPED:
                        raise KeyError(attribute)
                    value = _stock_deserialize(self, payload[key], kind)
                    setattr(model, attribute, value)
            for key in payload:
                if key not in keys:  # kept as is, like the SDK does with unknown fields
                    setattr(model, key, payload[key])
            return model
        except Exception as exc:
            raise SerializationException(str(exc)) from exc

    def _plan(self, cls: type) -> Plan:
        plan = self._plans.get(cls)
        if plan is None:
            types = cls.deserialized_types  # type: ignore[attr-defined]
            attribute_map = getattr(cls, "attribute_map", {})
            # The SDK completes the class's own map in place on every read; once is the same.
            attribute_map.update({k: k for k in types if k not in attribute_map})
            fields = tuple(
                (attribute, key, types.get(attribute, _UNTYPED))
                for attribute, key in attribute_map.items()
            )
            plan = self._plans[cls] = (fields, frozenset(attribute_map.values()))
        return plan
