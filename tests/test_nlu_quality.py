"""NLU quality: the model's own samples always resolve, people's paraphrases nearly always.

The same figures are printed by ``python -m skill.tools.evals.nlu`` and written in docs/nlu.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.tools.evals import nlu as nlu_eval
from skill.tools.evals.nlu import (
    HELD_OUT_PATH,
    paraphrase_cases,
    sample_cases,
    share,
)
from skill.tools.nlu.model import BUILT_IN_PHRASES, FALLBACK, Model, default_model, normalise
from tests.evals import evaluate, help_of_module_run_as_script

ROOT = Path(__file__).resolve().parents[1]
PARAPHRASES = paraphrase_cases()


@pytest.fixture(scope="module")
def model() -> Model:
    """The en-US model, built on first use (not at import: collecting the tests stays cheap)."""
    return default_model()


def confusions(outcomes) -> list[str]:
    return [f"{o.case.say!r}: {o.case.intent} -> {o.got.intent}" for o in outcomes if not o.correct]


def test_every_sample_resolves_to_its_own_intent_and_slots(model: Model) -> None:
    outcomes = evaluate(sample_cases(model), model)
    assert len(outcomes) == sum(len(s) for s in model.samples.values())
    assert confusions(outcomes) == []


@pytest.mark.slow
def test_every_sample_resolves_with_every_value_of_its_slot_types(model: Model) -> None:
    assert confusions(evaluate(sample_cases(model, every_value=True), model)) == []


def test_at_least_sixty_paraphrases_in_the_domain_and_none_is_in_the_model(model: Model) -> None:
    in_domain = [c for c in PARAPHRASES if c.intent != FALLBACK]
    assert len(in_domain) >= 60
    known = {normalise(s) for samples in model.samples.values() for s in samples}
    known |= {normalise(p) for phrases in BUILT_IN_PHRASES.values() for p in phrases}
    assert [c.say for c in PARAPHRASES if normalise(c.say) in known] == []
    assert len({normalise(c.say) for c in PARAPHRASES}) == len(PARAPHRASES)
    assert {c.intent for c in PARAPHRASES} <= set(model.intents)


@pytest.mark.slow
def test_paraphrases_resolve_at_ninety_percent_or_better(model: Model) -> None:
    outcomes = evaluate(PARAPHRASES, model)
    in_domain = [o for o in outcomes if o.case.intent != FALLBACK]
    _, _, percent = share(in_domain)
    assert percent >= 90.0, confusions(in_domain)
    _, _, overall = share(outcomes)
    assert overall >= 90.0, confusions(outcomes)


@pytest.mark.slow
def test_most_out_of_domain_requests_fall_back(model: Model) -> None:
    outcomes = evaluate([c for c in PARAPHRASES if c.intent == FALLBACK], model)
    assert len(outcomes) >= 10
    _, _, percent = share(outcomes)
    assert percent >= 90.0, confusions(outcomes)


@pytest.mark.slow
def test_the_eval_command_prints_the_figures_and_the_confusion_list(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m skill.tools.evals.nlu``'s output, in this process: the figures are the ones
    the tests above computed (tests/evals.py), the lines are the command's own."""
    monkeypatch.setattr(nlu_eval, "evaluate", evaluate)
    assert nlu_eval.main([]) == 0
    out = capsys.readouterr().out
    assert "sample utterances: " in out and "100.0%" in out
    assert "paraphrases (fitted set): " in out
    assert "held-out paraphrases (frozen, never tuned on): " in out
    assert "confusion list (" in out


def test_python_dash_m_runs_the_eval_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The module run as a script (as ``python -m`` does) reaches ``main``: ``--help``."""
    printed = help_of_module_run_as_script("skill.tools.evals.nlu", monkeypatch, capsys)
    assert "usage: python -m skill.tools.evals.nlu" in printed


HELD_OUT = paraphrase_cases(HELD_OUT_PATH)


def test_the_frozen_held_out_set_is_never_copied_into_the_model(model: Model) -> None:
    """The held-out phrasings stay unseen: none may become a sample or a built-in phrase."""
    assert len(HELD_OUT) >= 80
    known = {normalise(s) for samples in model.samples.values() for s in samples}
    known |= {normalise(p) for phrases in BUILT_IN_PHRASES.values() for p in phrases}
    assert [c.say for c in HELD_OUT if normalise(c.say) in known] == []
    assert {c.intent for c in HELD_OUT} <= set(model.intents)


@pytest.mark.slow
def test_the_held_out_figure_does_not_fall_below_what_docs_nlu_reports(model: Model) -> None:
    """A floor, not a target: docs/nlu.md gives the figure and lists every miss."""
    _, _, percent = share(evaluate(HELD_OUT, model))
    assert percent >= 80.0, confusions(evaluate(HELD_OUT, model))
