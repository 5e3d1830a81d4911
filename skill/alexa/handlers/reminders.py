"""Handlers for Alexa reminders and the stretch-session count."""

from __future__ import annotations

from skill.alexa.handlers.base import DialogHandler
from skill.core import habit, reminder_dialog

HANDLERS: list[DialogHandler] = [
    DialogHandler(reminder_dialog.set_reminder, intents=("SetReminderIntent",)),
    DialogHandler(reminder_dialog.reminder_time, intents=("ReminderTimeIntent",)),
    DialogHandler(reminder_dialog.list_reminders, intents=("ListRemindersIntent",)),
    DialogHandler(reminder_dialog.cancel_reminder, intents=("CancelReminderIntent",)),
    DialogHandler(habit.session_count, intents=("StretchCountIntent",)),
]
