"""Spoken numbers and durations become what Alexa sends for AMAZON.NUMBER / DURATION."""

from __future__ import annotations

import pytest

from skill.tools.nlu.spoken_numbers import parse_duration, parse_number


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("twenty five", "25"),
        ("twenty-five", "25"),
        ("25", "25"),
        ("thirty", "30"),
        ("zero", "0"),
        ("nineteen", "19"),
        ("one hundred and five", "105"),
        ("a hundred", "100"),
        ("two thousand twenty", "2020"),
    ],
)
def test_spoken_numbers(said: str, value: str) -> None:
    assert parse_number(said) == value


@pytest.mark.parametrize(
    "said", ["", "a", "seconds", "twenty twenty", "nine twenty", "five and", "thirty 5", "lots"]
)
def test_words_that_are_not_one_number(said: str) -> None:
    assert parse_number(said) is None


@pytest.mark.parametrize(
    ("said", "iso"),
    [
        ("thirty seconds", "PT30S"),
        ("30 seconds", "PT30S"),
        ("twenty five seconds", "PT25S"),
        ("two minutes", "PT2M"),
        ("a minute", "PT1M"),
        ("an hour and a half", "PT1H30M"),
        ("a minute and a half", "PT1M30S"),
        ("one and a half minutes", "PT1M30S"),
        ("half an hour", "PT30M"),
        ("half a minute", "PT30S"),
        ("two minutes and thirty seconds", "PT2M30S"),
        ("ninety seconds", "PT90S"),
        ("one hour, ten minutes", "PT1H10M"),
    ],
)
def test_spoken_durations(said: str, iso: str) -> None:
    assert parse_duration(said) == iso


@pytest.mark.parametrize("said", ["", "thirty", "seconds", "half", "two minutes and", "soon"])
def test_words_that_are_not_a_duration(said: str) -> None:
    assert parse_duration(said) is None
