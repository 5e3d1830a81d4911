"""Real Alexa timers for holds and rests: the Timers API calls behind the timer dialog.

The conversation (:mod:`skill.core.timer_dialog`) asks a
:class:`~skill.core.timers.TimerService`; :class:`AlexaTimers` is that service over the
Timers API: the create payload, labels, remaining time, the AskFor directive and the consent
card, and :class:`TimersApi`, a thin layer over the time-boxed
:class:`skill.alexa.alexa_api.AlexaApiClient`. Endpoints and payload follow
docs/alexa-platform.md section 4.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard

from skill.alexa import progressive
from skill.alexa.alexa_api import AlexaApiClient, ApiError
from skill.alexa.permissions import TIMERS_SCOPE
from skill.core.catalogue import Catalogue
from skill.core.durations import iso_duration, parse_iso_duration
from skill.core.session_state import is_identifier
from skill.core.speech import msg, render, say
from skill.core.ssml import wrap
from skill.core.timers import Kind, Listed, Reading, TimerError, TimerSpec
from skill.core.turn import Turn

TIMERS_PATH = "/v1/alerts/timers"


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


class AlexaTimers:
    """The turn's :class:`~skill.core.timers.TimerService` over the Timers API: its calls
    share the turn's one deadline; every API failure is a :class:`TimerError`."""

    def __init__(self, turn: Turn) -> None:
        if turn.alexa_api is None:
            raise ValueError("no Alexa API endpoint in this request")
        self.turn = turn
        self.client = AlexaApiClient(turn.alexa_api, deadline=turn.deadline)
        self.api = TimersApi(self.client)

    def announce(self, kind: Kind) -> None:
        speech = render(say(msg(f"progressive_timer_{kind}")), self.turn.catalogue)
        progressive.send(self.turn, self.client, wrap(speech))

    def create(self, spec: TimerSpec) -> str | None:
        with _as_timer_error():
            timer = self.api.create(spec, self.turn.catalogue, self.turn.locale)
        return str(timer["id"]) if is_identifier(timer.get("id")) else None

    def listed(self) -> list[Listed]:
        with _as_timer_error():
            timers = self.api.list()
        return [
            Listed(str(t["id"]), kind_of_label(t.get("timerLabel"), self.turn.catalogue))
            for t in timers
        ]

    def reading(self, timer_id: str) -> Reading | None:
        with _as_timer_error():
            timer = self.api.get(timer_id)
        left = remaining_seconds(timer)
        return None if left is None else Reading(left, paused=timer.get("status") == "PAUSED")

    def pause(self, timer_id: str) -> None:
        with _as_timer_error():
            self.api.pause(timer_id)

    def resume(self, timer_id: str) -> None:
        with _as_timer_error():
            self.api.resume(timer_id)

    def delete(self, timer_id: str) -> None:
        with _as_timer_error():
            self.api.delete(timer_id)

    def consent_request(self, spec: TimerSpec) -> SendRequestDirective:
        return consent_directive(spec)

    def consent_card(self) -> AskForPermissionsConsentCard:
        return consent_card()


@contextmanager
def _as_timer_error() -> Iterator[None]:
    """An API failure as the core's :class:`TimerError`, with its HTTP status."""
    try:
        yield
    except ApiError as error:
        raise TimerError(str(error), error.status) from error
