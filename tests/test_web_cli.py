"""``cramp-coach serve``: the development server on 127.0.0.1 by default."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from skill.tools import cli


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record Flask.run instead of serving."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(Flask, "run", lambda app, **kwargs: calls.append(kwargs))
    monkeypatch.setenv("CRAMP_COACH_VERIFY_SIGNATURES", "0")
    return calls


def test_serve_defaults_to_loopback(runs: list[dict[str, Any]]) -> None:
    assert cli.main(["serve"]) == 0
    assert runs == [{"host": "127.0.0.1", "port": 5000, "debug": False}]


def test_serve_host_and_port(runs: list[dict[str, Any]]) -> None:
    assert cli.main(["serve", "--host", "0.0.0.0", "--port", "8080"]) == 0
    assert runs == [{"host": "0.0.0.0", "port": 8080, "debug": False}]


def test_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main([])
    assert exit_info.value.code == 2
    assert "serve" in capsys.readouterr().err
