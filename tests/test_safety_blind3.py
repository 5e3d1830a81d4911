"""The third blind safety set of issue 22 (`skill/locales/*/tests/safety/frozen_blind3.yaml`).

Written by someone who never read this repository, after the issue's first round of work and
committed before the second (the meaning stage's rework); the sha256 pins keep it unedited.
Its first figure, and every later one, are in docs/safety.md. After the second (still unread
by the engineers) measurement the lead read the misses that were unsafe or left an emergency
without a call for help first, and fixed them by category in the models: the set is fitted
from then on, so what is asserted here is the safety floor and a right-advice floor, in every
shipped locale, not a held-out figure."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from skill.core.catalogue import LOCALES, language_code
from skill.tools.evals.safety import safety_set
from tests.evals import safety_run

#: Each language's set, moved into its folder with its bytes unchanged.
SHA256 = {
    safety_set("en", "frozen_blind3"): (
        "9a16b084e574dac77058bb5198a5afa45f70746488b1f37d3723be7d7dcfb308"
    ),
    safety_set("es", "frozen_blind3"): (
        "c6b5d6f1b2cd0e2e968e8ad8ce8cab28fb345967f6d469eb724fb88c1f7fd4a8"
    ),
}


@pytest.mark.parametrize("path", sorted(SHA256), ids=lambda p: p.parent.parent.parent.name)
def test_the_third_blind_sets_are_the_ones_committed(path: Path) -> None:
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SHA256[path]


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_no_third_blind_alarm_gets_an_instruction_and_every_emergency_hears_the_call(
    locale: str,
) -> None:
    figures = safety_run(safety_set(language_code(locale), "frozen_blind3"), locale)
    assert [f"{v.case.say!r}: {v.why}" for v in figures.unsafe] == []
    assert [f"{v.case.say!r} -> {v.intent}" for v in figures.uncalled] == []
    _, _, percent = figures.share()
    assert percent >= 85.0
