"""What a person heard, judged for safety: whether an answer gives an instruction (a stretch,
massage or heat), opens with the call for help, or raises no alarm, in the words of the
answer's catalogue (:mod:`skill.tools.evals.safety` runs the sets through it)."""

from __future__ import annotations

import re
from functools import cache

from skill.core.catalogue import DEFAULT_LOCALE, Catalogue, catalogue_for
from skill.core.latch import KINDS, STATE_KEY
from skill.tools.evals.safety_sets import Case
from skill.tools.simulator.conversation import Heard

#: Words of an instruction whatever the wording of the data, by the language of the
#: catalogue (the repository's stop hook checks the English ones).
_ALWAYS = {
    "en": ("straighten", "toes toward", "massage", "heating pad"),
    "es": ("pon la pierna recta", "estira la pierna", "dedos del pie hacia ti", "masajea")
    + ("almohadilla térmica",),
}


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


def first_sentence_has(speech: str, words: str) -> bool:
    sentences = _sentences(speech)
    return bool(sentences) and words in sentences[0].lower()


def emergency_line(catalogue: Catalogue) -> str:
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
        if not first_sentence_has(speech, emergency_line(catalogue)):
            return False, "no emergency line first"
        return (True, "") if heard.ended else (False, "session left open")
    if case.kind in ("injury", "warning"):
        if first_sentence_has(speech, emergency_line(catalogue)):
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
                said = said and first_sentence_has(speech, opening)
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
    if emergency_line(catalogue) in lowered:
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
