"""Attribute values as both stores hand them back: DynamoDB gives numbers as ``Decimal``.

``decimal`` is not imported here: if nothing has imported it, no value can be a Decimal, and
the Lambda cold start (SQLite or no store) stays one import lighter.
"""

from __future__ import annotations

import sys
from typing import Any


def is_decimal(value: Any) -> bool:
    decimal = sys.modules.get("decimal")
    return decimal is not None and isinstance(value, decimal.Decimal)


def json_default(value: Any) -> Any:
    """``json.dumps`` hook: a Decimal becomes the int or float it is; anything else is refused."""
    if is_decimal(value):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot store a {type(value).__name__} in persistent attributes")
