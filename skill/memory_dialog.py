"""Dialog for what the skill remembers: logging a cramp, counting them, forgetting, and the
frequent-cramp advice added to the end of a relief routine.

Plain functions of a :class:`Turn`, like the rest of the dialog; the memory rules themselves
are in :mod:`skill.memory`. ``turn.persistent`` is None when nothing can be remembered (no
store configured, or the store failed this turn): every function still answers.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from skill import memory
from skill.reply import Reply, ask, tell
from skill.ssml import text
from skill.turn import Turn

#: Name of the yes/no question "delete everything?" in the dialog's pending-question state.
FORGET_QUESTION = "forget_data"

NO_MEMORY = "I can't keep a record right now, sorry."


@cache
def frequent_advice() -> str:
    """The seed's advice that frequent cramps warrant a medical evaluation (doctor/frequent)."""
    path = Path(__file__).with_name("data") / "knowledge.json"
    items = json.loads(path.read_text(encoding="utf-8"))["doctor"]
    return next(item["short"] for item in items if item["id"] == "frequent")


def _cramps(count: int) -> str:
    return "one cramp" if count == 1 else f"{count} cramps"


def advice_if_due(turn: Turn) -> str:
    """The frequent-cramp advice (plain text) if it is due, marking it given; else ``""``.

    Due when the log shows 3 or more cramps in 7 days and it was not given in the last day."""
    if turn.persistent is None or not memory.frequent_advice_due(turn.persistent, turn.now):
        return ""
    memory.mark_frequent_advice(turn.persistent, turn.now)
    count = memory.cramps_in_last(turn.persistent, memory.FREQUENT_WINDOW_DAYS, turn.now)
    return f"You've had {_cramps(count)} this week. {frequent_advice()}"


def note_relief_start(turn: Turn) -> None:
    """Log a cramp when the relief routine starts (a repeat within minutes counts once)."""
    if turn.persistent is not None:
        memory.log_cramp(turn.persistent, turn.now)


def relief_ending(turn: Turn) -> str:
    """What the relief routine's ending adds (SSML): the frequent-cramp advice, when due."""
    advice = advice_if_due(turn)
    return text(advice) if advice else ""


def log_cramp(turn: Turn) -> Reply:
    """"I had a cramp": note it, say how many this week, and advise if they are frequent."""
    if turn.persistent is None:
        return tell(text(NO_MEMORY, "Stretching gently and drinking water can help it settle."))
    memory.log_cramp(turn.persistent, turn.now)
    advice = advice_if_due(turn)
    if advice:
        return tell(text("I've noted that cramp.", advice))
    count = memory.cramps_in_last(turn.persistent, memory.FREQUENT_WINDOW_DAYS, turn.now)
    return tell(text(f"I've noted that cramp. That's {_cramps(count)} in the last seven days."))


def cramp_count(turn: Turn) -> Reply:
    """"How many cramps have I had this week?" (the last seven days)."""
    if turn.persistent is None:
        return tell(text(NO_MEMORY, "So I can't count your cramps at the moment."))
    count = memory.cramps_in_last(turn.persistent, memory.FREQUENT_WINDOW_DAYS, turn.now)
    if count == 0:
        return tell(text("You haven't logged any cramps in the last seven days."))
    advice = advice_if_due(turn)
    return tell(text(f"You've logged {_cramps(count)} in the last seven days.", advice))


def ask_forget(turn: Turn) -> Reply:
    """"Forget my data": confirm first, as it can't be undone. The caller sets the pending
    question :data:`FORGET_QUESTION` so the yes or no comes back to forget_yes/forget_no."""
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
        return tell(text("I couldn't reach my records just now, so nothing was deleted.",
                         "Please try again later."))
    memory.forget(turn.persistent)
    return tell(text("Done. I've deleted everything I remembered about you."))


def forget_no(turn: Turn) -> Reply:
    return tell(text("Okay, I've kept everything as it was."))
