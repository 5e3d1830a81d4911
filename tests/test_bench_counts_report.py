"""The instruction-count sections of bench/RESULTS.md: targets checked on the run's own figures."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from bench import instructions_report as report


def _rows(scale: float) -> dict[str, dict[str, float]]:
    figures = {
        "hello, stock serializer: launch": 1_000_000,
        "hello, stock serializer: relief": 1_000_000,
        "hello, skill's serializer: launch": 500_000,
        "hello, skill's serializer: relief": 500_000,
        "skill: launch": 1_100_000 * scale,
        "skill: relief": 1_600_000 * scale,
        "skill, stock serializer: launch": 1_700_000,
        "skill, stock serializer: relief": 2_700_000,
        "floor, json.dumps of the answer: launch": 60_000,
        "floor, json.dumps of the answer: relief": 300_000,
        "skill + SQLite, new person: launch": 1_100_000 * scale + 250_000,
        "skill + SQLite, new person: relief": 1_600_000 * scale + 350_000,
        "skill + SQLite, log of 10: launch": 1_100_000 * scale + 200_000,
        "skill + SQLite, log of 10: relief": 1_600_000 * scale + 400_000,
        "skill + SQLite, log of 500: launch": 1_500_000,
        "skill + SQLite, log of 10,000: launch": 13_000_000,
        "skill + DynamoDB, log of 10: launch": 3_000_000,
        "skill + DynamoDB, log of 10,000: launch": 3_150_000,
        "web: stock stack + hello skill, signature + timestamp": 40_000_000,
        "web: skill, signature + timestamp": 4_000_000,
    }
    return {name: {"instructions": n, "wall_us": n / 1000} for name, n in figures.items()}


def test_targets_are_checked_on_the_figures_of_the_run() -> None:
    figures: dict[str, Any] = {
        "calls": 16,
        "before": "abc1234",
        "trees": {"after": _rows(1.0), "before": _rows(2.0)},
    }
    text = report.markdown(figures, (3.5, 4.25))
    assert "| launch / hello | 2.20 | 1.10 | 1.2 | meets target |" in text
    assert "| relief, first turn / hello | 3.20 | 1.60 | 1.5 | MISSES target |" in text
    assert "| SQLite store adds (new person, launch) / hello | 0.25 | 0.25 | 0.3 | meets" in text
    assert "(log of 10, relief, first turn) / hello | 0.40 | 0.40 | 0.3 | MISSES target" in text
    assert "| relief, first turn | 1,600,000 | 1,000,000 | 500,000 | 2,700,000 | 3.20 | 2.70 |" in (
        text
    )
    assert "3.50 / 4.25" in text and "commit abc1234" in text
    assert "| stock stack + hello skill, signature + timestamp | 40,000,000 | 1.00 |" in text
    assert "| skill, signature + timestamp | 4,000,000 | 0.10 |" in text
    assert "oscrypto" in text  # the fix the stock stack needed is named
    assert "| SQLite | launch | 10,000 | 13,000,000 | 5.42 | 13,000,000 | 10.00 |" in text
    assert "| DynamoDB | launch | 10,000 | 3,150,000 | 1.05 | 3,150,000 | 1.05 |" in text
    assert "| DynamoDB | launch | 500 | n/a | n/a | n/a | n/a |" in text  # not measured: said


def test_a_missing_figure_is_said_not_invented() -> None:
    rows = _rows(1.0)
    del rows["skill + SQLite, new person: relief"]
    text = report.markdown({"calls": 4, "before": None, "trees": {"after": rows}}, (1.0, 1.0))
    assert "| SQLite store adds (new person, relief, first turn) / hello | n/a | n/a | 0.3 " in (
        text
    )
    assert "MISSES target" in text  # a target without its figure is not met


def test_the_package_section() -> None:
    cold = {"import_ms": 80.0, "total_ms": 95.0, "import_cpu_ms": 70.0, "total_cpu_ms": 85.5}
    rows = [
        {
            "package": "after (this checkout)",
            "zipped_mb": 4.77,
            "boto3_packaged": False,
            "none": {**cold, "boto3_from": "not imported"},
            "dynamodb:bench-table": {**cold, "boto3_from": "runtime"},
        }
    ]
    text = report.package_markdown(rows)
    assert (
        "| after (this checkout) | no | 4.77 | none | 80.0 | 95.0 | 85.5 | not imported |" in text
    )
    assert "| DynamoDB | 80.0 | 95.0 | 85.5 | runtime |" in text


def test_the_log_rows_quote_a_second_before_when_measured() -> None:
    """``--log-before``: the stores' groups on a third tree, a column pair of their own."""
    main = {
        "skill + SQLite, log of 10: launch": 2_000_000,
        "skill + SQLite, log of 500: launch": 2_600_000,
    }
    figures: dict[str, Any] = {
        "calls": 16,
        "before": "abc1234",
        "log_before": "def5678",
        "trees": {
            "after": _rows(1.0),
            "before": _rows(2.0),
            "log_before": {n: {"instructions": v, "wall_us": 1.0} for n, v in main.items()},
        },
    }
    text = report.markdown(figures, (1.0, 1.0))
    assert "| before (abc1234) | ratio | before (def5678) | ratio | after | ratio |" in text
    assert "| SQLite | launch | 500 | 1,500,000 | 0.62 | 2,600,000 | 1.30 | 1,500,000 | 1.15 |" in (
        text
    )


def test_a_group_that_failed_is_named_with_its_reason() -> None:
    figures: dict[str, Any] = {
        "calls": 16,
        "before": None,
        "trees": {"after": _rows(1.0)},
        "skipped": {"dynamodb (log_before)": "TimeoutExpired: timed out after 1800 seconds"},
    }
    text = report.markdown(figures, (1.0, 1.0))
    assert "- dynamodb (log_before): TimeoutExpired: timed out after 1800 seconds" in text
    assert "| DynamoDB | launch | 10 | n/a | n/a |" in text


def test_a_failing_group_does_not_lose_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that outlasts its time (the DynamoDB group did, on a loaded machine) costs its
    own rows, named, not the whole run."""
    from bench import instructions

    def count(tree: Any, group: str, calls: int) -> dict[str, float]:
        if group == "dynamodb":
            raise subprocess.TimeoutExpired(["valgrind"], 1800)
        return {f"{group}: case": 1000.0 * calls}

    monkeypatch.setattr(instructions, "count", count)
    monkeypatch.setattr(instructions, "wall", lambda *args: {})
    figures = instructions.run(calls=16, seconds=0.0)
    after = figures["trees"]["after"]
    assert set(after) == {"none: case", "sqlite: case", "web: case"}
    assert list(figures["skipped"]) == ["dynamodb (after)"]
    assert "TimeoutExpired" in figures["skipped"]["dynamodb (after)"]
