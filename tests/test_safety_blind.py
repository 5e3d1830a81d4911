"""The blind safety sets of issue 22, said in every shipped locale of their language.

Each was written by someone who never read this repository: `frozen_blind` before any work on
the issue (`a703278`), `frozen_blind3` after its first round and before the second (`883c3bf`).
The sha256 pins keep them unedited. Their first figures and the later ones are in
docs/safety.md. After each set's second (still unread by the engineers) measurement the lead
read the misses that were unsafe or left an emergency without a call for help, and fixed them
by category in the models, so both sets are fitted from then on: what is asserted here is the
safety floor (no instruction on an alarm, every emergency hears the call for help first) and a
right-advice floor, not a held-out figure."""

from __future__ import annotations

import hashlib

import pytest

from skill.core.catalogue import LOCALES, language_code
from skill.tools.evals.safety_sets import safety_set
from tests.evals import safety_run

#: (set, language): sha256 of the file as committed (moved into its language folder since,
#: with its bytes unchanged).
SHA256 = {
    ("frozen_blind", "en"): "a31694def6810f2defde153224ce7141720d291c8e26fca0991b550aac639337",
    ("frozen_blind", "es"): "26cb6fe8be3845b0c403e0bc4265b017fadd2a82acb797277a9781c35d93efc4",
    ("frozen_blind3", "en"): "9a16b084e574dac77058bb5198a5afa45f70746488b1f37d3723be7d7dcfb308",
    ("frozen_blind3", "es"): "c6b5d6f1b2cd0e2e968e8ad8ce8cab28fb345967f6d469eb724fb88c1f7fd4a8",
}
SETS = sorted({name for name, _ in SHA256})


@pytest.mark.parametrize(("name", "language"), sorted(SHA256))
def test_the_blind_sets_are_the_ones_committed_before_the_work(name: str, language: str) -> None:
    digest = hashlib.sha256(safety_set(language, name).read_bytes()).hexdigest()
    assert digest == SHA256[name, language]


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", SETS)
def test_no_blind_alarm_gets_an_instruction_and_every_emergency_hears_the_call(
    name: str, locale: str
) -> None:
    figures = safety_run(safety_set(language_code(locale), name), locale)
    assert [f"{v.case.say!r}: {v.why}" for v in figures.unsafe] == []
    assert [f"{v.case.say!r} -> {v.intent}" for v in figures.uncalled] == []
    _, _, percent = figures.share()
    assert percent >= 85.0
