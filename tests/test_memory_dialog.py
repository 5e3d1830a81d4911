"""Memory dialog as plain functions of a Turn (no Alexa types)."""

from __future__ import annotations

from skill import memory, memory_dialog
from skill.ssml import plain_text, validate, wrap
from skill.turn import Turn

NOW = 1_750_000_000
HOUR = 3600
DAY = 24 * HOUR


def said(reply) -> str:
    assert validate(wrap(reply.speech)) == []
    return plain_text(wrap(reply.speech))


def turn(persistent: dict | None, now: float = NOW) -> Turn:
    return Turn(persistent=persistent, now=now)


def test_log_cramp_counts_and_advises_from_the_third_in_a_week() -> None:
    mem: dict = {}
    advice = memory_dialog.frequent_advice()
    assert advice.startswith("See a doctor if your cramps are frequent")
    first = said(memory_dialog.log_cramp(turn(mem, NOW)))
    second = said(memory_dialog.log_cramp(turn(mem, NOW + DAY)))
    assert "one cramp in the last seven days" in first and advice not in first
    assert "2 cramps" in second and advice not in second
    third = memory_dialog.log_cramp(turn(mem, NOW + 2 * DAY))
    assert advice in said(third) and "3 cramps this week" in said(third)
    assert third.end_session is True
    fourth = said(memory_dialog.log_cramp(turn(mem, NOW + 2 * DAY + HOUR)))
    assert advice not in fourth  # once a day at most


def test_cramp_count() -> None:
    mem: dict = {}
    assert "haven't logged any" in said(memory_dialog.cramp_count(turn(mem)))
    memory.log_cramp(mem, NOW - 8 * DAY)
    memory.log_cramp(mem, NOW - DAY)
    assert "one cramp in the last seven days" in said(memory_dialog.cramp_count(turn(mem)))


def test_relief_start_and_ending_give_advice_once_a_day() -> None:
    mem: dict = {}
    endings = []
    for day in range(4):
        now = NOW + day * DAY // 2  # a cramp every twelve hours
        memory_dialog.note_relief_start(turn(mem, now))
        endings.append(memory_dialog.relief_ending(turn(mem, now + 300)))
    assert [bool(e) for e in endings] == [False, False, True, False]
    assert "frequent" in plain_text(wrap(endings[2]))


def test_forget_asks_then_clears_or_keeps() -> None:
    mem: dict = {"hold_seconds": 30}
    question = memory_dialog.ask_forget(turn(mem))
    assert question.keeps_session_open and "delete everything" in said(question)
    assert "kept" in said(memory_dialog.forget_no(turn(mem))) and mem == {"hold_seconds": 30}
    assert "deleted" in said(memory_dialog.forget_yes(turn(mem))) and mem == {}


def test_without_a_store_every_answer_still_speaks() -> None:
    for reply in (
        memory_dialog.log_cramp(turn(None)),
        memory_dialog.cramp_count(turn(None)),
        memory_dialog.forget_yes(turn(None)),
    ):
        assert "can't" in said(reply) or "couldn't" in said(reply)
    memory_dialog.note_relief_start(turn(None))
    assert memory_dialog.relief_ending(turn(None)) == ""
