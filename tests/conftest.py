"""Shared fixtures: a conversation with the skill through the production Lambda entry point,
with every response checked against Alexa's SSML limits."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.scratch import temp_root, throwaway_dir

# Throw-away files go to RAM where the OS offers it (tests/scratch.py says why).
os.environ["TMPDIR"] = temp_root()
# The shared handler remembers nothing: every test starts as a stranger, and no test writes to
# the real data directory. Tests of memory build their own skill on a temporary store.
os.environ["CRAMP_COACH_DB"] = "none"
# Hosts built from Settings() directly (the web tests) fall back to the default SQLite file
# under XDG_DATA_HOME: point that at a throw-away directory too.
os.environ["XDG_DATA_HOME"] = throwaway_dir()
# The offline NLU caches its embedded samples under XDG_CACHE_HOME (skill/tools/nlu/semantic.py).
os.environ["XDG_CACHE_HOME"] = throwaway_dir()
# The explicit test setting that lets the skill call the fake Alexa API (plain HTTP on
# 127.0.0.1); production never sets it (skill/alexa/alexa_api.py, LOCAL_API_SETTING).
os.environ["CRAMP_COACH_TEST_LOCAL_ALEXA_API"] = "1"

from skill.alexa.builder import build_skill
from skill.core.audio_manifest import durations_by_url
from skill.core.ssml import validate_response
from skill.hosts import lambda_handler  # noqa: E402 - must see the setting above at import
from skill.settings import Settings
from skill.tools.simulator.conversation import Conversation, Heard
from tests.dynalite_server import dynalite  # noqa: F401 - the fixture, for every test module

#: Where tests pretend ``audio/`` is hosted.
AUDIO_BASE_URL = "https://audio.example.com/audio"


class CheckedConversation(Conversation):
    """A conversation whose every response must pass the SSML validator (with the shipped
    clips' durations) and the session rules (an open session always has a reprompt)."""

    def send(self, envelope: dict[str, Any]) -> Heard:
        heard = super().send(envelope)
        check_response(heard)
        return heard


def check_response(heard: Heard) -> None:
    response = heard.response
    assert validate_response(response, durations_by_url(AUDIO_BASE_URL)) == [], heard.ssml
    if response.get("shouldEndSession") is False:
        assert heard.reprompt, f"open session without a reprompt: {heard.speech}"
        assert asks_something(heard.speech), f"open session without a question: {heard.speech}"


def asks_something(speech: str) -> bool:
    """Ends with a question, or its last sentence tells the person what to say ("say",
    Spanish "di" / "dime")."""
    spoken = speech.strip()
    last_sentence = re.split(r"(?<=[.!?])\s+", spoken)[-1]
    # English "say ...", Spanish "di ..." / "dime ..." (the Spanish catalogue's imperative)
    # or "puedes decir ..." ("you can say").
    return spoken.endswith("?") or bool(
        re.search(r"\b(say|di|dime|decir)\b", last_sentence.lower())
    )


#: How a test module says that all its tests are slow (docs/testing.md).
SLOW_MODULE = "pytestmark = pytest.mark.slow"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """When slow tests are left out (``pytest -q``: pyproject.toml's ``-m 'not slow'``), a
    module whose tests are all slow is not even imported: importing hypothesis, moto or the
    bench costs the fast tier seconds, for tests it would deselect anyway. A module named on
    the command line is collected, so the run reports its tests as deselected."""
    if config.getoption("markexpr") != "not slow" or collection_path.suffix != ".py":
        return None
    if not collection_path.name.startswith("test_"):
        return None
    named = {(config.invocation_params.dir / a.split("::")[0]).resolve() for a in config.args}
    if collection_path.resolve() in named:
        return None
    return SLOW_MODULE in collection_path.read_text(encoding="utf-8") or None


@pytest.fixture
def talk() -> CheckedConversation:
    """A fresh user talking to ``skill.hosts.lambda_handler.handler``."""
    return CheckedConversation(lambda_handler.handler)


@pytest.fixture
def talk_with_audio() -> CheckedConversation:
    """A fresh user talking to the skill configured with hosted audio."""
    skill = build_skill(Settings(audio_base_url=AUDIO_BASE_URL))
    return CheckedConversation(functools.partial(lambda_handler.invoke, skill))


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """No network in tests: an Alexa API call to anything but 127.0.0.1 (the fake API) is
    refused at once, as a failed call. The default envelopes name the real endpoint, and the
    skill may ask it for the time zone on any turn that names the emergency number."""
    from urllib.parse import urlsplit

    from skill.alexa import alexa_api

    allowed = alexa_api._allowed  # the skill's own rule still applies on top

    def loopback_only(url: str) -> bool:
        parts = urlsplit(url)
        return (parts.hostname or "") in alexa_api.LOOPBACK_HOSTS and allowed(url)

    monkeypatch.setattr(alexa_api, "_allowed", loopback_only)
