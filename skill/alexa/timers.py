"""Real Alexa timers for holds and rests: what to ask for, and the Timers API calls.

Plain logic (timer specs, the create payload, remaining time) plus :class:`TimersApi`, a
thin layer over the time-boxed :class:`skill.alexa.alexa_api.AlexaApiClient`. Endpoints and
payload follow docs/alexa-platform.md section 4.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import quote

from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard

from skill.alexa.alexa_api import AlexaApiClient, ApiError
from skill.core.catalogue import Catalogue
from skill.core.durations import iso_duration, parse_iso_duration
from skill.core.holds import MAX_HOLD, clamp_hold
from skill.core.numbers import parse_number
from skill.core.session_state import is_identifier

TIMERS_SCOPE = "alexa::alerts:timers:skill:readwrite"
TIMERS_PATH = "/v1/alerts/timers"
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

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "seconds": self.seconds}

    @classmethod
    def from_dict(cls, raw: Any) -> TimerSpec | None:
        if not isinstance(raw, dict) or raw.get("kind") not in KINDS:
            return None
        seconds = raw.get("seconds")
        if not isinstance(seconds, int) or not MIN_REST <= seconds <= MAX_REST:
            return None
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
    return "hold" if seconds is None or seconds <= MAX_HOLD else "rest"


def unique_label(kind: Kind, catalogue: Catalogue) -> str:
    """The on-screen label in the person's language. Alexa refuses a second timer with the
    same label, so each gets a short suffix."""
    # os.urandom, not uuid: uuid imports platform and more on the cold-start path.
    return f"{catalogue.text(f'timer_label_{kind}')} {os.urandom(3).hex()}"


def kind_of_label(label: Any, catalogue: Catalogue) -> Kind:
    """The kind of a timer this skill labelled (see :func:`unique_label`)."""
    for kind in ("rest", "heat"):
        if str(label or "").startswith(catalogue.text(f"timer_label_{kind}") + " "):
            return kind
    return "hold"


def create_payload(
    spec: TimerSpec, catalogue: Catalogue, label: str, locale: str | None = None
) -> dict[str, Any]:
    """The create-timer body: announce in the person's locale (the request's, else the
    catalogue's), shown on screen, audible."""
    return {
        "duration": iso_duration(spec.seconds),
        "timerLabel": label,
        "creationBehavior": {"displayExperience": {"visibility": "VISIBLE"}},
        "triggeringBehavior": {
            "operation": {
                "type": "ANNOUNCE",
                "textToAnnounce": [
                    {
                        "locale": locale or catalogue.locale,
                        "text": catalogue.text(f"timer_announce_{spec.kind}"),
                    }
                ],
            },
            "notificationConfig": {"playAudible": True},
        },
    }


def remaining_seconds(timer: dict[str, Any], now: datetime | None = None) -> int | None:
    """Seconds left on a timer as the API describes it; None if it is no longer running."""
    status = timer.get("status")
    if status == "PAUSED":
        left = parse_iso_duration(str(timer.get("remainingTimeWhenPaused") or ""))
        return None if left is None else max(0, round(left))
    if status != "ON":
        return None
    trigger = _parse_time(timer.get("triggerTime"))
    if trigger is None:
        return None
    left = (trigger - (now or datetime.now(UTC))).total_seconds()
    return max(0, round(left))


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def consent_directive(spec: TimerSpec) -> SendRequestDirective:
    """Ask Alexa to ask the person, by voice, to let the skill set timers."""
    return SendRequestDirective(
        name="AskFor",
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "1",
            "permissionScope": TIMERS_SCOPE,
        },
        token=spec.token(),
    )


def consent_card() -> AskForPermissionsConsentCard:
    """The Alexa app card that links to the skill's timer permission."""
    return AskForPermissionsConsentCard(permissions=[TIMERS_SCOPE])


class TimersApi:
    """The Timers API calls this skill makes, each through the turn's time-boxed client."""

    def __init__(self, client: AlexaApiClient) -> None:
        self.client = client

    def create(self, spec: TimerSpec, catalogue: Catalogue, locale: str) -> dict[str, Any]:
        label = unique_label(spec.kind, catalogue)
        payload = create_payload(spec, catalogue, label, locale)
        return _object(self.client.call("POST", TIMERS_PATH, payload))

    def get(self, timer_id: str) -> dict[str, Any]:
        return _object(self.client.call("GET", f"{TIMERS_PATH}/{quote(timer_id, safe='')}"))

    def list(self) -> list[dict[str, Any]]:
        """This skill's timers for this person (the API lists only the calling skill's)."""
        timers = _object(self.client.call("GET", TIMERS_PATH)).get("timers") or []
        if not isinstance(timers, list):
            raise ApiError("timer list of the wrong shape")
        return [t for t in timers if isinstance(t, dict) and is_identifier(t.get("id"))]

    def pause(self, timer_id: str) -> None:
        self.client.call("POST", f"{TIMERS_PATH}/{quote(timer_id, safe='')}/pause")

    def resume(self, timer_id: str) -> None:
        self.client.call("POST", f"{TIMERS_PATH}/{quote(timer_id, safe='')}/resume")

    def delete(self, timer_id: str) -> None:
        self.client.call("DELETE", f"{TIMERS_PATH}/{quote(timer_id, safe='')}")


def _object(answer: Any) -> dict[str, Any]:
    """A JSON object answer (an empty answer counts as an empty object); any other shape
    (an array, a string, a number) is an API error, so the caller's fallback is spoken."""
    if answer is None:
        return {}
    if not isinstance(answer, dict):
        raise ApiError("answer of the wrong shape")
    return answer
