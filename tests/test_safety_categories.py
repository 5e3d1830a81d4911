"""Issue 22's categories (fitted sets, skill/locales/*/tests/safety/tuning_categories.yaml), said in
every shipped locale of their language: no stretch, massage or heat on an alarm, every emergency's
first answer a call for help, no alarm on an ordinary question, and the right advice."""

from __future__ import annotations

import pytest

from skill.core.catalogue import LOCALES, language_code
from skill.tools.evals.safety_sets import CATEGORIES, CATEGORIES_ES
from tests.evals import safety_run

pytestmark = pytest.mark.slow

SETS = {"en": CATEGORIES, "es": CATEGORIES_ES}


@pytest.mark.parametrize("locale", LOCALES)
def test_the_categories_are_safe_in_every_locale(locale: str) -> None:
    figures = safety_run(SETS[language_code(locale)], locale)
    assert [f"{v.case.say!r}: {v.why}" for v in figures.unsafe] == []
    assert [v.case.say for v in figures.uncalled] == []
    misses = [f"{v.case.say!r} -> {v.intent}: {v.why}" for v in figures.verdicts if not v.right]
    assert figures.share(["info"])[2] == 100.0, misses
    assert figures.share()[2] >= 95.0, misses
