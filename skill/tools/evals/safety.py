"""How safely the skill answers alarms: ``python -m skill.tools.evals.safety``.

Each phrasing of a labelled safety set (``skill/locales/en/tests/safety/frozen.yaml``, written
before any tuning and never edited; ``skill/locales/en/tests/safety/tuning.yaml``, fitted on) is
said to the skill the way ``cramp-coach say`` says it: routed as Alexa routes speech, understood by
the offline NLU from the interaction model, sent as a real request envelope through the Lambda
handler. The verdict is on what the person hears, not on the intent:

- unsafe: an emergency, injury or warning-sign phrasing whose answer holds a stretch, massage
  or heat instruction (any at all is a failure);
- right advice: emergency -> the first sentence says to call the local emergency number now
  and the session ends; injury or warning sign -> the no-stretch line and "see a doctor";
  seed situation -> that situation's see-a-doctor advice from the seed (the medicine case
  with "talk to your doctor" in its first sentence); ordinary cramp -> the first words are
  the stretch; ``info`` (an ordinary question, about a sport or a warm-up) -> no alarm at
  all: no emergency line, no injury, warning or doctor-alarm answer, the session not latched.

Entries may carry other keys (``note: driving``): they are kept in :attr:`Case.notes` and do
not change the verdict. ``--set PATH`` (repeatable) runs any set in the same format.

``run(path, locale)`` says the set in another locale: that locale's interaction model
understands it and its catalogue's words are what the verdict looks for (its emergency
line, its no-stretch line, its doctor lines, the first words of its stretch, the openings
of its instructions), so the verdict works in Spanish as in English. Each language has its
own sets in its folder (:data:`SETS`: ``skill/locales/<lang>/tests/safety/``);
``--locale all`` reports every shipped locale, each language's frozen set on its own.
"""

from __future__ import annotations

import functools
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from skill.alexa.builder import build_skill
from skill.core.catalogue import DEFAULT_LOCALE, LOCALES, catalogue_for, language_code
from skill.hosts.lambda_handler import invoke
from skill.settings import Settings
from skill.tools.evals.safety_sets import (
    ALARMS,
    CLASSES,
    SETS,
    Case,
    Figures,
    Verdict,
    load_cases,
    set_name,
)
from skill.tools.evals.safety_speech import (
    advice_is_right,
    emergency_line,
    first_sentence_has,
    instruction_in,
)
from skill.tools.nlu.model import default_model
from skill.tools.simulator.conversation import Conversation
from skill.tools.simulator.device import Exchange, Simulator
from skill.tools.simulator.envelopes import EnvelopeFactory
from skill.tools.simulator.invocation import address, open_line

#: What starts each routine before an alarm said ``during`` it, by language (samples of
#: that language's model).
ROUTINE_STARTS = {
    "en": {"relief": "my hamstring is cramping", "stretch": "start a stretch session"},
    "es": {
        "relief": "tengo un calambre en el isquiotibial",
        "stretch": "empieza una sesión de estiramientos",
    },
}


# --- running a set -------------------------------------------------------------------------
@cache
def _skill() -> Any:
    return build_skill(Settings(), persistence_adapter=None)


def simulator(locale: str = DEFAULT_LOCALE) -> Simulator:
    """A stranger talking to the Lambda handler (no store), as ``cramp-coach say`` does."""
    factory = EnvelopeFactory(api_endpoint="", locale=locale)
    talk = Conversation(functools.partial(invoke, _skill()), factory)
    return Simulator(talk, default_model(locale))


def say_case(case: Case, locale: str = DEFAULT_LOCALE) -> Exchange:
    """Say ``case`` in a fresh session: a one-shot as is, anything else after "open cramp
    coach" (in the locale's language), an alarm ``during`` a routine after starting it."""
    person = simulator(locale)
    language = person.model.language.code
    named = address(case.say, person.model.invocation, language).new_session
    if not named:
        person.hear(open_line(person.model.invocation, language))
        if case.during:
            person.hear(ROUTINE_STARTS[language][case.during])
    return person.hear(case.say)


def judge(case: Case, locale: str = DEFAULT_LOCALE) -> Verdict:
    exchange = say_case(case, locale)
    heard = exchange.heard
    assert heard is not None, case.say
    spoken = f"{heard.speech} {heard.reprompt}"
    catalogue = catalogue_for(locale)
    found = instruction_in(spoken, catalogue) if case.kind in ALARMS else None
    right, why = advice_is_right(case, heard, catalogue)
    if found:
        why = f"instruction: {found!r}"
    called = first_sentence_has(heard.speech, emergency_line(catalogue))
    return Verdict(
        case, heard.speech, exchange.request, heard.ended, found is not None, right, why, called
    )


def run(path: Path, locale: str = DEFAULT_LOCALE) -> Figures:
    return Figures([judge(case, locale) for case in load_cases(path)])


def sets_for(locale: str) -> tuple[Path, Path]:
    """The (tuning, frozen) sets said in ``locale``: its language's."""
    return SETS.get(language_code(locale), SETS["en"])


def report(title: str, figures: Figures, misses_too: bool = True) -> list[str]:
    right, total, percent = figures.share()
    a_right, a_total, a_percent = figures.share(ALARMS + ("seed",))
    lines = [
        f"{title}: {right}/{total} = {percent:.1f}% right advice",
        f"  alarms and seed situations: {a_right}/{a_total} = {a_percent:.1f}%;"
        f" unsafe (a stretch, massage or heat instruction): {len(figures.unsafe)};"
        f" emergencies without a call for help first: {len(figures.uncalled)}",
    ]
    for kind in CLASSES:
        k_right, k_total, k_percent = figures.share([kind])
        if k_total:
            lines.append(f"  {kind}: {k_right}/{k_total} = {k_percent:.1f}%")
    misses = [v for v in figures.verdicts if not v.right or v.unsafe]
    lines.append(f"  misses ({len(misses)})" + (":" if misses_too else ""))
    if not misses_too:
        return lines
    for v in misses:
        during = f" (during {v.case.during})" if v.case.during else ""
        lines.append(
            f"    x {v.case.say!r}{during} [{v.case.kind}] -> {v.intent}: {v.why}; "
            f"heard {v.heard[:90]!r}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m skill.tools.evals.safety")
    parser.add_argument("--locale", default=DEFAULT_LOCALE, help="a locale, or all")
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        type=Path,
        metavar="PATH",
        help="run this set (repeatable) instead of the locale's tuning and frozen sets",
    )
    parser.add_argument(
        "--no-misses", action="store_true", help="print the figures only, not the misses"
    )
    args = parser.parse_args(argv)
    chosen = list(LOCALES) if args.locale == "all" else [args.locale]
    if args.sets:
        for locale in chosen:
            for path in args.sets:
                figures, title = run(path, locale), f"set {set_name(path)} ({locale})"
                print("\n".join(report(title, figures, not args.no_misses)))
        return 0
    for locale in chosen:
        suffix = "" if locale == DEFAULT_LOCALE and args.locale != "all" else f" ({locale})"
        tuning, frozen = sets_for(locale)
        for title, path in (("tuning set", tuning), ("frozen set", frozen)):
            if path.exists():
                named = "" if path in SETS["en"] else f" {set_name(path)}"
                print("\n".join(report(f"{title}{named}{suffix}", run(path, locale))))
    for _, frozen in dict.fromkeys(sets_for(locale) for locale in chosen):
        counts = Counter(c.kind for c in load_cases(frozen))
        sizes = ", ".join(f"{k} {counts[k]}" for k in CLASSES if counts[k] or k != "info")
        print(f"frozen set sizes ({set_name(frozen)}): {sizes}")
    return 0


if __name__ == "__main__":
    from skill.tools.evals.pipes import run_quietly

    sys.exit(run_quietly(main))
