"""The blind safety sets of issue 22, said in every shipped locale of their language.

Written by someone who never read this repository and committed before any work on the issue
(`a703278`); the sha256 pins keep them unedited. Their first figures and the later ones are in
docs/safety.md. After the second (still unread) measurement the lead read the misses that
were unsafe or left an emergency without a call for help, and fixed them by category in the
models, so the sets are fitted from then on: what is asserted here is the safety floor (no
instruction on an alarm, every emergency hears the call for help first) and a right-advice
floor, not a held-out figure."""

from __future__ import annotations

import hashlib

import pytest

from skill.core.catalogue import LOCALES, language_code
from skill.tools.evals.safety_sets import safety_set
from tests.evals import safety_run

pytestmark = pytest.mark.slow

BLIND = {language: safety_set(language, "frozen_blind") for language in ("en", "es")}
SHA256 = {
    "en": "a31694def6810f2defde153224ce7141720d291c8e26fca0991b550aac639337",
    "es": "26cb6fe8be3845b0c403e0bc4265b017fadd2a82acb797277a9781c35d93efc4",
}


@pytest.mark.parametrize("language", sorted(BLIND))
def test_the_blind_sets_are_the_ones_committed_before_the_work(language: str) -> None:
    assert hashlib.sha256(BLIND[language].read_bytes()).hexdigest() == SHA256[language]


@pytest.mark.parametrize("locale", LOCALES)
def test_no_blind_alarm_gets_an_instruction_and_every_emergency_hears_the_call(
    locale: str,
) -> None:
    figures = safety_run(BLIND[language_code(locale)], locale)
    assert [f"{v.case.say!r}: {v.why}" for v in figures.unsafe] == []
    assert [f"{v.case.say!r} -> {v.intent}" for v in figures.uncalled] == []
    _, _, percent = figures.share()
    assert percent >= 85.0
