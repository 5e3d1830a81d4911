"""Dialog for what the skill remembers: logging a cramp, counting them, forgetting, and the
frequent-cramp advice added to the end of the relief routine.

Plain functions of a :class:`Turn`, like the rest of the dialog; the memory rules themselves
are in :mod:`skill.core.memory`. ``turn.persistent`` is None when nothing can be remembered (no
store configured, or the store failed this turn): every function still answers.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from skill.core import cramp_log, memory, questions
from skill.core.content import Item
from skill.core.reply import Reply, ask, tell
from skill.core.speech import Msg, msg, say
from skill.core.turn import SlotValue, Turn
from skill.core.when import PAST, cramp_time

#: The pending yes/no question "delete everything?" (see :mod:`skill.core.questions`).
FORGET_QUESTION = "forget_data"
#: The pending question "want me to keep a count of your cramps?" (asked once per person).
LOG_QUESTION = "log_consent"
LOG_FOR = ("relief", "count", "now", *PAST)
#: The foundation's "is it cramping now?" question: yes starts the relief routine.
CRAMPING_QUESTION = "is_cramping"

NO_MEMORY = msg("memory_unreachable")
#: Said instead of "I've noted it" when the store did not take the cramp.
NOT_SAVED = msg("cramp_not_saved")
#: Said instead of "Done. I've deleted everything" when the store did not delete it.
DELETE_FAILED = say(msg("delete_failed"), msg("delete_failed_retry"))
STILL_CRAMPING = msg("still_cramping")
#: With memory off (no store configured) nothing is kept, so no retry can ever work.
MEMORY_OFF = msg("memory_off")
#: The ``Period`` slot of "how many cramps this month": the days counted.
PERIOD_DAYS = {"week": 7, "month": 30}


def frequent_item(turn: Turn) -> Item:
    """The seed's advice that frequent cramps warrant a medical evaluation (doctor/frequent)."""
    item = turn.catalogue.knowledge.find("doctor", "frequent")
    if item is None:  # pragma: no cover - guarded by the knowledge tests
        raise LookupError("knowledge.json lacks doctor/frequent")
    return item


def _cramps(count: int) -> Msg:
    return msg("cramps", count=count)


def _week_count(turn: Turn) -> int:
    assert turn.persistent is not None
    return cramp_log.cramps_in_last(turn.persistent, cramp_log.FREQUENT_WINDOW_DAYS, turn.now)


def _advice_due(turn: Turn) -> bool:
    """True (and marked as given) when 3+ cramps in 7 days and not advised in the last day."""
    if turn.persistent is None or not cramp_log.frequent_advice_due(turn.persistent, turn.now):
        return False
    cramp_log.mark_frequent_advice(turn.persistent, turn.now)
    return True


def logging(turn: Turn) -> bool:
    """Whether cramps may be logged: the operator offers the log, a store this turn, and the
    person said yes to it."""
    return (
        turn.settings.cramp_log
        and turn.persistent is not None
        and cramp_log.log_consent(turn.persistent) is True
    )


def log_offer_due(turn: Turn) -> bool:
    """The operator offers the log, memory works, and the person has not yet been asked."""
    return (
        turn.settings.cramp_log
        and turn.persistent is not None
        and cramp_log.log_consent(turn.persistent) is None
    )


def _log_off() -> tuple[Msg | str, ...]:
    """With the cramp log turned off by the operator: no log is kept, and the frequent-cramp
    advice comes from what the person says ("I've had five cramps this week")."""
    return (msg("log_off"), msg("log_off_tell_count"))


def offer_log(turn: Turn, asked_for: str, *spoken: Msg | str, **shown: Any) -> Reply:
    """Say ``spoken``, then ask once: "want me to keep a count of your cramps?"."""
    questions.set_pending(turn, LOG_QUESTION)
    turn.state["log_for"] = asked_for
    return ask(say(*spoken, msg("log_offer")), say(msg("log_offer_reprompt")), **shown)


def log_yes(turn: Turn) -> Reply:
    """Yes to the cramp log: from now on cramps are counted (the one that prompted the
    question too)."""
    asked_for = turn.state.pop("log_for", "count")
    if turn.persistent is None:
        return tell(say(NO_MEMORY, msg("log_not_started")))
    cramp_log.set_log_consent(turn.persistent, True)
    unsaved = tell(say(NO_MEMORY, msg("log_not_started")))
    if asked_for == "relief":
        cramp_log.log_cramp(turn.persistent, turn.now)
        return tell(say(msg("log_started_with_this"), msg("log_how_to_forget")), unsaved=unsaved)
    if asked_for in ("now", *PAST):
        if asked_for in PAST:
            turn.slots["When"] = SlotValue(value=asked_for, id=asked_for)
        return log_cramp(turn)
    return tell(say(msg("log_started"), msg("log_how_to_forget")), unsaved=unsaved)


def log_no(turn: Turn) -> Reply:
    """No to the cramp log: nothing is logged, and the question is not asked again unless the
    person asks to log a cramp."""
    turn.state.pop("log_for", None)
    if turn.persistent is not None:
        cramp_log.set_log_consent(turn.persistent, False)
    return tell(say(msg("log_declined")))


def note_relief_start(turn: Turn) -> None:
    """Log a cramp when the relief routine starts, if the person agreed to the log (a repeat
    within minutes counts once)."""
    if logging(turn):
        assert turn.persistent is not None
        cramp_log.log_cramp(turn.persistent, turn.now)


def relief_ending(turn: Turn) -> tuple[Msg | str, ...]:
    """Sentences for the relief routine's ending: why these cramps are worth a
    doctor's look, when the log shows them frequent (at most once a day). The routine's own
    red-flag reminder, which follows, already says to see a doctor for frequent cramps."""
    if not _advice_due(turn):
        return ()
    return (msg("cramps_this_week", cramps=_cramps(_week_count(turn))), frequent_item(turn).more)


def log_cramp(turn: Turn, zone: tzinfo | None = None) -> Reply:
    """ "I had a cramp": note it, say how many this week (with the advice if they are
    frequent), then check it has passed, since "had" and "have" sound alike.

    "... last night" (or this morning, yesterday) is logged at that time on the person's
    clock (``zone``; see :mod:`skill.core.when` for the fallback without one), and then
    there is nothing to check: a cramp at night gets the seed's see-a-doctor line instead."""
    when = turn.slot_id("When")
    if not turn.settings.cramp_log:
        if when == "last_night":  # what the logged path says of a cramp at night
            return tell(say(*_log_off(), _at_rest(turn)))
        if when in PAST:
            return tell(say(*_log_off()))
        questions.set_pending(turn, CRAMPING_QUESTION)
        return ask(say(msg("log_off"), STILL_CRAMPING), say(msg("still_cramping_reprompt")))
    if turn.persistent is not None and not logging(turn):
        return offer_log(turn, when if when in PAST else "now", msg("log_not_kept"))
    if when in PAST:
        return _log_past(turn, when, zone)
    questions.set_pending(turn, CRAMPING_QUESTION)
    reprompt = say(msg("still_cramping_reprompt"))
    if turn.persistent is None:
        return ask(say(NO_MEMORY if turn.memory_on else MEMORY_OFF, STILL_CRAMPING), reprompt)
    cramp_log.log_cramp(turn.persistent, turn.now)
    count = _week_count(turn)
    said: tuple[Msg | str, ...]
    if _advice_due(turn):
        item = frequent_item(turn)
        said = (msg("cramp_noted_frequent", cramps=_cramps(count)), item.short, item.more)
    else:
        said = (msg("cramp_noted", cramps=_cramps(count)),)
    unsaved = ask(say(NOT_SAVED, STILL_CRAMPING), reprompt)
    return ask(say(*said, STILL_CRAMPING), reprompt, unsaved=unsaved)


def _log_past(turn: Turn, when: str, zone: tzinfo | None) -> Reply:
    if turn.persistent is None:
        if turn.memory_on:
            return tell(say(NO_MEMORY, msg("cramp_past_unreachable")))
        return tell(say(MEMORY_OFF, msg("memory_off_log")))
    cramp_log.log_cramp(turn.persistent, cramp_time(turn.now, when, zone))
    noted = msg("cramp_noted_when", when=msg(f"when_{when}"), cramps=_cramps(_week_count(turn)))
    said: list[Msg | str] = [noted]
    if _advice_due(turn):
        said.append(frequent_item(turn).short)
    elif when == "last_night":
        said.append(_at_rest(turn))
    unsaved = tell(say(NOT_SAVED))
    return tell(say(*said), unsaved=unsaved)


def _at_rest(turn: Turn) -> str:
    """The seed's see-a-doctor line for cramps at rest or at night (doctor/at_rest)."""
    at_rest = turn.catalogue.knowledge.find("doctor", "at_rest")
    assert at_rest is not None  # guarded by the knowledge tests
    return at_rest.short


def cramp_count(turn: Turn) -> Reply:
    """ "How many cramps have I had this week / this month?" (the last 7 or 30 days)."""
    if not turn.settings.cramp_log:
        return tell(say(*_log_off()))
    if turn.persistent is None:
        if not turn.memory_on:
            return tell(say(MEMORY_OFF, msg("memory_off_count")))
        return tell(say(NO_MEMORY, msg("cramp_count_unreachable")))
    if not logging(turn):
        return offer_log(turn, "count", msg("log_not_kept"))
    period = turn.slot_id("Period")
    period = period if period in PERIOD_DAYS else "week"
    count = cramp_log.cramps_in_last(turn.persistent, PERIOD_DAYS[period], turn.now)
    days = msg(f"days_{period}")
    if count == 0:
        return tell(say(msg("cramp_count_none", days=days)))
    said: list[Msg | str] = [msg("cramp_count", cramps=_cramps(count), days=days)]
    if _advice_due(turn):
        said += [frequent_item(turn).short, frequent_item(turn).more]
    return tell(say(*said))


def ask_forget(turn: Turn) -> Reply:
    """ "Forget my data": confirm first, as it can't be undone."""
    if turn.persistent is None:
        return _cannot_forget(turn)
    questions.set_pending(turn, FORGET_QUESTION)
    question = msg("forget_question")
    return ask(say(msg("forget_explain"), question), say(question, msg("yes_or_no")))


def _cannot_forget(turn: Turn) -> Reply:
    if not turn.memory_on:
        return tell(say(MEMORY_OFF, msg("memory_off_forget")))
    return tell(say(NO_MEMORY, msg("forget_unreachable")))


def forget_yes(turn: Turn) -> Reply:
    if turn.persistent is None:
        return _cannot_forget(turn)
    memory.forget(turn.persistent)
    return tell(say(msg("forget_done")), unsaved=tell(DELETE_FAILED))


def forget_no(turn: Turn) -> Reply:
    return tell(say(msg("forget_kept")))


questions.register(FORGET_QUESTION, yes=forget_yes, no=forget_no)
questions.register(LOG_QUESTION, yes=log_yes, no=log_no)
