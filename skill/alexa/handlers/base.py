"""Thin handler plumbing: turn an SDK request into a :class:`Turn`, call a plain dialog
function, render its :class:`Reply`."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import IntentRequest, Response

from skill.alexa.emergency_number import with_number
from skill.alexa.handlers.persistence import commit
from skill.alexa.presentation import supports_apl
from skill.alexa.reminders import AlexaReminders
from skill.alexa.render import render, spoken
from skill.alexa.scope import scope_of
from skill.alexa.timers import AlexaTimers
from skill.core import questions, screens
from skill.core.dialog import forget_misses, remember_reply
from skill.core.reply import Reply
from skill.core.speech import plain
from skill.core.state import session_state
from skill.core.turn import AlexaApi, SlotValue, Turn

__all__ = ["DialogHandler", "turn_of"]


def request_time(handler_input: HandlerInput) -> float:
    """The request's timestamp as epoch seconds (the clock the memory rules use), or now."""
    stamp = getattr(handler_input.request_envelope.request, "timestamp", None)
    return stamp.timestamp() if isinstance(stamp, datetime) else time.time()


def slots_of(handler_input: HandlerInput) -> dict[str, SlotValue]:
    """Filled slots of an IntentRequest, with entity-resolution ids where Alexa matched one."""
    request = handler_input.request_envelope.request
    intent = request.intent if isinstance(request, IntentRequest) else None
    if intent is None or not intent.slots:
        return {}
    filled: dict[str, SlotValue] = {}
    for name, slot in intent.slots.items():
        if slot is None or slot.value is None:
            continue
        resolved = None
        authorities = slot.resolutions.resolutions_per_authority if slot.resolutions else None
        for authority in authorities or []:
            code = authority.status.code if authority.status else None
            value = authority.values[0].value if authority.values else None
            if code is not None and code.value == "ER_SUCCESS_MATCH" and value is not None:
                resolved = value.id
                break
        filled[name] = SlotValue(value=slot.value, id=resolved)
    return filled


def alexa_api_of(handler_input: HandlerInput) -> AlexaApi | None:
    """The Alexa API endpoint and token this request came with, if any."""
    context = handler_input.request_envelope.context
    system = context.system if context else None
    if system is None or not system.api_endpoint or not system.api_access_token:
        return None
    request_id = getattr(handler_input.request_envelope.request, "request_id", None) or ""
    device = system.device.device_id if system.device else None
    return AlexaApi(
        endpoint=system.api_endpoint,
        token=system.api_access_token,
        device_id=device or None,
        request_id=request_id,
    )


def turn_of(handler_input: HandlerInput) -> Turn:
    """Build the plain :class:`Turn` for this request."""
    envelope = handler_input.request_envelope
    attributes = handler_input.attributes_manager
    scope = scope_of(handler_input)
    catalogue = scope.catalogue
    # A request outside a session (Alexa may send Connections.Response and skill events
    # without one) has no session attributes: the SDK raises on reading them, and nothing
    # written to them would reach Alexa, so this turn gets a throw-away state.
    turn = Turn(
        # Checked against the schema on the way in (skill.alexa.handlers.session).
        state=session_state(attributes.session_attributes if envelope.session else None),
        slots=slots_of(handler_input),
        settings=scope.settings,
        locale=getattr(envelope.request, "locale", None) or catalogue.locale,
        catalogue=catalogue,
        new_session=bool(envelope.session and envelope.session.new),
        persistent=None if scope.memory is None else scope.memory.attributes,
        now=request_time(handler_input),
        alexa_api=alexa_api_of(handler_input),
        deadline=scope.deadline,
        # The memory interceptor sets it up on every turn when a store is configured.
        memory_on=scope.memory is not None,
        shows_screen=supports_apl(handler_input),
    )
    if turn.alexa_api is not None:
        turn.timers = AlexaTimers(turn)
        turn.reminders = AlexaReminders(turn)
    return turn


DialogFunction = Callable[[Turn], Reply]


def _last_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", text.strip())[-1] if text.strip() else ""


class DialogHandler(AbstractRequestHandler):
    """Handles the given intents (or request types) with one plain dialog function."""

    def __init__(
        self,
        dialog: DialogFunction,
        intents: tuple[str, ...] = (),
        request_types: tuple[str, ...] = (),
        answers_question: bool = False,
        missed: bool = False,
    ) -> None:
        self.dialog = dialog
        self.intents = intents
        self.request_types = request_types
        #: Whether this intent may answer a pending yes/no question; any other intent
        #: drops the question, so a later "yes" cannot trigger a stale action.
        self.answers_question = answers_question
        #: Whether this is the "didn't catch that" handler; any other ends a run of misses.
        self.missed = missed

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return any(is_intent_name(name)(handler_input) for name in self.intents) or any(
            is_request_type(kind)(handler_input) for kind in self.request_types
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.respond(handler_input, self.dialog)

    def respond(self, handler_input: HandlerInput, dialog: DialogFunction) -> Response:
        """Run ``dialog`` on this request's turn (subclasses pass request details in)."""
        turn = turn_of(handler_input)
        if not self.answers_question:
            questions.clear(turn)
        if not self.missed:
            forget_misses(turn)
        reply = dialog(turn)
        asks = reply.keeps_session_open and questions.pending(turn) is not None
        if asks and turn.shows_screen:
            # The voice asked a yes/no question: the screen offers Yes and No.
            question = _last_sentence(plain(reply.speech, turn.catalogue))
            reply.screen = screens.with_yes_no(reply.screen, turn.catalogue, question)
        # Store before answering, so the answer never claims a save that failed.
        if commit(handler_input) is False and reply.unsaved is not None:
            reply = reply.unsaved
        # 911 where the device's time zone makes it certain (en-US, es-US).
        catalogue, reply = with_number(turn, reply)
        if catalogue is not turn.catalogue:
            turn.catalogue = catalogue
            scope_of(handler_input).catalogue = catalogue
        apla_ok = turn.state.get("apla_failed") is not True
        said = spoken(reply, turn.catalogue, turn.settings, apla_ok)
        remember_reply(turn, reply, said.speech, said.reprompt)
        return render(handler_input, reply, said)

    def __repr__(self) -> str:
        return f"DialogHandler({self.dialog.__name__}, {self.intents or self.request_types})"
