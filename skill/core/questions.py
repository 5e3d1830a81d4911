"""Pending yes/no questions: what "yes" and "no" mean depends on what was just asked.

A dialog function that ends with a yes/no question names it with :func:`set_pending`; the
Yes and No intents then call the actions registered for that name.
"""

from __future__ import annotations

from collections.abc import Callable

from skill.core.reply import Reply
from skill.core.turn import Turn

Action = Callable[[Turn], Reply]

_REGISTRY: dict[str, tuple[Action, Action]] = {}


def register(name: str, yes: Action, no: Action) -> None:
    """Declare what yes and no do after question ``name``."""
    _REGISTRY[name] = (yes, no)


def registered(name: str) -> bool:
    return name in _REGISTRY


def set_pending(turn: Turn, name: str) -> None:
    if name not in _REGISTRY:
        raise KeyError(f"question {name!r} is not registered")
    turn.state["question"] = name


def clear(turn: Turn) -> None:
    turn.state.pop("question", None)


def pending(turn: Turn) -> str | None:
    name = turn.state.get("question")
    return name if name in _REGISTRY else None


def answer(turn: Turn, yes: bool) -> Reply | None:
    """Run the action for a yes or no; None when no question is pending."""
    name = pending(turn)
    clear(turn)
    if name is None:
        return None
    yes_action, no_action = _REGISTRY[name]
    return (yes_action if yes else no_action)(turn)
