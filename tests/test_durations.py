"""Durations from Alexa's slots: ISO-8601, or a number with an optional unit."""

from __future__ import annotations

import pytest

from skill.core.catalogue import catalogue_for
from skill.core.durations import (
    iso_duration,
    parse_iso_duration,
    seconds_from_slots,
)
from skill.core.turn import SlotValue


@pytest.mark.parametrize(
    ("iso", "seconds"),
    [
        ("PT30S", 30),
        ("PT2M", 120),
        ("PT1H30M", 5400),
        ("P1D", 86400),
        ("pt25s", 25),
        ("PT0.5S", 0.5),
        ("PT", None),
        ("P", None),
        ("30", None),
        ("PTXS", None),
    ],
)
def test_parse_iso_duration(iso: str, seconds: float | None) -> None:
    assert parse_iso_duration(iso) == seconds


@pytest.mark.parametrize("seconds", [1, 30, 59, 60, 61, 3600, 3661, 7200])
def test_iso_duration_round_trips(seconds: int) -> None:
    assert parse_iso_duration(iso_duration(seconds)) == seconds


@pytest.mark.parametrize(
    ("number", "duration", "unit", "seconds"),
    [
        (None, "PT20S", None, 20),
        ("25", None, None, 25),
        ("2", None, SlotValue("minutes", "minutes"), 120),
        ("1", None, SlotValue("hour"), 3600),
        ("3", "PT45S", SlotValue("minutes"), 45),  # the DURATION wins
        ("lots", None, None, None),
        (None, None, None, None),
    ],
)
def test_seconds_from_slots(number, duration, unit, seconds) -> None:
    got = seconds_from_slots(
        SlotValue(number) if number else None, SlotValue(duration) if duration else None, unit
    )
    assert got == seconds


def test_spoken_duration() -> None:
    english = catalogue_for("en-US")
    assert english.duration(30) == "30 seconds"
    assert english.duration(60) == "1 minute"
    assert english.duration(3725) == "1 hour 2 minutes 5 seconds"
    assert english.duration(0) == "0 seconds"
