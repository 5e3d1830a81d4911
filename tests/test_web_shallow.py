"""The depth check every request passes before deserialisation (envelope_check.shallow)."""

from __future__ import annotations

from typing import Any

import pytest

from skill.alexa.envelope_check import shallow as _shallow


def nest(depth: int, container: str = "dict") -> Any:
    """Containers nested ``depth`` deep around a scalar."""
    value: Any = 1
    for _ in range(depth):
        value = {"a": value} if container == "dict" else [0, value]
    return value


@pytest.mark.parametrize("container", ["dict", "list"])
def test_limit_is_inclusive(container: str) -> None:
    assert _shallow(nest(5, container), 5)
    assert not _shallow(nest(6, container), 5)


@pytest.mark.parametrize("value", [1, "text", None, 2.5, True])
def test_scalars_are_shallow(value: Any) -> None:
    assert _shallow(value, 1)


def test_deep_branch_beside_shallow_ones_is_found() -> None:
    value = {"a": 1, "b": [1, 2, {"c": "x"}], "deep": nest(10)}
    assert _shallow(value, 11)
    assert not _shallow(value, 10)


def test_empty_containers_count_as_a_level() -> None:
    assert _shallow({"a": {}}, 2)
    assert not _shallow({"a": {"b": []}}, 2)
