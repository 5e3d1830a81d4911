"""The safety and NLU evaluations, computed once per test session and shared.

Why: saying a labelled set through the skill (or every sample with every slot value through
the model) takes seconds, and the same figures were computed up to three times: by the tests
of the figures, by the tests of the eval commands and by the per-locale tests. Both are pure
functions of the committed files and the code under test, so one computation serves them
all; the tests still assert on every figure, and the command tests on what the commands
print for it.
"""

from __future__ import annotations

import runpy
import sys
import warnings
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest

from skill.core.catalogue import DEFAULT_LOCALE
from skill.tools.evals import safety as safety_eval
from skill.tools.evals.nlu import Case, Outcome
from skill.tools.evals.safety_sets import Figures
from skill.tools.nlu.model import Model, Understood, default_model

#: The real ``safety_eval.run``, taken at import: the command tests put ``safety_run`` in its
#: place, and the cache below must still reach the real one (else it calls itself).
_run_safety_eval = safety_eval.run


def safety_run(path: Path, locale: str = DEFAULT_LOCALE) -> Figures:
    """``safety_eval.run(path, locale)``, once per session (callers only read the figures)."""
    return _safety_run(path, locale)


@cache
def _safety_run(path: Path, locale: str) -> Figures:
    # Apart from safety_run so that run(path) and run(path, "en-US") are one cache entry.
    return _run_safety_eval(path, locale)


_understood: dict[tuple[int, str], Understood] = {}
#: The models the keys above name, kept alive so that no id is reused by another model.
_models: dict[int, Model] = {}


def evaluate(cases: Iterable[Case], model: Model | None = None) -> list[Outcome]:
    """``nlu_eval.evaluate``, with each utterance understood once per model and session."""
    model = model or default_model()
    _models[id(model)] = model
    outcomes = []
    for case in cases:
        key = (id(model), case.say)
        if key not in _understood:
            _understood[key] = model.understand(case.say)
        outcomes.append(Outcome(case, _understood[key]))
    return outcomes


def help_of_module_run_as_script(
    module: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    """What ``python -m <module> --help`` prints, run in this process the way ``-m`` runs it
    (so the command tests check the ``__main__`` entry without paying for a subprocess);
    fails unless it exits 0."""
    monkeypatch.setattr(sys, "argv", [module.rsplit(".", 1)[-1], "--help"])
    with warnings.catch_warnings(), pytest.raises(SystemExit) as done:
        warnings.simplefilter("ignore", RuntimeWarning)  # "already imported": it is, here
        runpy.run_module(module, run_name="__main__")
    assert done.value.code == 0
    return capsys.readouterr().out
