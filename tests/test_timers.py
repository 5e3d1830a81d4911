"""Real Alexa timers, through ``skill.hosts.lambda_handler.handler`` against a fake Alexa API
served on 127.0.0.1 (the request envelopes' ``apiEndpoint`` points at it)."""

from __future__ import annotations

import functools
import json
import socket
import time
from collections.abc import Iterator

import pytest
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.alexa import timers as alexa_timers
from skill.alexa.alexa_api import TURN_BUDGET_SECONDS, AlexaApiClient
from skill.alexa.handlers.timers import ConsentAnswerHandler
from skill.alexa.permissions import TIMERS_SCOPE
from skill.core.content import prompt
from skill.hosts import lambda_handler
from skill.tools.simulator.envelopes import EnvelopeFactory
from skill.tools.simulator.fake_alexa_api import HANG, TOKEN, FakeAlexaApi
from tests.conftest import CheckedConversation

HOLD = {"value": "stretch", "id": "hold"}
REST = {"value": "rest", "id": "rest"}
TIMERS = "/v1/alerts/timers"


@pytest.fixture
def fake() -> Iterator[FakeAlexaApi]:
    api = FakeAlexaApi().start()
    yield api
    api.close()


@pytest.fixture
def talk(fake: FakeAlexaApi) -> CheckedConversation:
    factory = EnvelopeFactory(api_endpoint=fake.url, api_access_token=TOKEN)
    return CheckedConversation(lambda_handler.handler, factory)


def creates(fake: FakeAlexaApi) -> list[dict]:
    return [r.body for r in fake.requests if (r.method, r.path) == ("POST", TIMERS)]


def expected_payload(duration: str, label: str, text: str, locale: str = "en-US") -> dict:
    return {
        "duration": duration,
        "timerLabel": label,
        "creationBehavior": {"displayExperience": {"visibility": "VISIBLE"}},
        "triggeringBehavior": {
            "operation": {"type": "ANNOUNCE", "textToAnnounce": [{"locale": locale, "text": text}]},
            "notificationConfig": {"playAudible": True},
        },
    }


# --- creating --------------------------------------------------------------------------
def test_stretch_timer_is_created_with_the_exact_payload(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    heard = talk.intent("SetTimerIntent", TimerKind=HOLD, Duration="PT30S")
    assert heard.speech.startswith(
        "Timer set for 30 seconds. Straighten your leg and pull your toes toward you."
    )
    [body] = creates(fake)
    assert body["timerLabel"].startswith("Hamstring hold ")
    assert body == expected_payload(
        "PT30S", body["timerLabel"], "Release the stretch and relax your leg."
    )
    assert [r.authorization for r in fake.requests] == [f"Bearer {TOKEN}"]
    assert heard.ended and not heard.directives


def test_announcement_uses_the_request_locale_and_labels_are_unique(fake: FakeAlexaApi) -> None:
    factory = EnvelopeFactory(api_endpoint=fake.url, api_access_token=TOKEN, locale="en-GB")
    talk = CheckedConversation(lambda_handler.handler, factory)
    talk.intent("SetTimerIntent", TimerKind=HOLD, Duration="PT25S")
    talk.intent("SetTimerIntent", TimerKind=HOLD, Duration="PT25S")
    first, second = creates(fake)
    assert first["triggeringBehavior"]["operation"]["textToAnnounce"][0]["locale"] == "en-GB"
    assert first["duration"] == "PT25S"
    assert first["timerLabel"] != second["timerLabel"]


def test_time_my_hold_uses_the_thirty_second_default(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    heard = talk.intent("SetTimerIntent", TimerKind={"value": "hold", "id": "hold"})
    assert [b["duration"] for b in creates(fake)] == ["PT30S"]
    assert "Timer set for 30 seconds." in heard.speech


@pytest.mark.parametrize(
    ("slots", "duration", "said"),
    [
        ({"Duration": "PT2M"}, "PT30S", "so I'll use 30"),
        ({"Number": "10", "Unit": {"value": "seconds", "id": "second"}}, "PT20S", "so I'll use 20"),
    ],
)
def test_hold_timers_are_clamped_to_twenty_to_thirty_seconds_and_say_so(
    talk: CheckedConversation, fake: FakeAlexaApi, slots: dict, duration: str, said: str
) -> None:
    heard = talk.intent("SetTimerIntent", TimerKind=HOLD, **slots)
    assert [b["duration"] for b in creates(fake)] == [duration]
    assert "I can do holds from twenty to thirty seconds" in heard.speech and said in heard.speech


def test_rest_timer_for_two_minutes(talk: CheckedConversation, fake: FakeAlexaApi) -> None:
    heard = talk.intent(
        "SetTimerIntent", TimerKind=REST, Number="2", Unit={"value": "minutes", "id": "minute"}
    )
    [body] = creates(fake)
    assert body == expected_payload("PT2M", body["timerLabel"], prompt("timer_announce_rest"))
    assert body["timerLabel"].startswith("Rest ")
    assert heard.speech.startswith("Timer set for 2 minutes. Rest your leg.")


def test_rest_timers_stop_at_alexas_two_hour_maximum(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    heard = talk.intent("SetTimerIntent", TimerKind=REST, Duration="PT3H")
    assert [b["duration"] for b in creates(fake)] == ["PT2H"]
    assert "two hours, so I'll use 2 hours" in heard.speech


def test_a_long_timer_without_a_kind_is_a_rest(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    talk.intent("SetTimerIntent", Duration="PT5M")
    assert [b["duration"] for b in creates(fake)] == ["PT5M"]
    assert creates(fake)[0]["timerLabel"].startswith("Rest ")


def test_a_rest_timer_without_a_length_asks_how_long(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    heard = talk.intent("SetTimerIntent", TimerKind=REST)
    assert heard.speech.startswith("How long a rest would you like?")
    assert not heard.ended and fake.requests == []


def test_during_a_routine_the_timer_hands_back_to_the_routine(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    talk.intent("CrampReliefIntent")
    heard = talk.intent("SetTimerIntent", TimerKind=HOLD)
    assert heard.speech.endswith(prompt("step_next")) and not heard.ended
    assert len(creates(fake)) == 1


# --- permission by voice ---------------------------------------------------------------
def ask_for_directive(heard) -> dict:
    [directive] = heard.directives
    return directive


def test_401_asks_for_the_timers_permission_by_voice(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    fake.fail_next(401)
    heard = talk.intent("SetTimerIntent", TimerKind=HOLD, Duration="PT30S")
    assert heard.speech == prompt("timer_need_permission")
    assert ask_for_directive(heard) == {
        "type": "Connections.SendRequest",
        "name": "AskFor",
        "payload": {
            "@type": "AskForPermissionsConsentRequest",
            "@version": "1",
            "permissionScope": TIMERS_SCOPE,
        },
        "token": "cramp-coach-timer:hold:30",
    }
    assert "shouldEndSession" not in heard.response
    assert heard.session_attributes["timers"]["pending"] == {"kind": "hold", "seconds": 30}


def test_accepted_creates_the_pending_timer_and_confirms(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    fake.fail_next(401)
    talk.intent("SetTimerIntent", TimerKind=REST, Duration="PT90S")
    heard = talk.send(talk.factory.connections_response("ACCEPTED"))  # no token: session only
    assert heard.speech.startswith("Timer set for 1 minute 30 seconds.")
    assert [b["duration"] for b in creates(fake)] == ["PT1M30S", "PT1M30S"]
    assert not heard.directives and not heard.card


def test_accepted_after_the_session_was_lost_uses_the_token(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    fake.fail_next(401)
    token = ask_for_directive(talk.intent("SetTimerIntent", TimerKind=HOLD))["token"]
    talk.new_session()
    heard = talk.send(talk.factory.connections_response("ACCEPTED", token=token))
    assert heard.speech.startswith("Timer set for 30 seconds.")
    assert [b["duration"] for b in creates(fake)] == ["PT30S", "PT30S"]


def test_an_answer_outside_any_session_is_still_answered(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    # The SDK refuses to read session attributes of a request without a session; the turn
    # gets a fresh state instead of the apology for an internal error.
    fake.fail_next(401)
    token = ask_for_directive(talk.intent("SetTimerIntent", TimerKind=HOLD))["token"]
    envelope = talk.factory.connections_response("ACCEPTED", token=token)
    del envelope["session"]
    heard = talk.send(envelope)
    assert heard.speech.startswith("Timer set for 30 seconds.")
    assert [b["duration"] for b in creates(fake)] == ["PT30S", "PT30S"]


def test_denied_falls_back_to_the_spoken_countdown_with_a_consent_card(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    fake.fail_next(401)
    talk.intent("SetTimerIntent", TimerKind=HOLD, Duration="PT25S")
    heard = talk.send(talk.factory.connections_response("DENIED", is_card_thrown=False))
    assert heard.speech.startswith(prompt("timer_no_permission"))
    assert "Hold it, gently." in heard.speech and heard.speech.endswith("And release.")
    assert heard.card == {"type": "AskForPermissionsConsent", "permissions": [TIMERS_SCOPE]}
    assert len(fake.requests) == 1  # no second create without permission


def test_not_answered_with_a_card_already_shown_sends_no_second_card(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    fake.fail_next(401)
    talk.intent("SetTimerIntent", TimerKind=REST, Duration="PT2M")
    heard = talk.send(talk.factory.connections_response("NOT_ANSWERED", is_card_thrown=True))
    assert heard.speech.startswith(prompt("timer_no_permission"))
    assert "Rest your leg for 2 minutes" in heard.speech
    assert heard.card is None


def test_a_second_401_after_accepting_does_not_ask_again(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    fake.fail_next(401, 401)
    talk.intent("SetTimerIntent", TimerKind=HOLD)
    heard = talk.send(talk.factory.connections_response("ACCEPTED"))
    assert not heard.directives
    assert heard.speech == f"{prompt('timer_fault')} {prompt('timer_offer_countdown')}"


# --- faults ----------------------------------------------------------------------------
@pytest.mark.parametrize("status", [400, 403, 500, 504])
def test_api_errors_offer_the_spoken_countdown(
    talk: CheckedConversation, fake: FakeAlexaApi, status: int
) -> None:
    fake.fail_next(status)
    heard = talk.intent("SetTimerIntent", TimerKind=HOLD, Duration="PT20S")
    assert heard.speech == f"{prompt('timer_fault')} {prompt('timer_offer_countdown')}"
    assert not heard.ended and not heard.directives
    counted = talk.intent("AMAZON.YesIntent")
    assert "Hold it, gently." in counted.speech and counted.speech.endswith("And release.")
    assert "Twenty seconds left" not in counted.speech  # a 20 s hold starts at twenty


def test_a_rest_timer_fault_says_how_long_to_rest(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    fake.fail_next(500)
    heard = talk.intent("SetTimerIntent", TimerKind=REST, Duration="PT3M")
    assert heard.speech.startswith(prompt("timer_fault"))
    assert "Rest your leg for 3 minutes" in heard.speech and heard.ended


def test_a_refused_connection_becomes_the_spoken_fallback() -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    factory = EnvelopeFactory(api_endpoint=f"http://127.0.0.1:{port}", api_access_token=TOKEN)
    talk = CheckedConversation(lambda_handler.handler, factory)
    heard = talk.intent("SetTimerIntent", TimerKind=HOLD)
    assert heard.speech.startswith(prompt("timer_fault"))


class SpentClock:
    """The clock a turn's Alexa API client reads: after the reading that sets the deadline,
    it runs ``spent`` seconds ahead, as if the turn had already used that much of its budget.
    The tests then wait only the rest of the budget, not all 2.5 s of it."""

    def __init__(self, spent: float) -> None:
        self.spent = spent
        self.readings = 0

    def __call__(self) -> float:
        self.readings += 1
        return time.monotonic() + (self.spent if self.readings > 1 else 0.0)


LEFT = 0.2  #: seconds of budget left when a hanging call starts


@pytest.fixture
def spent_clock(monkeypatch: pytest.MonkeyPatch) -> SpentClock:
    clock = SpentClock(TURN_BUDGET_SECONDS - LEFT)
    client = functools.partial(AlexaApiClient, clock=clock)
    monkeypatch.setattr(alexa_timers, "AlexaApiClient", client)
    return clock


def test_a_hanging_api_still_gets_a_spoken_answer_within_the_time_box(
    talk: CheckedConversation, fake: FakeAlexaApi, spent_clock: SpentClock
) -> None:
    fake.fail_next(HANG)
    started = time.monotonic()
    heard = talk.intent("SetTimerIntent", TimerKind=HOLD, Duration="PT30S")
    elapsed = time.monotonic() - started
    assert heard.speech.startswith(prompt("timer_fault"))
    # The call was cut off at the deadline, not answered: it waited what was left, no more.
    assert spent_clock.readings > 1
    assert LEFT - 0.05 < elapsed < LEFT + 0.5, elapsed


def test_a_hanging_status_check_is_time_boxed_too(
    talk: CheckedConversation, fake: FakeAlexaApi, spent_clock: SpentClock
) -> None:
    fake.add_timer(60)
    fake.fail_next(HANG)
    started = time.monotonic()
    heard = talk.intent("TimerStatusIntent")
    elapsed = time.monotonic() - started
    assert heard.speech == prompt("timer_unreachable")
    assert LEFT - 0.05 < elapsed < LEFT + 0.5, elapsed


# --- status, pause, resume, cancel -----------------------------------------------------
def set_in_routine(talk: CheckedConversation, fake: FakeAlexaApi, **slots) -> str:
    """Set a timer during a routine (the session stays open); its id."""
    talk.intent("CrampReliefIntent")
    talk.intent("SetTimerIntent", **slots)
    return next(iter(fake.timers))


def test_status_reads_the_remaining_time_of_this_sessions_timer(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    timer_id = set_in_routine(talk, fake, TimerKind=REST, Duration="PT10M")
    heard = talk.intent("TimerStatusIntent")
    assert fake.calls()[-1] == ("GET", f"{TIMERS}/{timer_id}")
    assert heard.speech.startswith("Your rest timer has 10 minutes left.")


def test_status_in_a_later_session_finds_the_skills_timers_by_listing(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    talk.intent("SetTimerIntent", TimerKind=HOLD, Duration="PT30S")  # session ends here
    timer_id = next(iter(fake.timers))
    heard = talk.intent("TimerStatusIntent")
    assert fake.calls()[-2:] == [("GET", TIMERS), ("GET", f"{TIMERS}/{timer_id}")]
    assert heard.speech in {
        "Your stretch timer has 30 seconds left.",
        "Your stretch timer has 29 seconds left.",
    }


def test_pause_resume_and_cancel_call_the_api_for_the_skills_timer(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    timer_id = set_in_routine(talk, fake, TimerKind=REST, Duration="PT5M")
    paused = talk.intent("PauseTimerIntent")
    assert fake.calls()[-1] == ("POST", f"{TIMERS}/{timer_id}/pause")
    assert paused.speech.startswith(prompt("timer_paused"))
    status = talk.intent("TimerStatusIntent")
    assert status.speech.startswith("Your rest timer is paused with 5 minutes left.")
    resumed = talk.intent("ResumeTimerIntent")
    assert fake.calls()[-1] == ("POST", f"{TIMERS}/{timer_id}/resume")
    assert resumed.speech.startswith(prompt("timer_resumed"))
    cancelled = talk.intent("CancelTimerIntent")
    assert fake.calls()[-1] == ("DELETE", f"{TIMERS}/{timer_id}")
    assert cancelled.speech.startswith(prompt("timer_cancelled"))
    assert fake.timers == {}
    assert {r.authorization for r in fake.requests} == {f"Bearer {TOKEN}"}


def test_cancel_the_rest_timer_leaves_the_hold_timer(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    rest_id = set_in_routine(talk, fake, TimerKind=REST, Duration="PT5M")
    talk.intent("SetTimerIntent", TimerKind=HOLD)
    [hold_id] = set(fake.timers) - {rest_id}
    talk.intent("CancelTimerIntent", TimerKind=REST)
    assert list(fake.timers) == [hold_id]


@pytest.mark.parametrize("intent", ["TimerStatusIntent", "CancelTimerIntent", "PauseTimerIntent"])
def test_a_finished_timer_is_reported_as_finished(
    talk: CheckedConversation, fake: FakeAlexaApi, intent: str
) -> None:
    timer_id = set_in_routine(talk, fake, TimerKind=HOLD)
    fake.timers.clear()  # it rang and was stopped: Alexa no longer knows it
    heard = talk.intent(intent)
    assert heard.speech.startswith(prompt("timer_gone"))
    assert fake.calls()[-1][1].startswith(f"{TIMERS}/{timer_id}")
    assert "timers" not in heard.session_attributes or not heard.session_attributes["timers"].get(
        "ids"
    )


@pytest.mark.parametrize("intent", ["TimerStatusIntent", "ResumeTimerIntent", "CancelTimerIntent"])
def test_api_errors_on_existing_timers_are_spoken_not_raised(
    talk: CheckedConversation, fake: FakeAlexaApi, intent: str
) -> None:
    set_in_routine(talk, fake, TimerKind=HOLD)
    fake.fail_next(500)
    heard = talk.intent(intent)
    assert heard.speech.startswith(prompt("timer_unreachable"))


def test_no_timer_running_says_so(talk: CheckedConversation, fake: FakeAlexaApi) -> None:
    heard = talk.intent("TimerStatusIntent")
    assert heard.speech == f"{prompt('timer_none')} {prompt('timer_none_hint')}"
    assert fake.calls() == [("GET", TIMERS)]


def test_only_askfor_connection_responses_are_taken_as_consent() -> None:
    def handled(name: str) -> bool:
        raw = EnvelopeFactory().connections_response("ACCEPTED", name=name)
        envelope = DefaultSerializer().deserialize(json.dumps(raw), RequestEnvelope)
        return ConsentAnswerHandler().can_handle(HandlerInput(request_envelope=envelope))

    assert handled("AskFor") and not handled("Buy")


def test_a_failed_consent_request_is_treated_as_not_granted(
    talk: CheckedConversation, fake: FakeAlexaApi
) -> None:
    fake.fail_next(401)
    talk.intent("SetTimerIntent", TimerKind=HOLD)
    envelope = talk.factory.connections_response("ACCEPTED")
    envelope["request"]["status"] = {"code": "400", "message": "scope not in manifest"}
    heard = talk.send(envelope)
    assert heard.speech.startswith(prompt("timer_no_permission"))
    assert len(creates(fake)) == 1


def test_without_an_api_endpoint_the_hold_is_counted_in_speech() -> None:
    talk = CheckedConversation(lambda_handler.handler, EnvelopeFactory(api_endpoint=""))
    heard = talk.intent("SetTimerIntent", TimerKind=HOLD, Duration="PT20S")
    assert heard.speech.startswith(prompt("timer_no_api"))
    assert heard.speech.endswith("And release.")
