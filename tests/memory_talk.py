"""A conversation with a skill built on a given store, at a controlled request time."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from skill.alexa.builder import build_skill
from skill.hosts.lambda_handler import invoke
from skill.settings import Settings
from skill.tools.simulator.conversation import Heard
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests.conftest import CheckedConversation

START = 1_750_000_000  # a fixed Monday-ish epoch second; tests move the clock from here
MINUTE = 60
DAY = 24 * 60 * MINUTE


class TimedConversation(CheckedConversation):
    """Every request carries ``self.now`` as its timestamp (the clock the memory rules use)."""

    def __init__(
        self,
        adapter: AbstractPersistenceAdapter | None,
        user: str = "PERSON",
        settings: Settings | None = None,
    ) -> None:
        skill = build_skill(settings or Settings(), persistence_adapter=adapter)
        factory = EnvelopeFactory(user_id=f"amzn1.ask.account.{user}")
        super().__init__(functools.partial(invoke, skill), factory)
        self.now: float = START

    def send(self, envelope: dict[str, Any]) -> Heard:
        stamp = datetime.fromtimestamp(self.now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        envelope["request"]["timestamp"] = stamp
        return super().send(envelope)

    def later(self, seconds: float) -> None:
        """Time passes and the person comes back in a new session."""
        self.now += seconds
        self.new_session()

    def agree_to_log(self) -> None:
        """Say yes to "want me to keep a count of your cramps?" (asked after "how many
        cramps"), then start a new session: no cramp is logged without that yes."""
        offer = self.intent("CrampCountIntent")
        assert offer.speech.endswith("Want me to keep a count of your cramps?"), offer.speech
        self.intent("AMAZON.YesIntent")
        self.new_session()

    def log_a_cramp(self) -> Heard:
        """ "I had a cramp", with a yes to keeping a count if the skill asks (it asks while
        the person has not agreed, e.g. after the store lost their record)."""
        heard = self.intent("LogCrampIntent")
        if heard.speech.endswith("Want me to keep a count of your cramps?"):
            heard = self.intent("AMAZON.YesIntent")
        return heard

    def whole_relief_routine(self) -> str:
        """Start the relief routine and say next until it ends; the ending's speech."""
        heard = self.intent("CrampReliefIntent")
        for _ in range(10):
            heard = self.intent("AMAZON.NextIntent")
            if "Well done." in heard.speech:
                return heard.speech
        raise AssertionError(f"relief routine did not end: {heard.speech}")
