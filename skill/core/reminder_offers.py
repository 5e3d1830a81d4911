"""Offering a reminder at the natural moments: after a stretch session, and after a
prevention tip. At most once a week, and only when the skill can keep that promise.

Never after an alarm (the session's safety latch is closed), never during a routine, never
without memory (the once-a-week rule needs it), and never as a side effect: the offer is a
yes/no question, and only a yes sets anything (an Alexa certification rule). The time is
said relative to now ("in three days, at this time of day"), so nothing is asked of Alexa
before a yes; skill.core.reminder_dialog registers what yes and no do.
"""

from __future__ import annotations

from typing import Any

from skill.core import latch, memory, questions
from skill.core.reminder_plan import ReminderPlan, described, what
from skill.core.reply import Reply, ask
from skill.core.speech import Part, msg, say
from skill.core.turn import Turn

#: The yes/no questions asked (what "no" does differs; skill.core.reminder_dialog
#: registers both).
AFTER_SESSION = "reminder_offer_session"
AFTER_TIP = "reminder_offer_tip"

#: "Want me to remind you to stretch again in three days, at this time of day?"
OFFER_AFTER_DAYS = 3


def due(turn: Turn) -> bool:
    """Whether an offer may be made on this turn."""
    if latch.is_closed(turn) or turn.persistent is None or turn.reminders is None:
        return False
    if not questions.registered(AFTER_SESSION):  # the Alexa layer sets what "yes" does
        return False
    return memory.reminder_offer_due(turn.persistent, turn.now)


def offer(
    turn: Turn, session: str | None, question: str, *spoken: Part, **shown: Any
) -> Reply | None:
    """Say ``spoken`` and offer a reminder, or None when no offer is due (the caller says
    what it would have said anyway). The reminder rings a few days from now at this time
    of day (a relative trigger), so the offer needs no Alexa call before the person's yes."""
    if not due(turn) or turn.persistent is None:
        return None
    kept = session if session in ("warmup", "cooldown") else None
    plan = ReminderPlan("stretch", kept, in_days=OFFER_AFTER_DAYS)
    memory.mark_reminder_offered(turn.persistent, turn.now)
    turn.state["reminder_offer"] = plan.to_dict()
    questions.set_pending(turn, question)
    when = described(plan, None, None)
    return ask(
        say(*spoken, msg("reminder_offer", what=what(plan), when=when)),
        say(msg("reminder_offer_reprompt")),
        **shown,
    )


def offered(turn: Turn) -> ReminderPlan | None:
    """The plan offered on the last turn (taken: a second yes sets nothing more)."""
    return ReminderPlan.from_dict(turn.state.pop("reminder_offer", None))
