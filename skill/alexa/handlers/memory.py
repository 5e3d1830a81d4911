"""Handlers for the memory intents (LogCrampIntent, CrampCountIntent, ForgetDataIntent)."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler

from skill.alexa import time_zone
from skill.alexa.handlers.base import DialogHandler
from skill.core import memory_dialog

LOG_CRAMP_INTENT = "LogCrampIntent"
CRAMP_COUNT_INTENT = "CrampCountIntent"
FORGET_DATA_INTENT = "ForgetDataIntent"


def handlers() -> list[AbstractRequestHandler]:
    return [
        DialogHandler(time_zone.log_cramp, intents=(LOG_CRAMP_INTENT,)),
        DialogHandler(memory_dialog.cramp_count, intents=(CRAMP_COUNT_INTENT,)),
        DialogHandler(memory_dialog.ask_forget, intents=(FORGET_DATA_INTENT,)),
    ]
