"""A progressive response before the slow Timers API call, within the turn's API budget.

Driven through the Lambda entry point against the fake Alexa API on 127.0.0.1, which records
``POST /v1/directives`` apart from the timer calls.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from skill.alexa import progressive
from skill.alexa.alexa_api import AlexaApiClient
from skill.core.turn import AlexaApi, Turn
from skill.tools.simulator.fake_alexa_api import HANG, TOKEN, FakeAlexaApi
from tests import test_timers
from tests.conftest import CheckedConversation

HOLD, REST, TIMERS = test_timers.HOLD, test_timers.REST, test_timers.TIMERS
# The timer tests' fixtures: a fake Alexa API on 127.0.0.1, a conversation pointed at it.
fake = test_timers.fake
talk = test_timers.talk


def test_setting_a_timer_says_okay_first(talk: CheckedConversation, fake: FakeAlexaApi) -> None:
    envelope = talk.factory.intent("SetTimerIntent", {"TimerKind": HOLD, "Duration": "PT30S"})
    heard = talk.send(envelope)
    assert heard.speech.startswith("Timer set for 30 seconds.")
    [said] = fake.directives
    assert said.method == "POST" and said.authorization == f"Bearer {TOKEN}"
    assert said.body == {
        "header": {"requestId": envelope["request"]["requestId"]},
        "directive": {
            "type": "VoicePlayer.Speak",
            "speech": "<speak><s>Okay, setting your stretch timer.</s></speak>",
        },
    }
    [create] = [r for r in fake.requests if (r.method, r.path) == ("POST", TIMERS)]
    assert said.at < create.at  # before the slow call, not after it


def test_a_rest_timer_says_so(talk: CheckedConversation, fake: FakeAlexaApi) -> None:
    talk.intent(
        "SetTimerIntent", TimerKind=REST, Number="2", Unit={"value": "minutes", "id": "minute"}
    )
    assert "rest timer" in fake.directives[0].body["directive"]["speech"]


@pytest.mark.parametrize("answer", [400, 403, 500])
def test_a_refused_progressive_response_changes_nothing(
    talk: CheckedConversation, fake: FakeAlexaApi, answer: int
) -> None:
    fake.directive_script.append(answer)
    heard = talk.intent("SetTimerIntent", TimerKind=HOLD, Duration="PT25S")
    assert heard.speech.startswith("Timer set for 25 seconds.")
    assert len(fake.timers) == 1


class Gate:
    """The fake's hang, held until the test opens it, that tells whether it has ended."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.ended = False

    def wait(self, timeout: float | None = None) -> bool:
        opened = self.opened.wait(timeout)
        self.ended = True
        return opened

    def set(self) -> None:
        self.opened.set()

    def is_set(self) -> bool:
        return self.opened.is_set()


@pytest.mark.slow
def test_a_hung_progressive_response_costs_at_most_its_share(
    talk: CheckedConversation, fake: FakeAlexaApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted, not timed (a wall-clock bound fails on a loaded machine): the progressive
    response is given at most its share of the turn's API budget, and the turn answers, the
    timer set, while the hung call is still hanging: it waited its share, not the hang."""
    given: list[float] = []
    run_within = progressive.run_within

    def recording(call: Any, seconds: float) -> Any:
        given.append(seconds)
        return run_within(call, seconds)

    monkeypatch.setattr(progressive, "run_within", recording)
    gate = fake.released = Gate()  # type: ignore[assignment]
    fake.directive_script.append(HANG)
    heard = talk.intent("SetTimerIntent", TimerKind=HOLD, Duration="PT25S")
    assert gate.ended is False  # the hang goes on after the answer
    gate.set()
    assert heard.speech.startswith("Timer set for 25 seconds.")
    assert len(fake.timers) == 1 and len(fake.directives) == 1
    assert len(given) == 1 and 0 < given[0] <= progressive.PROGRESSIVE_SECONDS


def test_only_the_slow_create_call_gets_one(talk: CheckedConversation, fake: FakeAlexaApi) -> None:
    fake.add_timer(30)
    talk.intent("TimerStatusIntent")
    talk.intent("CancelTimerIntent")
    assert fake.directives == []


def _turn(fake: FakeAlexaApi) -> Turn:
    return Turn(alexa_api=AlexaApi(fake.url, TOKEN, request_id="amzn1.echo-api.request.x"))


def test_no_budget_left_means_no_call(fake: FakeAlexaApi) -> None:
    turn = _turn(fake)
    client = AlexaApiClient(turn.alexa_api, budget=0.0)  # type: ignore[arg-type]
    assert progressive.send(turn, client, "<speak>Okay.</speak>") is False
    assert fake.directives == []


def test_the_sound_library_is_never_sent_in_a_progressive_response(fake: FakeAlexaApi) -> None:
    turn = _turn(fake)
    client = AlexaApiClient(turn.alexa_api)  # type: ignore[arg-type]
    tick = '<speak><audio src="soundbank://soundlibrary/clocks/ticks/ticks_01"/></speak>'
    with pytest.raises(ValueError, match="audio"):
        progressive.send(turn, client, tick)
    assert progressive.send(turn, client, "<speak>Okay.</speak>") is True
    assert len(fake.directives) == 1


def test_the_token_never_goes_to_a_plain_http_host(fake: FakeAlexaApi) -> None:
    turn = Turn(alexa_api=AlexaApi("http://api.example.com", TOKEN, request_id="r"))
    client = AlexaApiClient(turn.alexa_api)  # type: ignore[arg-type]
    assert progressive.send(turn, client, "<speak>Okay.</speak>") is False
