"""Handlers for the foundation intents: each maps an intent to one plain dialog function."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from skill.alexa.envelope_check import SPOKEN_REQUEST_TYPES
from skill.alexa.handlers.base import DialogHandler
from skill.alexa.render import render
from skill.core import asides, coaching, dialog, latch, safety, topics
from skill.core.logsafe import clean, describe
from skill.core.reply import ask
from skill.core.speech import msg, say
from skill.core.state import session_state

log = logging.getLogger(__name__)


class SessionEndedHandler(AbstractRequestHandler):
    """Alexa accepts no speech here: log why the session ended and answer empty."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        error = getattr(request, "error", None)
        log.info(
            "session ended: reason=%s error=%s",
            getattr(getattr(request, "reason", None), "value", None),
            getattr(getattr(error, "object_type", None), "value", None) if error else None,
        )
        return handler_input.response_builder.response


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """No exception reaches Alexa as an error: the safety sentence first (the request may
    have been an alarm), then the apology; never a stretch instruction."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        envelope = handler_input.request_envelope
        kind = getattr(getattr(envelope, "request", None), "object_type", None)
        if envelope.session is None or kind not in SPOKEN_REQUEST_TYPES:
            # A system request (a skill event, System.ExceptionEncountered) that no handler
            # takes, or one without a session: no speech is allowed, and there are no
            # session attributes to read. An empty response is the valid answer.
            log.info("unhandled_request type=%s", clean(kind))
            return handler_input.response_builder.response
        # The type and place only: an exception's message may quote the request.
        log.error("skill_error %s", describe(exception))
        state = session_state(handler_input.attributes_manager.session_attributes)
        latched = state.get("safety") in latch.KINDS
        reply = ask(
            say(
                msg("safety_first"),
                msg("error"),
                msg("safety_latched_doctor") if latched else None,
                msg("menu_question"),
            ),
            say(msg("error_reprompt")),
        )
        return render(handler_input, reply)


HANDLERS: list[AbstractRequestHandler] = [
    DialogHandler(dialog.launch, request_types=("LaunchRequest",)),
    DialogHandler(coaching.start_relief, intents=("CrampReliefIntent",)),
    DialogHandler(coaching.start_session, intents=("StretchSessionIntent",)),
    DialogHandler(coaching.set_hold_length, intents=("HoldLengthIntent",)),
    DialogHandler(coaching.switch_leg, intents=("SwitchLegIntent",)),
    DialogHandler(dialog.skip, intents=("SkipIntent",)),
    DialogHandler(topics.overview, intents=("AboutCrampsIntent",)),
    DialogHandler(topics.causes, intents=("CausesIntent",)),
    DialogHandler(topics.prevention_tip, intents=("PreventionIntent",)),
    DialogHandler(topics.doctor_advice, intents=("DoctorAdviceIntent",)),
    DialogHandler(safety.emergency, intents=("EmergencyIntent",)),
    DialogHandler(safety.red_flag, intents=("RedFlagIntent",)),
    DialogHandler(safety.seed_situation, intents=("SymptomCheckIntent",)),
    DialogHandler(topics.relief_step_info, intents=("ReliefStepIntent",)),
    DialogHandler(topics.more, intents=("TellMeMoreIntent",)),
    DialogHandler(asides.feeling_better, intents=("FeelingBetterIntent",)),
    DialogHandler(safety.distress, intents=("DistressIntent",)),
    DialogHandler(asides.where_was_i, intents=("WhereWasIIntent",)),
    DialogHandler(asides.hold_advice, intents=("HoldAdviceIntent",)),
    DialogHandler(dialog.help_, intents=("AMAZON.HelpIntent",), answers_question=True),
    DialogHandler(dialog.goodbye, intents=("AMAZON.StopIntent", "AMAZON.CancelIntent")),
    DialogHandler(dialog.navigate_home, intents=("AMAZON.NavigateHomeIntent",)),
    DialogHandler(dialog.yes, intents=("AMAZON.YesIntent",), answers_question=True),
    DialogHandler(dialog.no, intents=("AMAZON.NoIntent",), answers_question=True),
    DialogHandler(dialog.next_, intents=("AMAZON.NextIntent",), answers_question=True),
    DialogHandler(dialog.previous, intents=("AMAZON.PreviousIntent",)),
    DialogHandler(dialog.repeat, intents=("AMAZON.RepeatIntent",), answers_question=True),
    DialogHandler(dialog.pause, intents=("AMAZON.PauseIntent",)),
    DialogHandler(dialog.resume, intents=("AMAZON.ResumeIntent",)),
    DialogHandler(dialog.start_over, intents=("AMAZON.StartOverIntent",)),
    DialogHandler(
        dialog.fallback, intents=("AMAZON.FallbackIntent",), answers_question=True, missed=True
    ),
    SessionEndedHandler(),
]
