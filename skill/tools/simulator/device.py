"""Talk to the skill by typing, as if to an Echo: one line in, Alexa's request out.

Shared by ``cramp-coach chat``, ``cramp-coach say`` and the YAML conversation tests, so
the tests exercise exactly what a developer sees. Each line is routed the way Alexa
routes speech (:mod:`skill.tools.simulator.invocation`), understood locally
(:mod:`skill.tools.nlu.model`) and sent as a real request envelope through a
:class:`~skill.tools.simulator.conversation.Conversation`, in-process or over HTTP
(:func:`post_to`).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from skill.tools.nlu.model import Model, Understood, default_model
from skill.tools.simulator.conversation import Conversation, Handler, Heard
from skill.tools.simulator.invocation import address


@dataclass(frozen=True)
class Exchange:
    """One line typed and what came of it. ``request`` is the request type or intent sent
    (empty when nothing was sent, e.g. "exit" with no session open)."""

    said: str
    request: str = ""
    understood: Understood | None = None
    heard: Heard | None = None
    #: Why nothing was sent, when that is not "no session" (e.g. no such button on screen).
    note: str = ""


#: Typed lines that press a button on the screen: "tap next", "touch other leg".
TOUCH_WORDS = ("tap ", "touch ", "press ")


class Simulator:
    """A person talking to the skill through ``conversation``, line by line."""

    def __init__(self, conversation: Conversation, model: Model | None = None) -> None:
        self.talk = conversation
        self.model = model or default_model()
        #: The data source of the screen shown last (a device with APL), for touches.
        self.screen: dict[str, Any] | None = None
        #: The last response heard (e.g. to answer a permission request it made).
        self.last: Heard | None = None

    @property
    def in_session(self) -> bool:
        """Whether a session is open (the last response kept the microphone open)."""
        return not self.talk.factory.new

    def hear(self, said: str) -> Exchange:
        """Route one typed line: launch, exit, or an intent (a one-shot if it names the skill)."""
        touched = next((said[len(w) :] for w in TOUCH_WORDS if said.lower().startswith(w)), None)
        if touched is not None:
            return self._seen(self.touch(said, touched.strip()))
        return self._seen(self._speak(said))

    def _seen(self, exchange: Exchange) -> Exchange:
        if exchange.heard is not None:
            self.last = exchange.heard
        if exchange.heard is not None and exchange.heard.screen is not None:
            self.screen = exchange.heard.screen
        return exchange

    def touch(self, said: str, label: str) -> Exchange:
        """Press the button labelled (or with the action) ``label`` on the last screen: the
        UserEvent its SendEvent command sends (arguments: action, step position)."""
        properties = ((self.screen or {}).get("coach") or {}).get("properties") or {}
        wanted = label.lower().replace("_", " ")
        for button in properties.get("buttons") or []:
            names = {
                str(button.get("label", "")).lower(),
                str(button.get("action", "")).replace("_", " "),
            }
            if wanted in names:
                arguments = [button["action"], properties.get("position", "")]
                heard = self.talk.touch(*arguments)
                return Exchange(said, f"UserEvent {' '.join(arguments)}", None, heard)
        shown = ", ".join(str(b.get("label")) for b in properties.get("buttons") or [])
        note = f"(no {label!r} button on the screen{': ' + shown if shown else ''})"
        return Exchange(said, note=note)

    def _speak(self, said: str) -> Exchange:
        addressed = address(said, self.model.invocation, self.model.language.code)
        if addressed.kind == "exit":
            return self.leave(said)
        if addressed.new_session:
            self.talk.new_session()
        if addressed.kind == "launch":
            return Exchange(said, "LaunchRequest", None, self.talk.launch())
        understood = self.model.understand(addressed.utterance)
        heard = self.talk.intent(understood.intent, **understood.slots)
        return Exchange(said, understood.intent, understood, heard)

    def leave(self, said: str = "", reason: str = "USER_INITIATED") -> Exchange:
        """End an open session as Alexa does when the person says "exit" or walks away."""
        if not self.in_session:
            return Exchange(said)
        return Exchange(said, "SessionEndedRequest", None, self.talk.end_session(reason))


def post_to(url: str, timeout: float = 10.0) -> Handler:
    """A handler that POSTs each request envelope as JSON to ``url`` (the Flask server with
    signature verification off) and returns the response envelope."""

    def handler(envelope: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            url,
            data=json.dumps(envelope).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read()
        except ConnectionError as error:
            # The server's side of the socket (a broken pipe included): told apart from the
            # caller's own output closing, which ends `cramp-coach chat | head -1` quietly.
            raise urllib.error.URLError(error) from error
        return json.loads(body) if body.strip() else {}

    return handler
