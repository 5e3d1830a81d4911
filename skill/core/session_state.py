"""The skill's own session attributes, declared once and checked on the way in.

Why: Alexa hands back, in every request, the session attributes the skill sent with its last
answer, so they are input like any slot. A forged or corrupted request could carry anything
there (null cursors, Infinity, a list where a name belongs, SSML to replay). Every request's
attributes go through :func:`clean` before any dialog code sees them: an attribute that is
not declared in :data:`SCHEMA`, or whose value does not fit its declaration, is dropped and
logged as a count (never its content), and the conversation carries on without it, as if
it had never been set.

Adding an attribute (every helper that keeps something in the session must): add one line
to :data:`SCHEMA`, ``"name": check,`` built from the small checks below (``integer``,
``boolean``, ``name``, ``one_of``, ``record``, ``items``, ``optional``, or any function that
returns the cleaned value and raises ``ValueError`` for a value it refuses). Keep values
small and bounded; numbers as ints. An attribute missing from the schema never reaches the
dialog, which the tests catch (tests/test_session_state.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from skill.core import latch, reminder_plan, replay
from skill.core.hold_range import HoldSeconds, as_hold, hold_or_default
from skill.core.memory_dialog import LOG_FOR
from skill.core.numbers import bounded_int

#: Returns the value to keep (possibly cleaned) or raises ``ValueError`` to drop it.
Check = Callable[[Any], Any]


def integer(low: int, high: int) -> Check:
    """An int in ``[low, high]`` (an integral float is accepted as its int)."""

    def check(value: Any) -> int:
        number = bounded_int(value, low, high)
        if number is None:
            raise ValueError("not a bounded integer")
        return number

    return check


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("not a boolean")
    return value


_NAME = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_ID = re.compile(r"^[A-Za-z0-9_.:/+=-]{1,200}$")


def name(value: Any) -> str:
    """A short identifier the skill wrote itself (a question, topic or routine name)."""
    if not isinstance(value, str) or not _NAME.match(value):
        raise ValueError("not a name")
    return value


def identifier(value: Any) -> str:
    """An opaque id from an Alexa API (a timer id): printable, no spaces, bounded."""
    if not isinstance(value, str) or not _ID.match(value):
        raise ValueError("not an id")
    return value


def is_identifier(value: Any) -> bool:
    """Whether ``value`` passes :func:`identifier` (for code that stores such ids)."""
    return isinstance(value, str) and _ID.match(value) is not None


def one_of(*allowed: Any) -> Check:
    def check(value: Any) -> Any:
        if isinstance(value, bool | list | dict) or value not in allowed:
            raise ValueError("not an allowed value")
        return value

    return check


def optional(inner: Check) -> Check:
    """``inner``, or None."""

    def check(value: Any) -> Any:
        return None if value is None else inner(value)

    return check


def record(fields: Mapping[str, Check]) -> Check:
    """A dict of these fields (each optional); any other key, or a bad field, drops it all."""

    def check(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict) or not set(value) <= set(fields):
            raise ValueError("not a record of the declared fields")
        return {key: fields[key](item) for key, item in value.items()}

    return check


def items(inner: Check, max_items: int) -> Check:
    """A list of at most ``max_items`` values, each passing ``inner``."""

    def check(value: Any) -> list[Any]:
        if not isinstance(value, list) or len(value) > max_items:
            raise ValueError("not a short list")
        return [inner(item) for item in value]

    return check


def hold(value: Any) -> HoldSeconds:
    """This session's hold length (:func:`skill.core.hold_range.as_hold`); one that is not a
    hold is dropped, so the person's remembered length, or the default, serves instead."""
    seconds = as_hold(value)
    if seconds is None:
        raise ValueError("not a hold length")
    return seconds


def routine_hold(value: Any) -> HoldSeconds:
    """A running routine's hold length: one that is not a hold is repaired to the default
    rather than dropping the routine with it (the person keeps their place)."""
    return hold_or_default(value)


_LEG = optional(one_of("right", "left"))
_TIMER_KIND = one_of("hold", "rest", "heat")
#: Alexa allows ten timers per person; its longest timer is two hours.
_MAX_TIMERS = 10
_MAX_TIMER_SECONDS = 2 * 60 * 60
_CURSOR = integer(0, 1000)
#: A ReminderPlan (skill.core.reminder_plan), which checks it again field by field.
_REMINDER = record(
    {
        "kind": one_of(*reminder_plan.KINDS),
        "session": one_of(*reminder_plan.SESSIONS),
        "hour": integer(0, 23),
        "minute": integer(0, 59),
        "day": name,
        "repeat": one_of(*reminder_plan.REPEATS),
        "part": one_of(*reminder_plan.DAY_PARTS),
        "in_days": integer(1, reminder_plan.MAX_IN_DAYS),
    }
)

#: Every session attribute the skill keeps, by name. One line per attribute; see above.
SCHEMA: dict[str, Check] = {
    # skill.core.questions: the pending yes/no question.
    "question": name,
    # skill.core.coaching / skill.core.routine: the routine in progress (RoutineState).
    "routine": record(
        {
            "routine": name,
            "index": integer(0, 1000),
            "leg": _LEG,
            "hold": routine_hold,
            "paused": boolean,
        }
    ),
    # skill.core.coaching: this session's hold length; a tip was offered once already.
    "hold": hold,
    "tip_offered": boolean,
    # skill.core.coaching: both legs of each stretch in one answer (issue 23).
    "both_legs": boolean,
    # skill.core.topics: the item spoken last ("tell me more"), tip and cause cursors.
    "last": record({"topic": name, "id": optional(name)}),
    "tip": _CURSOR,
    "cause": _CURSOR,
    # skill.core.timer_state: timers set this session, and one waiting for permission.
    "timers": record(
        {
            "ids": items(record({"id": identifier, "kind": _TIMER_KIND}), _MAX_TIMERS),
            "pending": record({"kind": _TIMER_KIND, "seconds": integer(1, _MAX_TIMER_SECONDS)}),
        }
    ),
    # skill.core.reminder_dialog: a reminder waiting for its time or the permission;
    # skill.core.reminder_offers: the reminder just offered (a yes sets it).
    "reminder_pending": _REMINDER,
    "reminder_offer": _REMINDER,
    # skill.core.latch: the kind of alarm heard this session (the safety latch).
    "safety": one_of(*latch.KINDS),
    # skill.core.memory_dialog: what "want me to keep a count of your cramps?" was asked for.
    "log_for": one_of(*LOG_FOR),
    # skill.core.injury_memory: "earlier you mentioned a possible injury" was said.
    "injury_asked": boolean,
    # skill.core.disclaimer: the first-use disclaimer was said in this session.
    "disclaimed": boolean,
    # skill.core.dialog: how many "didn't catch that" in a row (the fallback escalation).
    "misses": integer(0, 10),
    # skill.alexa.handlers.touch: the device could not play an APLA countdown; holds are in
    # the speech for the rest of the session.
    "apla_failed": boolean,
    # skill.alexa.emergency_number: the emergency number certain from the device's time zone
    # ("" when not certain); the numbers are those of skill/data/emergency_zones.json.
    "number": one_of("", "911"),
    # skill.core.dialog: the last reply, as plain segments for "repeat" (skill.core.replay).
    "said": record({"speech": replay.check, "reprompt": optional(replay.check)}),
}


def clean(attributes: Any) -> tuple[dict[str, Any], int]:
    """The declared attributes whose values pass their checks, and how many were dropped."""
    if not isinstance(attributes, dict):
        return {}, 0 if attributes is None else 1
    kept: dict[str, Any] = {}
    for key, value in attributes.items():
        check = SCHEMA.get(key) if isinstance(key, str) else None
        if check is None:
            continue
        try:
            kept[key] = check(value)
        except (ValueError, TypeError, RecursionError):
            continue
    return kept, len(attributes) - len(kept)
