"""bench/dynamodb.py on a small scale: the load run through the Flask host counts requests,
errors and lost writes for each store, and its report renders."""

from __future__ import annotations

import pytest

from bench import dynamodb
from tests.dynalite_server import Dynalite

pytestmark = pytest.mark.slow  # a load run on dynalite


def test_many_people_load_run_loses_no_write(dynalite: Dynalite) -> None:
    rows = dynamodb.load(dynalite, people=6, only=("no store", "DynamoDB store (dynalite)"))
    assert [row["store"] for row in rows] == ["no store", "DynamoDB store (dynalite)"]
    for row in rows:
        assert row["requests"] == 12 and row["errors"] == 0 and row["rps"] > 0
    assert rows[1]["claimed"] == 12 and rows[1]["lost"] == 0  # every answer claimed a save
    assert rows[0]["claimed"] is None and rows[1]["ratio"] > 0  # no store: nothing to lose
    cold = [
        {
            "case": "hello",
            "bytecode": True,
            "import_ms": 1,
            "first_ms": 1,
            "total_ms": 2,
            "ratio": 1.0,
        },
    ]
    text = dynamodb.markdown({"cold": cold, "load": rows})
    assert "| DynamoDB store (dynalite) |" in text and "0 of 12 claimed" in text
