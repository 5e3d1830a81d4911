"""The routine engine on its own: transitions, clamping and serialisation, no Alexa."""

from __future__ import annotations

import json

import pytest

from skill.core import routine
from skill.core.holds import clamp_hold
from skill.core.routine import RoutineState


def test_relief_routine_follows_the_seed_order() -> None:
    steps = routine.routines()["relief"].steps
    assert [s.id for s in steps] == ["stretch", "massage", "temperature", "rest", "rehydrate"]
    assert [s.hold for s in steps] == [True, False, False, False, False]
    assert steps[0].say.startswith("Straighten your leg.")


@pytest.mark.parametrize("routine_id", ["stretch", "warmup", "cooldown"])
def test_stretch_sessions_cover_both_legs_with_safety_lines(routine_id: str) -> None:
    state = routine.start(routine_id, leg="left")
    legs_by_step: dict[str, set[str]] = {}
    while not state.finished:
        step, leg = state.current()
        assert step.safety, step.id
        if step.per_leg:
            legs_by_step.setdefault(step.id, set()).add(leg)
        state = routine.advance(state)
    assert legs_by_step and all(legs == {"left", "right"} for legs in legs_by_step.values())


def test_warmup_is_dynamic_and_stretch_sessions_are_static_holds() -> None:
    assert not any(s.hold for s in routine.routines()["warmup"].steps)
    assert all(s.hold for s in routine.routines()["stretch"].steps)
    assert all(s.hold for s in routine.routines()["cooldown"].steps)


def test_per_leg_steps_start_on_the_chosen_leg_then_switch() -> None:
    state = routine.start("stretch", leg="left")
    assert state.current()[1] == "left"
    state = routine.advance(state)
    assert state.current() == (routine.routines()["stretch"].steps[0], "right")


def test_advance_back_and_bounds() -> None:
    state = routine.start("relief")
    assert routine.back(state).index == 0
    for _ in range(10):
        state = routine.advance(state)
    assert state.finished and state.current() is None
    assert state.index == state.total_steps
    assert routine.back(state).current()[0].id == "rehydrate"


def test_pause_resume_and_start_over() -> None:
    state = routine.advance(routine.advance(routine.start("relief")))
    paused = routine.pause(state)
    assert paused.paused and paused.index == 2
    assert not routine.resume(paused).paused
    assert routine.start_over(paused).index == 0


def test_switch_leg_in_a_both_legs_routine_jumps_to_the_sibling_position() -> None:
    state = routine.advance(routine.advance(routine.start("stretch", leg="right")))
    step, leg = state.current()
    assert (step.id, leg) == ("seated", "right")
    switched = routine.switch_leg(state)
    assert switched.current() == (step, "left")
    assert routine.switch_leg(switched).current() == (step, "right")


def test_switch_leg_in_relief_changes_the_cramping_leg_and_keeps_the_step() -> None:
    state = routine.start("relief", leg="right")
    switched = routine.switch_leg(state)
    assert switched.leg == "left" and switched.index == 0


@pytest.mark.parametrize(
    ("requested", "seconds", "clamped"),
    [
        (None, 30, False),
        (20, 20, False),
        (25, 25, False),
        (30, 30, False),
        (19, 20, True),
        (5, 20, True),
        (31, 30, True),
        (90, 30, True),
        (24.6, 25, False),
    ],
)
def test_hold_clamping(requested, seconds: int, clamped: bool) -> None:
    length = clamp_hold(requested)
    assert (length.seconds, length.clamped) == (seconds, clamped)


def test_set_hold_takes_a_clamped_request() -> None:
    assert routine.set_hold(routine.start("relief"), clamp_hold(45).seconds).hold == 30


def test_state_round_trips_through_json() -> None:
    state = routine.pause(routine.advance(routine.start("cooldown", leg="left", hold=22)))
    data = json.loads(json.dumps(state.to_dict()))
    assert RoutineState.from_dict(data) == state


@pytest.mark.parametrize(
    "data",
    [None, {}, {"routine": "nope"}, {"routine": "relief", "index": "x"}, "relief", []],
)
def test_unusable_state_is_ignored(data) -> None:
    assert RoutineState.from_dict(data) is None


def test_tampered_state_is_made_safe() -> None:
    state = RoutineState.from_dict({"routine": "relief", "index": 99, "leg": "middle", "hold": 5})
    # A stored hold that is not one is repaired to the default, not stretched into the range.
    assert state.finished and state.leg is None and state.hold == 30
