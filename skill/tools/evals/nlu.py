"""How well the local language understanding does: ``python -m skill.tools.evals.nlu``.

Two figures: every sample utterance of the model (slots filled with real values of their
type) must resolve to its own intent, and the hand-written paraphrases in
``skill/locales/en/tests/nlu/paraphrases.yaml`` (things people say that are not samples) should
resolve at 90% or better. Prints both and the confusion list; the tests assert the same
numbers. Then, apart, the frozen held-out set ``skill/locales/en/tests/nlu/heldout.yaml``
(written before tuning, never tuned on) with every miss: the one figure that says how new
phrasings fare. ``--locale en-GB`` scores that locale's model, on the shared English sets
and, apart, on the frozen local phrasings of
``skill/locales/en/tests/nlu/paraphrases_locales.yaml``; ``--locale all`` every shipped
locale. A locale is scored on its language's sets (``skill/locales/<lang>/tests/nlu/``:
``paraphrases.yaml`` fitted, ``heldout.yaml`` frozen).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.core.catalogue import language_code
from skill.core.content import language_path
from skill.core.durations import UNIT_SECONDS, parse_iso_duration
from skill.tools.evals import read_yaml
from skill.tools.nlu import samples as nlu_samples
from skill.tools.nlu.model import FALLBACK, Model, Understood, default_model
from skill.tools.nlu.samples import BUILT_IN_EXAMPLES as BUILT_IN_EXAMPLES


def nlu_set(language: str, name: str) -> Path:
    """A language's NLU set ``skill/locales/<language>/tests/nlu/<name>.yaml``."""
    return Path(language_path(language, "tests", "nlu", f"{name}.yaml"))


PARAPHRASES_PATH = nlu_set("en", "paraphrases")
LOCAL_PARAPHRASES_PATH = nlu_set("en", "paraphrases_locales")
#: The held-out set: frozen before the issue-13 tuning and never tuned on (reported apart).
HELD_OUT_PATH = nlu_set("en", "heldout")
#: Each language's (fitted set, frozen held-out set).
LANGUAGE_SETS = {
    language: (nlu_set(language, "paraphrases"), nlu_set(language, "heldout"))
    for language in ("en", "es")
}


def language_sets(locale: str) -> tuple[Path, Path]:
    """The (fitted, frozen held-out) paraphrase files a locale is scored on."""
    return LANGUAGE_SETS.get(language_code(locale), LANGUAGE_SETS["en"])


@dataclass(frozen=True)
class Case:
    """An utterance, the intent it must resolve to and the slot ids/values it must fill."""

    say: str
    intent: str
    slots: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    case: Case
    got: Understood

    @property
    def correct(self) -> bool:
        if self.got.intent != self.case.intent:
            return False
        got = {name: slot_said(value) for name, value in self.got.slots.items()}
        length = denoted_seconds(self.case.slots)
        if length is not None and length != denoted_seconds(got):
            return False
        compared_apart = DURATION_SLOTS if length is not None else ()
        return all(
            got.get(name) == expected
            for name, expected in self.case.slots.items()
            if name not in compared_apart
        )


#: Slots that say how long: a DURATION, a NUMBER with a unit, or a NUMBER of seconds.
#: "Twenty seconds" may fill any form (all are samples, as Alexa fills either); what counts
#: is the length.
DURATION_SLOTS = ("Duration", "Number", "Unit", "Seconds")


def denoted_seconds(slots: dict[str, Any]) -> float | None:
    """The length the duration slots denote, or None when they say none."""
    if slots.get("Duration"):
        return parse_iso_duration(str(slots["Duration"]))
    number, unit = slots.get("Number"), slots.get("Unit")
    if slots.get("Seconds") is not None:
        number, unit = slots["Seconds"], "second"
    if number is None or unit is None:
        return None
    try:
        return float(number) * UNIT_SECONDS[str(unit).rstrip("s")]
    except (KeyError, ValueError):
        return None


def slot_said(value: Any) -> str | None:
    """The id of a resolved custom slot value, else the value itself."""
    if isinstance(value, dict):
        value = value.get("id") or value.get("value")
    return None if value is None else str(value)


def spoken_values(model: Model, slot_type: str) -> list[tuple[str, str]]:
    """(what is said, id or value sent) for every value of ``slot_type`` we can speak."""
    return nlu_samples.spoken_values(model.values, model.language.code, slot_type)


def fill(sample: str, slot_types: dict[str, str], model: Model, pick: int) -> Case | None:
    """``sample`` with each ``{Slot}`` replaced by the ``pick``-th value of its type
    (cycling), or None if a slot type has no value we can say."""
    filled = nlu_samples.fill_slots(sample, slot_types, model.values, model.language.code, pick)
    return None if filled is None else Case(filled[0], "", filled[1])


def sample_cases(model: Model, every_value: bool = False) -> list[Case]:
    """Each sample once (slots filled with varying values), or with ``every_value`` once
    per value of its slot types (the exhaustive check)."""
    cases: list[Case] = []
    for intent, samples in model.samples.items():
        for index, sample in enumerate(samples):
            types = model.slot_types[intent]
            refs = re.findall(r"\{(\w+)\}", sample)
            widest = max((len(spoken_values(model, types[r])) for r in refs), default=1)
            picks = range(widest) if every_value else [index]
            for pick in picks:
                filled = fill(sample, types, model, pick)
                if filled is not None:
                    cases.append(Case(filled.say, intent, filled.slots))
    return cases


def paraphrase_cases(path: Path = PARAPHRASES_PATH, locale: str | None = None) -> list[Case]:
    """The cases of a paraphrase file; with ``locale``, only the entries said there."""
    raw = read_yaml(path)
    return [
        Case(str(e["say"]), str(e["intent"]), _strings(e.get("slots")))
        for e in raw
        if locale is None or e.get("locale") == locale
    ]


def local_cases(locale: str) -> list[Case]:
    """The frozen local phrasings of ``locale`` (none for a locale without any)."""
    return paraphrase_cases(LOCAL_PARAPHRASES_PATH, locale)


def _strings(mapping: dict[str, Any] | None) -> dict[str, str]:
    return {str(k): str(v) for k, v in (mapping or {}).items()}


def evaluate(cases: Iterable[Case], model: Model | None = None) -> list[Outcome]:
    model = model or default_model()
    return [Outcome(case, model.understand(case.say)) for case in cases]


def share(outcomes: list[Outcome]) -> tuple[int, int, float]:
    right = sum(o.correct for o in outcomes)
    total = len(outcomes)
    return right, total, (100.0 * right / total if total else 100.0)


def report(title: str, outcomes: list[Outcome]) -> list[str]:
    right, total, percent = share(outcomes)
    stages = Counter(o.got.stage for o in outcomes if o.correct)
    used = ", ".join(f"{stage} {n}" for stage, n in sorted(stages.items()))
    lines = [f"{title}: {right}/{total} = {percent:.1f}%  (resolved by: {used})"]
    for o in outcomes:
        if not o.correct:
            got = o.got
            slots = {k: slot_said(v) for k, v in got.slots.items()}
            lines.append(
                f"  x {o.case.say!r}: expected {o.case.intent} {o.case.slots or ''}, got "
                f"{got.intent} {slots or ''} ({got.stage}, {got.score:.2f}, {got.sample!r})"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    import argparse

    from skill.core.catalogue import LOCALES

    parser = argparse.ArgumentParser(prog="python -m skill.tools.evals.nlu")
    parser.add_argument("--locale", default="en-US", help="a shipped locale, or all")
    args = parser.parse_args(argv)
    chosen = list(LOCALES) if args.locale == "all" else [args.locale]
    for index, locale in enumerate(chosen):
        if index:
            print()
        if len(chosen) > 1:
            print(f"== {locale}")
        report_locale(locale)
    return 0


def report_locale(locale: str) -> None:
    """Print the figures and the confusion list of ``locale``'s model."""
    model = default_model(locale)
    samples = evaluate(sample_cases(model), model)
    exhaustive = evaluate(sample_cases(model, every_value=True), model)
    fitted, frozen = language_sets(locale)
    paraphrases = evaluate(paraphrase_cases(fitted), model)
    held_out = evaluate(paraphrase_cases(frozen), model)
    lines = [
        *report("sample utterances", samples),
        *report("samples x every slot value", exhaustive),
        *_split("paraphrases (fitted set)", paraphrases),
    ]
    local = local_cases(locale)
    if local:
        lines += report(f"local phrasings of {locale} (frozen)", evaluate(local, model))
    print("\n".join(line for line in lines if not line.startswith("  x ")))
    confusions = [line for line in lines if line.startswith("  x ")]
    print(f"\nconfusion list ({len(set(confusions))}):")
    print("\n".join(dict.fromkeys(confusions)) or "  (none)")
    # Reported apart: a figure on phrasings nobody tuned on, with every miss listed.
    held = _split("held-out paraphrases (frozen, never tuned on)", held_out)
    print()
    print("\n".join(line for line in held if not line.startswith("  x ")))
    misses = list(dict.fromkeys(line for line in held if line.startswith("  x ")))
    print(f"\nheld-out misses ({len(misses)}):")
    print("\n".join(misses) or "  (none)")


def _split(title: str, outcomes: list[Outcome]) -> list[str]:
    """All, then in the domain and out of it (must fall back), as report lines."""
    in_domain = [o for o in outcomes if o.case.intent != FALLBACK]
    out_of_domain = [o for o in outcomes if o.case.intent == FALLBACK]
    return [
        *report(title, outcomes),
        *report("  of which in the domain", in_domain),
        *report("  of which out of the domain (fallback)", out_of_domain),
    ]


if __name__ == "__main__":
    from skill.tools.evals.pipes import run_quietly

    sys.exit(run_quietly(main))
