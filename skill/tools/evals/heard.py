"""What an answer in a scored conversation was, read from the words heard and the routine
state (:mod:`skill.tools.evals.conversations` scores it): its kinds, the routine step spoken,
the leg named, whether the microphone stays open.

Kinds are recognised by the catalogue's own phrases, looked up by key, so a phrase the code of
the day lacks is simply not matched and the scorer runs on any commit."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from skill.core.catalogue import Catalogue, catalogue_for, number_variants
from skill.core.routine import RoutineState
from skill.tools.simulator.conversation import Heard
from skill.tools.simulator.transcript import render, segments

SESSIONS = ("stretch", "warmup", "cooldown")
#: Title words that do not say which session it is.
_GENERIC = frozenset(
    ["hamstring", "stretch", "stretches", "de", "estiramiento", "estiramientos", "isquiotibiales"]
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


# --- what an answer was ---------------------------------------------------------------
@dataclass(frozen=True)
class Heard1:
    """One answer, as the scorer reads it."""

    text: str
    kinds: frozenset[str]
    #: (routine, index) of the step spoken, or None.
    step: tuple[str, int] | None
    #: The routine in progress after the turn (not finished), or None.
    routine: RoutineState | None
    leg: str
    open: bool


def _prompt(catalogue: Catalogue, key: str) -> str:
    """The phrase ``key`` up to its first parameter (empty if the catalogue lacks it)."""
    entry = catalogue.prompts.get(key)
    return entry.split("{", 1)[0].strip() if isinstance(entry, str) else ""


def _first(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0] if text else ""


def _any(text: str, phrases: Iterable[str]) -> bool:
    return any(p and p in text for p in phrases)


@functools.cache
def _phrases(locale: str) -> dict[str, tuple[str, ...]]:
    """The catalogue's phrases that mark each kind of answer."""
    cat = catalogue_for(locale)
    # The locale's words, and its 911 variant's (said where the device's time zone makes the
    # number certain, as the fake API's does): both mark the same kinds.
    words = [cat, *(catalogue_for(locale, n) for n in number_variants(locale))]

    def keys(*names: str) -> tuple[str, ...]:
        found = (_prompt(c, n) for n in names for c in words)
        return tuple(dict.fromkeys(p for p in found if len(p) > 3))

    kb = cat.knowledge
    knowledge = [
        _first(item.short)
        for topic in ("overview", "causes", "prevention", "relief")
        for item in kb.topic(topic)
    ]
    knowledge += [
        _first(item.more) for topic in ("causes", "prevention") for item in kb.topic(topic)
    ]
    knowledge += [_first(a.short) for a in kb.answers.values()]
    doctor = [_first(item.short) for item in kb.topic("doctor")]
    return {
        "launch": keys("launch", "launch_carry_on"),
        "help": keys("help", "routine_help"),
        "paused": keys("routine_paused", "routine_paused_no_memory", "pause"),
        "fallback": tuple(
            _first(p)
            for p in keys("fallback", "routine_fallback", "fallback_again", "fallback_last")
        ),
        "goodbye": keys(
            "goodbye",
            "goodbye_routine",
            "goodbye_session",
            "better_bye",
            "fallback_goodbye",
        ),
        "doctor": keys("doctor_urgent", "doctor_soon", "doctor_seed_summary", "doctor_intro")
        + tuple(doctor),
        "side": keys(
            "cause_intro",
            "cause_intro_short",
            "relief_unknown_step",
            "hold_advice_routine",
            "aside_back",
        )
        + tuple(k for k in knowledge if len(k) > 3),
        "step_help": keys("step_reprompt"),
    }


def _step_text(cat: Catalogue, state: RoutineState) -> str | None:
    """The instruction of ``state``'s current step, as spoken (its first sentence)."""
    current = state.current()
    if current is None:
        return None
    step, leg = current
    worded = cat.step(state.routine, step.id)
    leg_word = cat.text(f"leg_{leg}") if leg else ""
    return _first(worded.say.format(leg=leg_word))


_SIDES = {
    "en": (r"\bleft\b", r"\bright\b(?! (now|away|here|there))", r"\bother\b"),
    "es": (r"\bizquierd[ao]s?\b", r"\bderech[ao]s?\b", r"\b(otra|contraria)\b"),
}


def leg_named(text: str, language: str, state: RoutineState | None) -> str:
    """The side the answer names ("seconds left" of a countdown is not a side); when it
    names none, the leg of the step in progress, if one is known."""
    left, right, other = _SIDES[language]
    lowered = re.sub(r"\bseconds? left\b", "", text.lower())
    named = {side for side, rx in (("left", left), ("right", right)) if re.search(rx, lowered)}
    if len(named) == 1:
        return named.pop()
    if len(named) == 2:
        return "both"
    leg_word = r"\b(leg|pierna)\b"
    if re.search(other, lowered) and re.search(leg_word, lowered):
        return "other"
    current = state.current() if state is not None else None
    if current is not None and current[1] in ("left", "right"):
        return str(current[1])
    return "none"


def read(locale: str, heard: Heard | None, spoke_before: bool) -> Heard1:
    """What the answer ``heard`` was (``spoke_before``: whether a session was open)."""
    if heard is None or not heard.envelope:
        return Heard1("", frozenset(), None, None, "none", False)
    cat = catalogue_for(locale)
    text = render(segments(heard.ssml)) if heard.ssml else ""
    state = RoutineState.from_dict(heard.session_attributes.get("routine"))
    running = state if state is not None and not state.finished else None
    phrases = _phrases(locale)
    kinds: set[str] = set()
    step: tuple[str, int] | None = None
    if running is not None:
        instruction = _step_text(cat, running)
        if instruction and instruction in text:
            step = (running.routine, running.index)
            kinds.add("relief_step" if running.routine == "relief" else "stretch_step")
            if running.routine in SESSIONS and running.index == 0:
                # Confirmed: the answer's first sentence names the session by a word of
                # its title that says which session it is ("cool-down", "calentamiento").
                first = _first(text).lower()
                named = set(cat.routine(running.routine).title.lower().split()) - _GENERIC
                if any(re.search(rf"\b{re.escape(w)}\b", first) for w in named):
                    kinds.add("confirm_session")
    for kind in ("launch", "help", "fallback", "doctor"):
        if _any(text, phrases[kind]):
            kinds.add(kind)
    if _any(text, phrases["step_help"]) and step is None:
        kinds.add("help")
    if (running is not None and running.paused) or _any(text, phrases["paused"]):
        kinds.add("paused")
    knowledge = _any(text, phrases["side"]) or "doctor" in kinds
    if step is None and knowledge and not kinds & {"launch", "help", "fallback"}:
        kinds.add("side_answer")
    if heard.ended and "paused" not in kinds or _any(text, phrases["goodbye"]):
        kinds.add("goodbye")
    return Heard1(
        text,
        frozenset(kinds),
        step,
        running,
        leg_named(text, cat.language, running),
        not heard.ended,
    )
