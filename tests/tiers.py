"""Which locales a per-locale check runs on in the fast tier (docs/testing.md).

A check repeated over every locale is a sweep: the fast tier (``pytest -q``) runs it on the
source locales, the ones the others are generated from or override, and ``.ci/test-all`` on
all of them. The generated locales keep their own fast checks: their models are diffed against
what the generator writes (tests/test_locales.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

#: The hand-written locales: en-US (English) and es-US (Spanish).
SOURCE_LOCALES = ("en-US", "es-US")


def sweep(locales: Iterable[str]) -> list[Any]:
    """``locales`` as ``parametrize`` values, every one but the sources marked slow."""
    return [
        pytest.param(locale, marks=() if locale in SOURCE_LOCALES else pytest.mark.slow)
        for locale in locales
    ]
