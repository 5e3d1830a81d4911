"""The plain parts of timers: specs, tokens, remaining time, and the client's guards."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from skill.alexa.alexa_api import AlexaApi, AlexaApiClient, ApiError
from skill.alexa.timers import remaining_seconds
from skill.core.timers import TimerSpec, hold_spec, kind_for, rest_spec
from skill.tools.simulator.fake_alexa_api import TOKEN, FakeAlexaApi


@pytest.fixture
def fake() -> Iterator[FakeAlexaApi]:
    api = FakeAlexaApi().start()
    yield api
    api.close()


def test_hold_and_rest_specs_clamp_to_their_ranges() -> None:
    assert hold_spec(45) == TimerSpec("hold", 30, 45)
    assert hold_spec(None) == TimerSpec("hold", 30, None) and not hold_spec(None).clamped
    assert rest_spec(0.2) == TimerSpec("rest", 1, 0)
    assert rest_spec(3 * 3600).seconds == 7200 and rest_spec(3 * 3600).clamped
    assert not rest_spec(90).clamped


def test_kind_defaults_to_a_hold_for_hold_length_durations() -> None:
    assert kind_for("rest", 20) == "rest"
    assert kind_for(None, 30) == "hold" and kind_for(None, None) == "hold"
    assert kind_for("stretchy", 31) == "rest"


@pytest.mark.parametrize(
    "token",
    [None, "", "cramp-coach-timer:nap:30", "cramp-coach-timer:rest:9000", "other:hold:30"],
)
def test_only_our_own_valid_tokens_become_a_pending_timer(token: str | None) -> None:
    assert TimerSpec.from_token(token) is None


def test_a_token_round_trips() -> None:
    spec = TimerSpec("rest", 120)
    assert TimerSpec.from_token(spec.token()) == spec


def test_remaining_seconds_from_trigger_time_or_paused_remainder() -> None:
    now = datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC)
    assert remaining_seconds({"status": "ON", "triggerTime": "2024-05-01T10:01:05Z"}, now) == 65
    assert remaining_seconds({"status": "ON", "triggerTime": "2024-05-01T09:59:00Z"}, now) == 0
    paused = {"status": "PAUSED", "remainingTimeWhenPaused": "PT3M3S"}
    assert remaining_seconds(paused, now) == 183
    assert remaining_seconds({"status": "OFF"}, now) is None
    assert remaining_seconds({"status": "ON", "triggerTime": "soon"}, now) is None


def test_the_token_is_never_sent_over_plain_http_except_to_loopback(fake: FakeAlexaApi) -> None:
    # 127.0.0.2 is not on the allow-list, so even a broken guard would stay on this machine.
    port = fake.url.rsplit(":", 1)[1]
    client = AlexaApiClient(AlexaApi(f"http://127.0.0.2:{port}", TOKEN))
    with pytest.raises(ApiError, match="refusing") as raised:
        client.call("GET", "/v1/alerts/timers")
    assert raised.value.status is None


def test_all_calls_of_a_turn_share_one_budget(fake: FakeAlexaApi) -> None:
    now = [0.0]
    client = AlexaApiClient(AlexaApi(fake.url, TOKEN), budget=2.5, clock=lambda: now[0])
    assert client.call("GET", "/v1/alerts/timers") == {"timers": [], "totalCount": 0}
    now[0] = 2.5  # the first calls used the whole budget
    with pytest.raises(ApiError, match="no time left"):
        client.call("GET", "/v1/alerts/timers")
    assert len(fake.requests) == 1


def test_an_error_status_carries_the_status_code(fake: FakeAlexaApi) -> None:
    client = AlexaApiClient(AlexaApi(fake.url, TOKEN))
    with pytest.raises(ApiError) as raised:
        client.call("GET", "/v1/alerts/timers/unknown")
    assert raised.value.status == 404
