"""Memory dialog as plain functions of a Turn (no Alexa types)."""

from __future__ import annotations

from skill.core import cramp_log, memory_dialog, questions
from skill.core.reply import tell
from skill.core.speech import render, say
from skill.core.ssml import plain_text, validate, wrap
from skill.core.turn import Turn

NOW = 1_750_000_000
HOUR = 3600
DAY = 24 * HOUR
ADVICE = memory_dialog.frequent_item(Turn())
#: A person who said yes to "want me to keep a count of your cramps?".
AGREED = {"log_consent": True}


def said(reply) -> str:
    markup = wrap(render(reply.speech, Turn().catalogue))
    assert validate(markup) == []
    return plain_text(markup)


def turn(persistent: dict | None, now: float = NOW) -> Turn:
    return Turn(persistent=persistent, now=now)


def test_the_advice_is_the_seeds_frequent_cramps_item() -> None:
    assert ADVICE.short.startswith("See a doctor if your cramps are frequent or severe")
    assert ADVICE.section == "doctor"


def test_log_cramp_counts_and_advises_from_the_third_in_a_week() -> None:
    mem: dict = dict(AGREED)
    first = said(memory_dialog.log_cramp(turn(mem, NOW)))
    second = said(memory_dialog.log_cramp(turn(mem, NOW + DAY)))
    assert "one cramp in the last seven days" in first and ADVICE.short not in first
    assert "2 cramps" in second and ADVICE.short not in second
    third = said(memory_dialog.log_cramp(turn(mem, NOW + 2 * DAY)))
    assert ADVICE.short in third and "3 cramps this week" in third
    fourth = said(memory_dialog.log_cramp(turn(mem, NOW + 2 * DAY + HOUR)))
    assert ADVICE.short not in fourth  # once a day at most


def test_log_cramp_checks_whether_it_is_still_cramping() -> None:
    """ "I had a cramp" and "I have a cramp" sound alike: yes must lead to relief."""
    t = turn(dict(AGREED))
    reply = memory_dialog.log_cramp(t)
    assert reply.keeps_session_open and said(reply).endswith("Is it still cramping?")
    assert questions.pending(t) == memory_dialog.CRAMPING_QUESTION


def test_cramp_count() -> None:
    mem: dict = dict(AGREED)
    assert "haven't logged any" in said(memory_dialog.cramp_count(turn(mem)))
    cramp_log.log_cramp(mem, NOW - 8 * DAY)
    cramp_log.log_cramp(mem, NOW - DAY)
    assert "one cramp in the last seven days" in said(memory_dialog.cramp_count(turn(mem)))
    cramp_log.log_cramp(mem, NOW - HOUR)
    cramp_log.log_cramp(mem, NOW - 2 * DAY)
    assert ADVICE.short in said(memory_dialog.cramp_count(turn(mem)))


def test_relief_start_and_ending_give_advice_once_a_day() -> None:
    mem: dict = dict(AGREED)
    endings = []
    for half_day in range(4):
        now = NOW + half_day * DAY // 2  # a cramp every twelve hours
        memory_dialog.note_relief_start(turn(mem, now))
        endings.append(memory_dialog.relief_ending(turn(mem, now + 300)))
    assert [bool(e) for e in endings] == [False, False, True, False]
    assert said(tell(say(*endings[2]))) == f"That's 3 cramps this week. {ADVICE.more}"


def test_forget_asks_then_clears_or_keeps() -> None:
    mem: dict = {"hold_seconds": 30}
    t = turn(mem)
    question = memory_dialog.ask_forget(t)
    assert question.keeps_session_open and "delete everything" in said(question)
    assert questions.pending(t) == memory_dialog.FORGET_QUESTION
    assert "kept" in said(questions.answer(t, yes=False)) and mem == {"hold_seconds": 30}
    memory_dialog.ask_forget(t)
    assert "deleted" in said(questions.answer(t, yes=True)) and mem == {}


def test_without_a_store_every_answer_still_speaks() -> None:
    for reply in (
        memory_dialog.log_cramp(turn(None)),
        memory_dialog.cramp_count(turn(None)),
        memory_dialog.ask_forget(turn(None)),
        memory_dialog.forget_yes(turn(None)),
    ):
        assert "can't reach my records" in said(reply)
    memory_dialog.note_relief_start(turn(None))
    assert memory_dialog.relief_ending(turn(None)) == ()


def test_no_cramp_is_logged_without_a_yes() -> None:
    mem: dict = {}
    t = turn(mem)
    memory_dialog.note_relief_start(t)
    assert cramp_log.cramp_times(mem, NOW) == []
    offer = memory_dialog.log_cramp(t)
    assert said(offer).endswith("Want me to keep a count of your cramps?")
    assert cramp_log.cramp_times(mem, NOW) == []
    assert "won't keep a count" in said(questions.answer(t, yes=False))
    assert mem.get("log_consent") is False and cramp_log.cramp_times(mem, NOW) == []
    memory_dialog.note_relief_start(turn(mem, NOW + DAY))
    assert cramp_log.cramp_times(mem, NOW + DAY) == []
    assert not memory_dialog.log_offer_due(turn(mem))  # asked once


def test_yes_to_the_log_counts_the_cramp_that_prompted_it() -> None:
    mem: dict = {}
    t = turn(mem)
    memory_dialog.log_cramp(t)
    answer = questions.answer(t, yes=True)
    assert "one cramp in the last seven days" in said(answer)
    assert mem["log_consent"] is True and len(cramp_log.cramp_times(mem, NOW)) == 1
