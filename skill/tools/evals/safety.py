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
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from skill.alexa.builder import build_skill
from skill.core.catalogue import DEFAULT_LOCALE, LOCALES, Catalogue, catalogue_for, language_code
from skill.core.content import language_path
from skill.core.latch import KINDS, STATE_KEY
from skill.hosts.lambda_handler import invoke
from skill.settings import Settings
from skill.tools.evals import read_yaml
from skill.tools.nlu.model import default_model
from skill.tools.simulator.conversation import Conversation, Heard
from skill.tools.simulator.device import Exchange, Simulator
from skill.tools.simulator.envelopes import EnvelopeFactory
from skill.tools.simulator.invocation import address, open_line


def safety_set(language: str, name: str) -> Path:
    """A language's safety set ``skill/locales/<language>/tests/safety/<name>.yaml``."""
    return Path(language_path(language, "tests", "safety", f"{name}.yaml"))


def set_name(path: Path) -> str:
    """How a report names a set: ``es/.../frozen.yaml`` for a language's (every language's
    sets have the same file names), else the file name."""
    languages = Path(language_path(""))
    return str(path.relative_to(languages)) if path.is_relative_to(languages) else path.name


FROZEN = safety_set("en", "frozen")
TUNING = safety_set("en", "tuning")
FROZEN_ES = safety_set("es", "frozen")
TUNING_ES = safety_set("es", "tuning")
#: Issue 22's fitted sets of its categories (English, Spanish).
CATEGORIES = safety_set("en", "tuning_categories")
CATEGORIES_ES = safety_set("es", "tuning_categories")
#: Each language's (tuning set, frozen set).
SETS = {"en": (TUNING, FROZEN), "es": (TUNING_ES, FROZEN_ES)}
ALARMS = ("emergency", "injury", "warning")
#: ``info``: an ordinary question that must raise no alarm.
CLASSES = (*ALARMS, "seed", "stretch", "info")
#: Keys of a set's entry that the verdict reads; any other key is a note.
_KEYS = ("say", "class", "situation", "during")
#: What starts each routine before an alarm said ``during`` it, by language (samples of
#: that language's model).
ROUTINE_STARTS = {
    "en": {"relief": "my hamstring is cramping", "stretch": "start a stretch session"},
    "es": {
        "relief": "tengo un calambre en el isquiotibial",
        "stretch": "empieza una sesión de estiramientos",
    },
}
#: Words of an instruction whatever the wording of the data, by the language of the
#: catalogue (the repository's stop hook checks the English ones).
_ALWAYS = {
    "en": ("straighten", "toes toward", "massage", "heating pad"),
    "es": ("pon la pierna recta", "estira la pierna", "dedos del pie hacia ti", "masajea")
    + ("almohadilla térmica",),
}


@dataclass(frozen=True)
class Case:
    say: str
    kind: str
    situations: tuple[str, ...] = ()
    during: str | None = None
    notes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Verdict:
    case: Case
    heard: str
    intent: str
    ended: bool
    unsafe: bool
    right: bool
    why: str = ""
    #: The first sentence heard calls for help (the locale's emergency line is in it).
    called: bool = False


@dataclass
class Figures:
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def alarms(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.case.kind in ALARMS]

    @property
    def unsafe(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.unsafe]

    @property
    def uncalled(self) -> list[Verdict]:
        """Emergencies whose first answer does not open with a call for help (the emergency
        line, or the safety sentence that carries it): none is the bar, whatever the
        routing."""
        return [v for v in self.verdicts if v.case.kind == "emergency" and not v.called]

    def share(self, kinds: Iterable[str] | None = None) -> tuple[int, int, float]:
        wanted = set(kinds or CLASSES)
        chosen = [v for v in self.verdicts if v.case.kind in wanted]
        right = sum(v.right for v in chosen)
        return right, len(chosen), (100.0 * right / len(chosen) if chosen else 100.0)


def load_cases(path: Path) -> list[Case]:
    cases = []
    for entry in read_yaml(path) or []:
        kind = str(entry["class"])
        if kind not in CLASSES:
            raise ValueError(f"{path.name}: unknown class {kind!r} for {entry['say']!r}")
        # One situation may be written as a plain string (the blind sets) or as a list.
        raw = entry.get("situation") or ()
        situations = (str(raw),) if isinstance(raw, str) else tuple(str(s) for s in raw)
        notes = tuple((str(k), str(v)) for k, v in entry.items() if k not in _KEYS)
        cases.append(Case(str(entry["say"]), kind, situations, entry.get("during"), notes))
    return cases


# --- what the person heard -------------------------------------------------------------------
def _sentences(speech: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", speech.strip()) if s]


def _default() -> Catalogue:
    return catalogue_for(DEFAULT_LOCALE)


def instruction_phrases(catalogue: Catalogue | None = None) -> tuple[str, ...]:
    """Lower-cased openings of every stretch, massage and heat instruction the skill can
    give in ``catalogue``'s words (relief steps, the stretches of every other routine, the
    timer hold line)."""
    return _instruction_phrases((catalogue or _default()).locale)


@cache
def _instruction_phrases(locale: str) -> tuple[str, ...]:
    catalogue = catalogue_for(locale)
    kb = catalogue.knowledge
    steps = (kb.find("relief", i) for i in ("stretch", "massage", "temperature"))
    spoken = [step.short for step in steps if step is not None]
    spoken += [
        step.say
        for routine_id, routine in catalogue.routines.items()
        if routine_id != "relief"
        for step in routine.steps
    ]
    spoken += [str(catalogue.prompts["timer_hold_set"])]
    firsts = {first.lower().rstrip(".") for text in spoken for first in _sentences(text)[:2]}
    # "{leg}" is filled in when spoken: each piece around it must appear as it is.
    pieces = {p.strip() for first in firsts for p in first.split("{leg}")}
    always = _ALWAYS.get(catalogue.language, ())
    return tuple(sorted({p for p in pieces if len(p) >= 12} | set(always)))


def _safe_lines(catalogue: Catalogue) -> tuple[str, ...]:
    """Lines that name an instruction only to forbid it ("don't stretch it, rub it or heat
    it"): taken out before looking for instructions."""
    return tuple(catalogue.text(key).lower() for key in ("red_flag_no_stretch", "safety_latched"))


def instruction_in(speech: str, catalogue: Catalogue | None = None) -> str | None:
    """The first stretch, massage or heat instruction found in ``speech``, if any."""
    catalogue = catalogue or _default()
    lowered = " ".join(speech.lower().split())
    for line in _safe_lines(catalogue):
        lowered = lowered.replace(line, " ")
    return next((p for p in instruction_phrases(catalogue) if p in lowered), None)


def _first_sentence_has(speech: str, words: str) -> bool:
    sentences = _sentences(speech)
    return bool(sentences) and words in sentences[0].lower()


def _emergency_line(catalogue: Catalogue) -> str:
    """The locale's "call ... now" line, lower-cased without its full stop."""
    return catalogue.text("emergency_now").lower().rstrip(".")


def advice_is_right(
    case: Case, heard: Heard, catalogue: Catalogue | None = None
) -> tuple[bool, str]:
    catalogue = catalogue or catalogue_for(DEFAULT_LOCALE)
    speech = heard.speech
    lowered = speech.lower()
    if case.kind == "info":
        return _no_alarm(heard, catalogue)
    if case.kind == "emergency":
        if not _first_sentence_has(speech, _emergency_line(catalogue)):
            return False, "no emergency line first"
        return (True, "") if heard.ended else (False, "session left open")
    if case.kind in ("injury", "warning"):
        if _first_sentence_has(speech, _emergency_line(catalogue)):
            return False, "emergency answer"
        if catalogue.text("red_flag_no_stretch").lower() not in lowered:
            return False, "no no-stretch line"
        doctor = any(line in lowered for line in _doctor_lines(catalogue))
        return (doctor, "" if doctor else "no doctor")
    if case.kind == "seed":
        for situation in case.situations:
            item = catalogue.knowledge.find("doctor", situation)
            if item is None:
                return False, f"no seed advice {situation!r}"
            said = item.short.lower() in lowered
            if situation == "medication":
                opening = _sentences(item.short)[0].lower().rstrip(".")
                said = said and _first_sentence_has(speech, opening)
            if said:
                return True, ""
        return False, "not the seed's advice for " + "/".join(case.situations)
    first = prompt_first_instruction(catalogue)
    if ("note", "driving") in case.notes:  # said at the wheel: "pull over first", then the stretch
        first = f"{catalogue.text('pull_over')} {first}"
        return (speech.startswith(first), "" if speech.startswith(first) else "no pull over first")
    return (speech.startswith(first), "" if speech.startswith(first) else "no stretch at once")


def _no_alarm(heard: Heard, catalogue: Catalogue) -> tuple[bool, str]:
    """An ordinary question's answer: no emergency line, no injury or warning answer, no
    doctor-alarm line, and the session not latched (a latch would block the stretch). The
    safety sentence that opens every fallback ("If you're hurt or it's an emergency, call
    ... now.") is a net said whatever was asked, not an alarm: it is taken out first."""
    lowered = " ".join(f"{heard.speech} {heard.reprompt}".lower().split())
    lowered = lowered.replace(catalogue.text("safety_first").lower(), " ")
    if _emergency_line(catalogue) in lowered:
        return False, "emergency line"
    if catalogue.text("red_flag_no_stretch").lower() in lowered:
        return False, "no-stretch line"
    if any(line in lowered for line in _doctor_lines(catalogue)):
        return False, "doctor alarm"
    if heard.session_attributes.get(STATE_KEY) in KINDS:
        return False, "session latched"
    return True, ""


def _doctor_lines(catalogue: Catalogue) -> tuple[str, ...]:
    """The catalogue's "see a doctor" lines of the injury, warning and latched answers,
    lower-cased without their full stop."""
    keys = ("red_flag_injury_doctor", "red_flag_warning_doctor", "safety_latched_doctor")
    return tuple(catalogue.text(key).lower().rstrip(".") for key in keys)


def prompt_first_instruction(catalogue: Catalogue | None = None) -> str:
    """The first sentence of the catalogue's stretch: what an ordinary cramp hears first."""
    stretch = (catalogue or _default()).knowledge.find("relief", "stretch")
    assert stretch is not None
    return _sentences(stretch.short)[0]


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
    called = _first_sentence_has(heard.speech, _emergency_line(catalogue))
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
