"""Build Alexa request envelopes (JSON dicts) the way the Alexa service sends them.

Used by the tests, the terminal simulator and the benchmarks, so all of them drive the
skill with the same, realistic requests.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from skill.alexa.permissions import TIMERS_SCOPE

DEFAULT_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
DEFAULT_USER_ID = "amzn1.ask.account.CRAMPCOACHTESTUSER"
DEFAULT_DEVICE_ID = "amzn1.ask.device.CRAMPCOACHTESTDEVICE"


def now_iso() -> str:
    """Current UTC time in Alexa's timestamp format."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def slot_value(name: str, value: Any) -> dict[str, Any]:
    """A slot as Alexa sends it. ``value`` may be a string, or a dict with ``value`` and an
    optional ``id`` (entity-resolution match for custom slot types)."""
    if isinstance(value, dict):
        raw = value.get("value")
        slot: dict[str, Any] = {"name": name, "value": raw, "confirmationStatus": "NONE"}
        if value.get("id"):
            slot["resolutions"] = {
                "resolutionsPerAuthority": [
                    {
                        "authority": f"amzn1.er-authority.echo-sdk.{DEFAULT_SKILL_ID}.{name}",
                        "status": {"code": "ER_SUCCESS_MATCH"},
                        "values": [{"value": {"name": value.get("name", raw), "id": value["id"]}}],
                    }
                ]
            }
        return slot
    if value is None:
        return {"name": name, "confirmationStatus": "NONE"}
    return {"name": name, "value": str(value), "confirmationStatus": "NONE"}


@dataclass
class EnvelopeFactory:
    """Makes request envelopes for one simulated user and device.

    ``session_attributes`` is carried into the next request by :meth:`carry`, as Alexa does
    when a session stays open; :meth:`new_session` starts over.
    """

    skill_id: str = DEFAULT_SKILL_ID
    user_id: str = DEFAULT_USER_ID
    device_id: str = DEFAULT_DEVICE_ID
    locale: str = "en-US"
    api_endpoint: str = "https://api.amazonalexa.com"
    api_access_token: str = "test-api-access-token"
    screen: bool = False
    #: A recognised voice profile (``context.System.person``), or None.
    person_id: str | None = None
    session_id: str = field(default_factory=lambda: f"amzn1.echo-api.session.{uuid.uuid4()}")
    session_attributes: dict[str, Any] = field(default_factory=dict)
    new: bool = True

    def new_session(self) -> None:
        """Forget the session: the next request opens a new one."""
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.session_attributes = {}
        self.new = True

    def carry(self, response_envelope: dict[str, Any]) -> None:
        """Take the session attributes of a response into the next request, or start a new
        session if the response ended this one."""
        response = response_envelope.get("response") or {}
        if response.get("shouldEndSession") is True:
            self.new_session()
            return
        self.session_attributes = dict(response_envelope.get("sessionAttributes") or {})
        self.new = False

    def _envelope(self, request: dict[str, Any]) -> dict[str, Any]:
        interfaces: dict[str, Any] = {}
        if self.screen:
            interfaces["Alexa.Presentation.APL"] = {"runtime": {"maxVersion": "2023.2"}}
            interfaces["Display"] = {"templateVersion": "1.0", "markupVersion": "1.0"}
        application = {"applicationId": self.skill_id}
        user = {"userId": self.user_id}
        envelope: dict[str, Any] = {
            "version": "1.0",
            "session": {
                "new": self.new,
                "sessionId": self.session_id,
                "application": application,
                "attributes": dict(self.session_attributes),
                "user": user,
            },
            "context": {
                "System": {
                    "application": application,
                    "user": user,
                    "device": {"deviceId": self.device_id, "supportedInterfaces": interfaces},
                    "apiEndpoint": self.api_endpoint,
                    "apiAccessToken": self.api_access_token,
                    **({"person": {"personId": self.person_id}} if self.person_id else {}),
                }
            },
            "request": {
                "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
                "timestamp": now_iso(),
                "locale": self.locale,
                **request,
            },
        }
        return envelope

    def launch(self) -> dict[str, Any]:
        return self._envelope({"type": "LaunchRequest"})

    def intent(self, name: str, slots: dict[str, Any] | None = None) -> dict[str, Any]:
        """An IntentRequest; ``slots`` maps slot name to value (see :func:`slot_value`)."""
        return self._envelope(
            {
                "type": "IntentRequest",
                "dialogState": "COMPLETED",
                "intent": {
                    "name": name,
                    "confirmationStatus": "NONE",
                    "slots": {k: slot_value(k, v) for k, v in (slots or {}).items()},
                },
            }
        )

    def user_event(self, arguments: Any, token: str = "cramp-coach-screen") -> dict[str, Any]:
        """A touch on an APL screen: ``Alexa.Presentation.APL.UserEvent`` with the
        ``arguments`` of the button's SendEvent command."""
        return self._envelope(
            {
                "type": "Alexa.Presentation.APL.UserEvent",
                "token": token,
                "arguments": arguments,
                "source": {"type": "TouchWrapper", "handler": "Press", "id": ""},
                "components": {},
            }
        )

    def presentation_error(self, interface: str = "APLA", errors: Any = None) -> dict[str, Any]:
        """``Alexa.Presentation.{interface}.RuntimeError``: the device could not render a
        document the skill sent (``interface`` APL or APLA)."""
        if errors is None:
            kind, reason = ("RENDER_ERROR", "UNKNOWN_ERROR")
            if interface == "APL":
                kind, reason = ("LIST_ERROR", "INVALID_DATASOURCE")
            errors = [{"type": kind, "reason": reason, "message": "simulated rendering error"}]
        return self._envelope(
            {
                "type": f"Alexa.Presentation.{interface}.RuntimeError",
                "token": "cramp-coach-hold" if interface == "APLA" else "cramp-coach-screen",
                "errors": errors,
            }
        )

    def session_ended(
        self, reason: str = "USER_INITIATED", error_type: str | None = None
    ) -> dict[str, Any]:
        request: dict[str, Any] = {"type": "SessionEndedRequest", "reason": reason}
        if error_type:
            request["error"] = {"type": error_type, "message": "simulated error"}
        return self._envelope(request)

    def connections_response(
        self,
        status: str,
        name: str = "AskFor",
        is_card_thrown: bool = False,
        token: str = "",
        scope: str = TIMERS_SCOPE,
    ) -> dict[str, Any]:
        """The ``Connections.Response`` Alexa sends after an AskFor permission request."""
        return self._envelope(
            {
                "type": "Connections.Response",
                "name": name,
                "status": {"code": "200", "message": "OK"},
                "token": token,
                "payload": {
                    "permissionScope": scope,
                    "status": status,
                    "isCardThrown": is_card_thrown,
                },
            }
        )
