"""When a logged cramp happened, on the person's clock: the time arithmetic, and the time
zone asked of the (fake) Alexa settings API on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from skill.alexa.time_zone import local_zone, settings_path
from skill.core.turn import AlexaApi, Turn
from skill.core.when import FALLBACK_HOURS_AGO, cramp_time
from skill.tools.simulator.fake_alexa_api import TOKEN, FakeAlexaApi

CHICAGO = ZoneInfo("America/Chicago")
#: 08:00 in Chicago (CST, UTC-6) on 1 December.
MORNING = datetime(2026, 12, 1, 14, 0, tzinfo=UTC).timestamp()
#: 05:00 in Chicago.
EARLY = datetime(2026, 12, 1, 11, 0, tzinfo=UTC).timestamp()


def at(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, CHICAGO)


def test_last_night_is_eleven_the_evening_before_on_the_local_clock() -> None:
    logged = at(cramp_time(MORNING, "last_night", CHICAGO))
    assert (logged.day, logged.hour) == (30, 23)


def test_this_morning_and_yesterday_on_the_local_clock() -> None:
    assert at(cramp_time(MORNING, "this_morning", CHICAGO)).hour == 7
    yesterday = at(cramp_time(MORNING, "yesterday", CHICAGO))
    assert (yesterday.day, yesterday.hour) == (30, 12)


def test_never_later_than_the_request() -> None:
    assert cramp_time(EARLY, "this_morning", CHICAGO) == EARLY


@pytest.mark.parametrize("when", [None, "earlier", "unheard-of"])
def test_no_past_time_means_now(when: str | None) -> None:
    assert cramp_time(MORNING, when, CHICAGO) == MORNING


@pytest.mark.parametrize("when", sorted(FALLBACK_HOURS_AGO))
def test_without_a_time_zone_the_documented_fallback_counts_back_hours(when: str) -> None:
    assert cramp_time(MORNING, when, None) == MORNING - FALLBACK_HOURS_AGO[when] * 3600


@pytest.fixture
def api() -> Iterator[FakeAlexaApi]:
    fake = FakeAlexaApi().start()
    yield fake
    fake.close()


def turn_for(api: FakeAlexaApi, device: str | None = "amzn1.ask.device.X") -> Turn:
    return Turn(alexa_api=AlexaApi(endpoint=api.url, token=TOKEN, device_id=device))


def test_the_time_zone_comes_from_the_settings_api(api: FakeAlexaApi) -> None:
    assert local_zone(turn_for(api)) == CHICAGO
    assert api.calls() == [("GET", settings_path("amzn1.ask.device.X"))]
    assert api.requests[0].authorization == f"Bearer {TOKEN}"


def test_no_zone_when_unset_failing_unknown_or_without_a_device(api: FakeAlexaApi) -> None:
    api.time_zone = None
    assert local_zone(turn_for(api)) is None  # 404
    api.time_zone = "Mars/Olympus_Mons"
    assert local_zone(turn_for(api)) is None
    api.time_zone = "America/Chicago"
    api.fail_next(500)
    assert local_zone(turn_for(api)) is None
    calls = len(api.requests)
    assert local_zone(turn_for(api, device=None)) is None
    assert local_zone(Turn()) is None
    assert len(api.requests) == calls  # nothing asked without a device or an endpoint
