"""Shared fixtures: a conversation with the skill through the production Lambda entry point,
with every response checked against Alexa's SSML limits."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

# The shared handler remembers nothing: every test starts as a stranger, and no test writes to
# the real data directory. Tests of memory build their own skill on a temporary store.
os.environ["CRAMP_COACH_DB"] = "none"

from skill import lambda_handler  # noqa: E402 - must see the setting above at import
from skill.conversation import Conversation, Heard
from skill.ssml import validate_response


class CheckedConversation(Conversation):
    """A conversation whose every response must pass the SSML validator and the session
    rules (an open session always has a reprompt)."""

    def send(self, envelope: dict[str, Any]) -> Heard:
        heard = super().send(envelope)
        check_response(heard)
        return heard


def check_response(heard: Heard) -> None:
    response = heard.response
    assert validate_response(response) == [], heard.ssml
    if response.get("shouldEndSession") is False:
        assert heard.reprompt, f"open session without a reprompt: {heard.speech}"
        assert asks_something(heard.speech), f"open session without a question: {heard.speech}"


def asks_something(speech: str) -> bool:
    """Ends with a question, or its last sentence tells the person what to say."""
    spoken = speech.strip()
    last_sentence = re.split(r"(?<=[.!?])\s+", spoken)[-1]
    return spoken.endswith("?") or "say " in last_sentence.lower()


@pytest.fixture
def talk() -> CheckedConversation:
    """A fresh user talking to ``skill.lambda_handler.handler``."""
    return CheckedConversation(lambda_handler.handler)
