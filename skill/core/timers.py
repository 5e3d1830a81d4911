"""What a timer is to the conversation, and what the conversation may ask of Alexa's timers.

Why apart from the Timers API: the timer dialog (:mod:`skill.core.timer_dialog`) is plain
conversation like every other intent's, so it stays in the core and never calls Amazon. It
works on :class:`TimerSpec` values and asks a :class:`TimerService` (the turn's
``Turn.timers``) for the calls; the service over the real API is
:class:`skill.alexa.timers.AlexaTimers`, built at the edge with the request's endpoint and
token. Every failure of the service is a :class:`TimerError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from skill.core.hold_range import HoldSeconds, clamp_hold, hold_or_default, is_hold_length
from skill.core.numbers import parse_number

#: Alexa's limits: whole seconds, at most two hours.
MIN_REST = 1
MAX_REST = 2 * 60 * 60
#: Prefix of the AskFor token, so a Connections.Response can be recognised as ours.
TOKEN_PREFIX = "cramp-coach-timer"

Kind = Literal["hold", "rest", "heat"]
#: "heat" is relief's fifteen-minute heat or cold timer (issue 23), offered by the routine.
KINDS: tuple[Kind, ...] = ("hold", "rest", "heat")


@dataclass(frozen=True)
class TimerSpec:
    """A timer the person asked for, after clamping. ``requested`` is what they said."""

    kind: Kind
    seconds: int
    requested: int | None = None

    @property
    def clamped(self) -> bool:
        return self.requested is not None and self.requested != self.seconds

    @property
    def hold(self) -> HoldSeconds:
        """A hold timer's length as a hold: :func:`hold_spec` and :meth:`from_dict` keep its
        seconds in the range; a spec built otherwise counts the default, never a longer hold."""
        return hold_or_default(self.seconds)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "seconds": self.seconds}

    @classmethod
    def from_dict(cls, raw: Any) -> TimerSpec | None:
        if not isinstance(raw, dict) or raw.get("kind") not in KINDS:
            return None
        seconds = raw.get("seconds")
        if not isinstance(seconds, int) or not MIN_REST <= seconds <= MAX_REST:
            return None
        if raw["kind"] == "hold":  # read at the edge (the session, a token): a hold's range
            seconds = hold_or_default(seconds)
        return cls(kind=raw["kind"], seconds=seconds)

    def token(self) -> str:
        """The AskFor token: carries the pending timer through the consent round trip."""
        return f"{TOKEN_PREFIX}:{self.kind}:{self.seconds}"

    @classmethod
    def from_token(cls, token: str | None) -> TimerSpec | None:
        parts = (token or "").split(":")
        if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
            return None
        return cls.from_dict({"kind": parts[1], "seconds": parse_number(parts[2], 0, MAX_REST)})


def hold_spec(requested: float | None) -> TimerSpec:
    """A hold timer: 20-30 s like the in-speech holds (None gives the default)."""
    length = clamp_hold(requested)
    return TimerSpec("hold", length.seconds, length.requested)


def rest_spec(requested: float) -> TimerSpec:
    """A rest timer: 1 s to Alexa's two-hour maximum."""
    value = round(requested)
    return TimerSpec("rest", min(MAX_REST, max(MIN_REST, value)), value)


def kind_for(kind: str | None, seconds: float | None) -> Kind:
    """The kind of timer meant: as said, else a hold for hold-length (or no) durations."""
    for known in KINDS:
        if kind == known:
            return known
    return "hold" if seconds is None or is_hold_length(seconds) else "rest"


class TimerError(Exception):
    """A timer call failed; ``status`` is the API's HTTP status when it answered."""

    #: The API answered that this timer does not exist (any more).
    NOT_FOUND = 404
    #: The person has not given the skill the timers permission.
    UNAUTHORIZED = 401

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Listed:
    """A timer this skill set, as the service lists it."""

    id: str
    kind: Kind


@dataclass(frozen=True)
class Reading:
    """A timer that is still running (or paused): the seconds left on it."""

    seconds_left: int
    paused: bool = False


class TimerService(Protocol):
    """The timer calls one turn may make; each raises :class:`TimerError` on failure."""

    def announce(self, kind: Kind) -> None:
        """Say at once that a timer is being set (never raises: a courtesy)."""

    def create(self, spec: TimerSpec) -> str | None:
        """Set the timer; its id, or None when the answer named none usable."""

    def listed(self) -> list[Listed]:
        """This skill's timers for this person."""

    def reading(self, timer_id: str) -> Reading | None:
        """Time left on a timer; None when it is no longer running."""

    def pause(self, timer_id: str) -> None: ...

    def resume(self, timer_id: str) -> None: ...

    def delete(self, timer_id: str) -> None: ...

    def consent_request(self, spec: TimerSpec) -> Any:
        """The directive that has Alexa ask the person for the timers permission."""

    def consent_card(self) -> Any:
        """The app card that links to the timers permission."""
