"""Dialog for what the skill remembers: logging a cramp, counting them, forgetting, and the
frequent-cramp advice added to the end of the relief routine.

Plain functions of a :class:`Turn`, like the rest of the dialog; the memory rules themselves
are in :mod:`skill.core.memory`. ``turn.persistent`` is None when nothing can be remembered (no
store configured, or the store failed this turn): every function still answers.
"""

from __future__ import annotations

from skill.core import memory, questions
from skill.core.content import Item, knowledge
from skill.core.reply import Reply, ask, tell
from skill.core.ssml import text
from skill.core.turn import Turn

#: The pending yes/no question "delete everything?" (see :mod:`skill.core.questions`).
FORGET_QUESTION = "forget_data"
#: The foundation's "is it cramping now?" question: yes starts the relief routine.
CRAMPING_QUESTION = "is_cramping"

NO_MEMORY = "I can't reach my records right now, sorry."
#: Said instead of "I've noted it" when the store did not take the cramp.
NOT_SAVED = "I couldn't save that just now."
#: Said instead of "Done. I've deleted everything" when the store did not delete it.
DELETE_FAILED = ("Sorry, I couldn't delete your history just now.", "Please ask me again later.")
STILL_CRAMPING = "Is it still cramping?"


def frequent_item() -> Item:
    """The seed's advice that frequent cramps warrant a medical evaluation (doctor/frequent)."""
    item = knowledge().find("doctor", "frequent")
    if item is None:  # pragma: no cover - guarded by the knowledge tests
        raise LookupError("knowledge.json lacks doctor/frequent")
    return item


def _cramps(count: int) -> str:
    return "one cramp" if count == 1 else f"{count} cramps"


def _week_count(turn: Turn) -> int:
    assert turn.persistent is not None
    return memory.cramps_in_last(turn.persistent, memory.FREQUENT_WINDOW_DAYS, turn.now)


def _advice_due(turn: Turn) -> bool:
    """True (and marked as given) when 3+ cramps in 7 days and not advised in the last day."""
    if turn.persistent is None or not memory.frequent_advice_due(turn.persistent, turn.now):
        return False
    memory.mark_frequent_advice(turn.persistent, turn.now)
    return True


def note_relief_start(turn: Turn) -> None:
    """Log a cramp when the relief routine starts (a repeat within minutes counts once)."""
    if turn.persistent is not None:
        memory.log_cramp(turn.persistent, turn.now)


def relief_ending(turn: Turn) -> tuple[str, ...]:
    """Plain-text sentences for the relief routine's ending: why these cramps are worth a
    doctor's look, when the log shows them frequent (at most once a day). The routine's own
    red-flag reminder, which follows, already says to see a doctor for frequent cramps."""
    if not _advice_due(turn):
        return ()
    return (f"That's {_cramps(_week_count(turn))} this week.", frequent_item().more)


def log_cramp(turn: Turn) -> Reply:
    """ "I had a cramp": note it, say how many this week (with the advice if they are
    frequent), then check it has passed, since "had" and "have" sound alike."""
    questions.set_pending(turn, CRAMPING_QUESTION)
    reprompt = text("Is your hamstring still cramping? Say yes or no.")
    if turn.persistent is None:
        return ask(text(NO_MEMORY, STILL_CRAMPING), reprompt)
    memory.log_cramp(turn.persistent, turn.now)
    count = _week_count(turn)
    if _advice_due(turn):
        item = frequent_item()
        said: tuple[str, ...] = (
            f"I've noted it. You've had {_cramps(count)} this week.",
            item.short,
            item.more,
        )
    else:
        said = (f"I've noted it. That's {_cramps(count)} in the last seven days.",)
    unsaved = ask(text(NOT_SAVED, STILL_CRAMPING), reprompt)
    return ask(text(*said, STILL_CRAMPING), reprompt, unsaved=unsaved)


def cramp_count(turn: Turn) -> Reply:
    """ "How many cramps have I had this week?" (the last seven days)."""
    if turn.persistent is None:
        return tell(text(NO_MEMORY, "So I can't count your cramps at the moment."))
    count = _week_count(turn)
    if count == 0:
        return tell(text("You haven't logged any cramps in the last seven days."))
    said = [f"You've logged {_cramps(count)} in the last seven days."]
    if _advice_due(turn):
        said += [frequent_item().short, frequent_item().more]
    return tell(text(*said))


def ask_forget(turn: Turn) -> Reply:
    """ "Forget my data": confirm first, as it can't be undone."""
    if turn.persistent is None:
        return tell(text(NO_MEMORY, "Nothing was deleted. Please try again later."))
    questions.set_pending(turn, FORGET_QUESTION)
    question = "Do you want me to delete everything I remember about you?"
    return ask(
        text(
            "I remember your hold length, where you were in a routine, "
            "and when you had cramps, for up to ninety days.",
            question,
        ),
        text(question, "Say yes or no."),
    )


def forget_yes(turn: Turn) -> Reply:
    if turn.persistent is None:
        return tell(text(NO_MEMORY, "Nothing was deleted. Please try again later."))
    memory.forget(turn.persistent)
    return tell(
        text("Done. I've deleted everything I remembered about you."),
        unsaved=tell(text(*DELETE_FAILED)),
    )


def forget_no(turn: Turn) -> Reply:
    return tell(text("Okay, I've kept everything as it was."))


questions.register(FORGET_QUESTION, yes=forget_yes, no=forget_no)
