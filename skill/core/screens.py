"""What an Echo Show displays, as plain data: the APL data sources of each screen.

One APL document (``skill/data/apl/coach.json``) draws every screen; what differs is the data
source, whose shape is a file under ``skill/data/apl/datasources/`` (step, advice, finished).
This module fills a copy of that file with words from the request's catalogue (the same
routines, knowledge and prompts the skill speaks), so a screen never says something the voice
does not, in any locale. Whether a screen is sent at all is decided in
:mod:`skill.alexa.presentation`, from the device's supported interfaces.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from skill.core.catalogue import Catalogue
from skill.core.content import load_json
from skill.core.routine import RoutineState

#: The touch buttons' actions (skill.core.touch maps each to the dialog function of its
#: spoken intent): a step's, a yes/no question's, and the launch screen's.
ACTIONS = (
    "next",
    "repeat",
    "other_leg",
    "pause",
    "longer",
    "shorter",
    "stop",
    "yes",
    "no",
    "cramp",
    "session",
    "doctor",
)
#: Buttons shown only on a step with a counted hold.
HOLD_ACTIONS = ("pause", "longer", "shorter")
#: The picture (a graphic of skill/data/apl/coach.json) of each step id that has one: the
#: stretches of the sessions, and relief's first step (a seated leg, toes pulled back).
PICTURES = {
    "standing": "standing",
    "seated": "seated",
    "towel": "towel",
    "leg_swings": "leg_swings",
    "heel_sweeps": "heel_sweeps",
    "marching": "marching",
    "stretch": "seated",
}


@cache
def _template(name: str) -> dict[str, Any]:
    data: dict[str, Any] = load_json(f"apl/datasources/{name}.json")
    return data


def _fresh(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A copy of data source ``name`` and its ``properties`` dict to fill in."""
    source = copy.deepcopy(_template(name))
    source["coach"].pop("description", None)  # documents the file; not worth sending
    return source, source["coach"]["properties"]


def position_token(state: RoutineState) -> str:
    """Which step a screen shows (``routine:index``): a touch on an older screen is stale."""
    return f"{state.routine}:{state.index}"


def step_screen(
    catalogue: Catalogue,
    state: RoutineState,
    leg: str | None,
    hold_seconds: int,
    starts_after: float,
) -> dict[str, Any]:
    """The screen of the routine's current step: title, instruction, leg, step n of m, and
    the hold countdown (``hold_seconds`` 0 for none) starting ``starts_after`` seconds from
    when the screen appears (when the instruction has been said)."""
    current = state.current()
    assert current is not None
    step = catalogue.step(state.routine, current[0].id)
    source, props = _fresh("step")
    props["title"] = step.title or catalogue.routine(state.routine).title
    props["instruction"] = step.say.format(leg=catalogue.text(f"leg_{leg}") if leg else "")
    props["safety"] = step.safety
    props["progress"] = catalogue.text(
        props.pop("progressKey"), number=state.step_number, total=state.total_steps
    )
    # A leg only on a step done on one (never on relief's massage, heat, rest or drink).
    props["leg"] = catalogue.text(f"screen_leg_{leg}") if leg and step.legged else ""
    hold = props["hold"]
    hold["seconds"] = hold_seconds
    hold["startsAfterMs"] = round(starts_after * 1000) if hold_seconds else 0
    hold["label"] = catalogue.text(hold.pop("labelKey"))
    props["position"] = position_token(state)
    props["picture"] = PICTURES.get(current[0].id, "")
    # "Other leg" only where a leg applies (a both-legs step or a held stretch); Pause,
    # Longer and Shorter only where a hold is counted.
    shown = [
        b
        for b in props["buttons"]
        if (b["action"] != "other_leg" or step.legged)
        and (b["action"] not in HOLD_ACTIONS or hold_seconds)
    ]
    props["buttons"] = [
        {"action": b["action"], "label": catalogue.text(b["labelKey"])} for b in shown
    ]
    return source


def text_screen(kind: str, title: str, lines: list[str], highlight: str) -> dict[str, Any]:
    """Large plain text (data source ``kind``: ``advice`` for doctor advice, ``finished`` for
    a routine's end), with ``highlight`` (the emergency line, the red-flag reminder) last."""
    source, props = _fresh(kind)
    props.update(title=title, lines=list(lines), emergency=highlight)
    return source


def _labelled(catalogue: Catalogue, buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"action": b["action"], "label": catalogue.text(b["labelKey"])} for b in buttons]


def launch_screen(catalogue: Catalogue) -> dict[str, Any]:
    """The launch screen: the three things to say, as buttons that do the same."""
    source, props = _fresh("launch")
    props["title"] = catalogue.text("screen_launch_title")
    props["lines"] = [catalogue.text("screen_launch_hint")]
    props["buttons"] = _labelled(catalogue, props["buttons"])
    return source


def with_yes_no(
    screen: dict[str, Any] | None, catalogue: Catalogue, question: str
) -> dict[str, Any]:
    """``screen`` with Yes and No buttons added, since the voice just asked a yes/no
    ``question``; with no screen, a screen of the question. The launch screen keeps its
    own buttons ("I have a cramp" answers its question)."""
    source, props = _fresh("question")
    yes_no = _labelled(catalogue, props["buttons"])
    if screen is None:
        props.update(title=question, buttons=yes_no)
        return source
    shown = (screen.get("coach") or {}).get("properties") or {}
    if shown.get("screen") == "launch":
        return screen
    out = copy.deepcopy(screen)
    mine = out["coach"]["properties"]
    mine["buttons"] = yes_no + [
        b for b in mine.get("buttons") or [] if b["action"] not in ("yes", "no")
    ]
    return out


def summary(source: dict[str, Any]) -> str:
    """One line saying what the screen shows (for the terminal simulator and logs)."""
    props = (source.get("coach") or {}).get("properties") or {}
    parts = [props.get("progress", ""), props.get("title", ""), props.get("leg", "")]
    if props.get("picture"):
        parts.append(f"picture: {props['picture']}")
    hold = props.get("hold") or {}
    if hold.get("seconds"):
        parts.append(f"{hold['seconds']} s countdown")
    lines = props.get("lines") or []
    if lines:
        parts.append(f"{len(lines)} lines")
    if props.get("emergency"):
        parts.append(props["emergency"])
    buttons = [b.get("label", "") for b in props.get("buttons") or []]
    if buttons:
        parts.append("buttons: " + ", ".join(buttons))
    return " | ".join(p for p in parts if p)
