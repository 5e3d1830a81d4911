"""The routine engine: where a person is in a guided routine, in plain Python.

A routine is a list of steps from ``routines.json`` (relief steps point into the knowledge
base; stretch steps into the stretch library). Steps done on both legs are expanded into
one position per leg. The state is a small JSON-serialisable value kept in the session
attributes, so every turn is stateless on the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from skill.core.content import KnowledgeBase, knowledge, load_language, words
from skill.core.hold_range import DEFAULT_HOLD, HoldSeconds, hold_or_default
from skill.core.state import RoutineRecord

LEGS = ("right", "left")


def other_leg(leg: str | None) -> str:
    return "left" if leg == "right" else "right"


@dataclass(frozen=True)
class Step:
    """One step: what to say (``{leg}`` is filled in), a safety line, whether it has a
    timed hold, and whether it is done once per leg."""

    id: str
    say: str
    safety: str = ""
    #: A few words naming the step (for screens).
    title: str = ""
    hold: bool = False
    per_leg: bool = False

    @property
    def legged(self) -> bool:
        """Whether the step is done on one leg, so the voice and the screen may name it: a
        both-legs step or a held stretch (relief's massage, heat, rest and drink have none)."""
        return self.per_leg or self.hold


@dataclass(frozen=True)
class Routine:
    id: str
    title: str
    intro: str
    recap: str
    steps: tuple[Step, ...]
    #: Seconds of quiet after "get into position", before a hold is counted (0: none).
    position_beat_seconds: float = 0
    #: Seconds of quiet instead when the position changes (a new stretch: standing to
    #: sitting to lying down), ended by a cue; 0: the same as ``position_beat_seconds``.
    position_change_seconds: float = 0

    def positions(self, first_leg: str) -> list[tuple[int, str | None]]:
        """Every (step index, leg) the routine visits, in order, starting on ``first_leg``."""
        out: list[tuple[int, str | None]] = []
        for index, step in enumerate(self.steps):
            if step.per_leg:
                out += [(index, first_leg), (index, other_leg(first_leg))]
            else:
                out.append((index, None))
        return out


def _step(
    raw: dict[str, Any], library: dict[str, Any], routine_per_leg: bool, kb: KnowledgeBase
) -> Step:
    if "knowledge" in raw:
        topic, item_id = raw["knowledge"].split("/")
        item = kb.find(topic, item_id)
        if item is None:
            raise KeyError(f"routine step refers to unknown knowledge {raw['knowledge']}")
        return Step(id=raw["id"], say=item.short, hold=item.hold, per_leg=False, title=item.title)
    entry = library[raw["stretch"]]
    return Step(
        id=raw["id"],
        say=entry["say"],
        safety=entry.get("safety", ""),
        title=entry.get("title", ""),
        hold=bool(entry.get("hold", False)),
        per_leg=bool(entry.get("per_leg", routine_per_leg)),
    )


def build_routines(raw: dict[str, Any], kb: KnowledgeBase) -> dict[str, Routine]:
    """Routines by id from the parsed JSON of a ``routines.json`` file, relief steps read
    from ``kb``. Each catalogue builds its own (same structure, its language's words)."""
    library = raw["stretches"]
    return {
        rid: Routine(
            id=rid,
            title=spec["title"],
            intro=spec.get("intro", ""),
            recap=spec["recap"],
            steps=tuple(_step(s, library, spec.get("per_leg", False), kb) for s in spec["steps"]),
            position_beat_seconds=float(spec.get("position_beat_seconds", 0)),
            position_change_seconds=float(spec.get("position_change_seconds", 0)),
        )
        for rid, spec in raw["routines"].items()
    }


@cache
def routines() -> dict[str, Routine]:
    """The routines' structure (the English base; loaded once per process). Position and
    state logic use it; what is said comes from the request's catalogue."""
    return build_routines(words(load_language("en", "routines.json")), knowledge())


@dataclass(frozen=True)
class RoutineState:
    """Where the person is: routine id, position index, leg, hold seconds, paused flag.

    ``leg`` is the first leg of a both-legs routine, or the cramping leg of the relief
    routine (None when not said).
    """

    routine: str
    index: int = 0
    leg: str | None = None
    hold: HoldSeconds = DEFAULT_HOLD
    paused: bool = False

    def to_dict(self) -> RoutineRecord:
        return RoutineRecord(
            routine=self.routine, index=self.index, leg=self.leg, hold=self.hold, paused=self.paused
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> RoutineState | None:
        """Rebuild a state from session attributes or a stored position (an edge: a hold
        that is not one is repaired to the default); None for missing or unusable data."""
        if not isinstance(data, Mapping) or data.get("routine") not in routines():
            return None
        try:
            state = cls(
                routine=str(data["routine"]),
                index=int(data.get("index", 0)),
                leg=data.get("leg") if data.get("leg") in LEGS else None,
                hold=hold_or_default(data.get("hold", DEFAULT_HOLD)),
                paused=bool(data.get("paused", False)),
            )
        except (TypeError, ValueError):
            return None
        return replace(state, index=min(max(state.index, 0), len(_positions(state))))

    # --- where we are -------------------------------------------------------------
    @property
    def definition(self) -> Routine:
        return routines()[self.routine]

    @property
    def finished(self) -> bool:
        return self.index >= len(_positions(self))

    def current(self) -> tuple[Step, str | None] | None:
        """The current step and the leg it is done on, or None once finished."""
        positions = _positions(self)
        if self.index >= len(positions):
            return None
        step_index, leg = positions[self.index]
        return self.definition.steps[step_index], leg if leg is not None else self.leg

    @property
    def changes_position(self) -> bool:
        """Whether this step starts a new stretch (a new position), not the other leg of
        the one just done."""
        positions = _positions(self)
        if self.index == 0 or self.index >= len(positions):
            return True
        return positions[self.index - 1][0] != positions[self.index][0]

    @property
    def beat_seconds(self) -> float:
        """Quiet before this step's count: longer when the position changes."""
        routine = self.definition
        if self.changes_position and routine.position_change_seconds:
            return routine.position_change_seconds
        return routine.position_beat_seconds

    @property
    def step_number(self) -> int:
        return self.index + 1

    @property
    def total_steps(self) -> int:
        return len(_positions(self))


def _positions(state: RoutineState) -> list[tuple[int, str | None]]:
    return state.definition.positions(state.leg or "right")


# --- transitions (each returns a new state) ------------------------------------------
def start(
    routine_id: str, leg: str | None = None, hold: HoldSeconds = DEFAULT_HOLD
) -> RoutineState:
    if routine_id not in routines():
        raise KeyError(routine_id)
    return RoutineState(routine=routine_id, leg=leg if leg in LEGS else None, hold=hold)


def advance(state: RoutineState) -> RoutineState:
    """Next step (also "skip"); past the last step the routine is finished."""
    return replace(state, index=min(state.index + 1, state.total_steps), paused=False)


def back(state: RoutineState) -> RoutineState:
    return replace(state, index=max(state.index - 1, 0), paused=False)


def start_over(state: RoutineState) -> RoutineState:
    return replace(state, index=0, paused=False)


def pause(state: RoutineState) -> RoutineState:
    return replace(state, paused=True)


def resume(state: RoutineState) -> RoutineState:
    return replace(state, paused=False)


def set_hold(state: RoutineState, seconds: HoldSeconds) -> RoutineState:
    return replace(state, hold=seconds)


def switch_leg(state: RoutineState, to: str | None = None) -> RoutineState:
    """Go to the same step on leg ``to`` (the leg the person named), or on the other leg.

    In a both-legs routine that is the sibling position of the current step; in the
    relief routine the cramping leg changes and the current step is redone for it. With
    no leg named and none known yet (relief started without one), the leg stays unknown:
    there is no "other" of an unknown leg to guess.
    """
    current = state.current()
    if current is None:
        return state
    step, leg = current
    target_leg = to if to in LEGS else (other_leg(leg) if leg in LEGS else None)
    if not step.per_leg:
        return replace(state, leg=target_leg, paused=False)
    positions = _positions(state)
    target = (positions[state.index][0], target_leg or other_leg(leg))
    return replace(state, index=positions.index(target), paused=False)
