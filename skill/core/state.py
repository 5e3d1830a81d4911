"""The session state's shape: every attribute the skill keeps in the session, typed.

Why: the session attributes are one dict that Alexa hands back with every request, and many
modules keep something in it. Typed here, ``turn.state["hold"]`` is checked by mypy (a key
that is not declared, or a value of the wrong type, is an error), and
:data:`skill.core.session_state.SCHEMA` validates the same names on the way in (the edge:
tests/test_session_state.py checks that both declare the same attributes). A leaf module:
:class:`skill.core.turn.Turn` and every dialog module can import it.
"""

from __future__ import annotations

from typing import Any, TypedDict, cast

from skill.core.hold_range import HoldSeconds


class RoutineRecord(TypedDict, total=False):
    """The routine in progress (:class:`skill.core.routine.RoutineState` as a dict).

    Its ``hold`` is the running routine's length and the session's ``hold`` the person's
    choice this session (they differ once "make it longer" changes a routine that began with
    the remembered length, and a routine resumed from memory keeps its own); both are the one
    validated :data:`~skill.core.hold_range.HoldSeconds`, as is the memory's ``hold_seconds``."""

    routine: str
    index: int
    leg: str | None
    hold: HoldSeconds
    paused: bool


class LastItem(TypedDict, total=False):
    """The knowledge item spoken last, for "tell me more"."""

    topic: str
    id: str | None


class TimerRecord(TypedDict):
    id: str
    kind: str


class PendingTimer(TypedDict):
    kind: str
    seconds: int


class Timers(TypedDict, total=False):
    """Timers set this session, and one waiting for the person's permission."""

    ids: list[TimerRecord]
    pending: PendingTimer


class ReminderRecord(TypedDict, total=False):
    """A reminder plan (:class:`skill.core.reminder_plan.ReminderPlan` as a dict)."""

    kind: str
    session: str
    hour: int
    minute: int
    day: str
    repeat: str
    part: str
    in_days: int


class Said(TypedDict, total=False):
    """The last reply as plain segments (:mod:`skill.core.replay`), for "repeat"."""

    speech: list[Any]
    reprompt: list[Any] | None


class SessionState(TypedDict, total=False):
    """Every session attribute, by the module that keeps it."""

    #: skill.core.questions: the pending yes/no question.
    question: str
    #: skill.core.coaching / skill.core.routine: the routine in progress.
    routine: RoutineRecord
    #: skill.core.coaching: this session's hold length (seconds, in the hold range).
    hold: HoldSeconds
    #: skill.core.coaching: a tip was offered once already.
    tip_offered: bool
    #: skill.core.coaching: both legs of each stretch in one answer (issue 23).
    both_legs: bool
    #: skill.core.topics: the item spoken last, and the tip and cause cursors.
    last: LastItem
    tip: int
    cause: int
    #: skill.core.timer_state: timers set this session, and one waiting for permission.
    timers: Timers
    #: skill.core.reminder_dialog: a reminder waiting for its time or the permission;
    #: skill.core.reminder_offers: the reminder just offered (a yes sets it).
    reminder_pending: ReminderRecord
    reminder_offer: ReminderRecord
    #: skill.core.latch: the kind of alarm heard this session (the safety latch).
    safety: str
    #: skill.core.memory_dialog: what "want me to keep a count of your cramps?" was asked for
    #: ("relief" at the end of the relief routine, "count", "now" or a past moment).
    log_for: str
    #: skill.core.disclaimer: the first-use disclaimer was said in this session.
    disclaimed: bool
    #: skill.core.dialog: how many "didn't catch that" in a row.
    misses: int
    #: skill.alexa.handlers.touch: the device could not play an APLA countdown.
    apla_failed: bool
    #: skill.core.dialog: the last reply, for "repeat".
    said: Said
    #: skill.core.injury_memory: "earlier you mentioned a possible injury" was said.
    injury_asked: bool
    #: skill.alexa.emergency_number: the emergency number certain for this device ("").
    number: str


def session_state(attributes: dict[str, Any] | None) -> SessionState:
    """The SDK's session attributes as the typed state (the same dict, not a copy), so code
    at the edge writes them by their declared names too; an absent session gives a throw-away
    state. The values were checked on the way in (:func:`skill.core.session_state.clean`)."""
    return cast(SessionState, attributes if attributes is not None else {})
