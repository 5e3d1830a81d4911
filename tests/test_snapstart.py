"""SnapStart: what Lambda snapshots at init must stay unique in every restored environment."""

from __future__ import annotations

from skill.hosts import lambda_handler
from skill.store import versioned


def run_after_restore_hooks() -> None:
    """What Lambda's runtime does when it resumes an environment from a snapshot."""
    from snapshot_restore_py import get_after_restore

    for func, args, kwargs in get_after_restore():
        func(*args, **kwargs)


def test_the_handler_registers_an_after_restore_hook() -> None:
    from snapshot_restore_py import get_after_restore

    assert lambda_handler.RESTORE_HOOK is True
    assert lambda_handler.after_restore in [func for func, _, _ in get_after_restore()]


def test_environments_restored_from_one_snapshot_do_not_share_the_retry_jitter() -> None:
    snapshot = versioned._jitter.getstate()  # the generator as init left it
    try:
        without_hook, with_hook = [], []
        for _ in range(2):  # two environments resumed from the same snapshot
            versioned._jitter.setstate(snapshot)
            without_hook.append([versioned._jitter.random() for _ in range(4)])
            versioned._jitter.setstate(snapshot)
            run_after_restore_hooks()
            with_hook.append([versioned._jitter.random() for _ in range(4)])
        assert without_hook[0] == without_hook[1]  # the hazard AWS warns about
        assert with_hook[0] != with_hook[1]
    finally:
        versioned.reseed()
