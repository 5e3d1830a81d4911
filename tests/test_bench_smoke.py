"""The benchmark machinery on tiny counts: structure and validity, never speed."""

from __future__ import annotations

import http.client
import json
import os
import re
from pathlib import Path

import pytest

from bench import breakdown, http_load, inprocess, verification
from bench.http_app import bench_store, create_bench_app, create_echo_app, write_pki
from bench.report import NOTES, Report
from skill.alexa.verification import SignatureVerifier
from tests import pki

pytestmark = pytest.mark.slow  # gunicorn and wrk

IN_PROCESS_KEYS = {"request", "skill_p50_us", "skill_p99_us", "base_p50_us", "base_p99_us"}


def test_in_process_rows() -> None:
    rows = inprocess.run(rounds=20)
    assert [r["request"] for r in rows][0] == "launch"
    assert len(rows) == 5
    for row in rows:
        assert IN_PROCESS_KEYS | {"p99_ratio"} <= row.keys()
        assert row["skill_p99_us"] > 0 and row["base_p99_us"] > 0


def test_the_measured_requests_name_no_alexa_api_the_skill_would_call() -> None:
    """A measured turn that asks the Alexa API (the doctor turn asks the time zone) must not
    try the network: the in-process rows and the instruction counts name a non-HTTPS API,
    to which the skill's client refuses to send its token."""
    import bench.cases

    envelopes = [*inprocess.scenarios().values(), *bench.cases._envelopes().values()]
    endpoints = {envelope["context"]["System"]["apiEndpoint"] for envelope in envelopes}
    assert endpoints == {bench.cases.LOCAL_API} and not bench.cases.LOCAL_API.startswith("https")


def test_signature_and_breakdown_figures() -> None:
    figures = verification.bench_signature(calls=20)
    assert set(figures) == {"verify, cached chain (us)", "chain validation, cold (us)"}
    assert all(value > 0 for value in figures.values())
    phases = breakdown.run(calls=5)
    assert phases[0]["phase"].startswith("whole request") and len(phases) == 8


def test_bench_request_is_valid_for_the_bench_app(tmp_path: Path) -> None:
    """What wrk sends must pass every check of the app the gunicorn workers build."""
    good = pki.make_pki()
    write_pki(tmp_path, good.root_pem, good.chain_pem)
    script = http_load.write_request(tmp_path, good).read_text()
    body = (tmp_path / "body.json").read_bytes()
    headers = {
        name: json.loads(re.search(rf'wrk.headers\["{name}"\] = (".*")', script)[1])
        for name in ("SignatureCertChainUrl", "Signature-256")
    }
    SignatureVerifier(good.root_pem, good.fetch()).verify(headers, body.decode(), None)
    response = (
        create_bench_app(str(tmp_path))
        .test_client()
        .post("/alexa", data=body, headers=headers, content_type="application/json")
    )
    assert response.status_code == 200
    assert "outputSpeech" in response.get_json()["response"]
    echo = (
        create_echo_app().test_client().post("/alexa", data=body, content_type="application/json")
    )
    assert echo.get_json() == json.loads(body)


def test_gunicorn_serves_on_loopback_and_stops(tmp_path: Path) -> None:
    with http_load.gunicorn("bench.http_app:create_echo_app()", {}, tmp_path / "log") as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request(
            "POST", "/alexa", body=b'{"a": 1}', headers={"Content-Type": "application/json"}
        )
        assert json.loads(conn.getresponse().read()) == {"a": 1}
        conn.close()
        assert http_load.cpu_seconds(server.pid) is not None
    assert not Path(f"/proc/{server.pid}").exists() or _is_zombie(server.pid)


def _is_zombie(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def test_http_summary_pairs_rounds() -> None:
    def run(rps: float, cpu: float) -> dict[str, float]:
        return {"rps": rps, "p50_us": 1000, "p99_us": 3000, "cpu_us": cpu, "requests": 100,
                "non_2xx": 0, "socket_errors": 0}  # fmt: skip

    samples = {
        http_load.BASELINE: [run(1000, 300), run(2000, 300), run(1000, 300)],
        http_load.SKILL: [run(700, 500), run(1000, 500), run(600, 500)],
    }
    result = http_load.summarise(samples, seconds=1, load_before=0.5)
    assert result["round_ratios"] == [0.7, 0.5, 0.6]
    assert result["ratio"] == 0.6
    assert result["cpu_ratio"] == 0.6
    assert [row["server"] for row in result["rows"]] == [http_load.BASELINE, http_load.SKILL]


def test_report_renders_every_section() -> None:
    report = Report(date="2026-01-01", machine="2 cores")
    row = dict.fromkeys(IN_PROCESS_KEYS - {"request"}, 100.0)
    report.in_process([{"request": "launch", **row, "p99_ratio": 1.0}])
    report.http({"skipped": "wrk not found"})
    report.cold_start([{"bytecode": True, "skill_ms": 60.0, "base_ms": 50.0, "ratio": 1.2}])
    report.signature(
        {"verify, cached chain (us)": 25.0, "chain validation, cold (us)": 300.0},
        {"bare Flask JSON echo": 5000.0, "skill + signature + timestamp": 2500.0},
    )
    report.breakdown([{"phase": "JSON parse of the body", "us": 4.0}])
    report.add(NOTES)
    text = report.markdown()
    assert text.startswith("# Benchmark results")
    assert "- Date: 2026-01-01" in text and "- Machine: 2 cores" in text
    assert text.count("\n## ") == 6
    assert "**Skipped**: wrk not found" in text
    assert text.count("meets target") == 2  # cold start, signature (in-process: no target)
    assert "| skill + signature + timestamp | 2,500 | 0.50 |" in text


def test_http_section_with_figures() -> None:
    report = Report(date="d", machine="m")
    rows = [
        {
            "server": name,
            "rps": rps,
            "p50_ms": 1.0,
            "p99_ms": 2.0,
            "cpu_us": 300.0,
            "requests": 10,
            "non_2xx": 0,
            "socket_errors": 0,
        }  # fmt: skip
        for name, rps in ((http_load.BASELINE, 1000.0), (http_load.SKILL, 500.0))
    ]
    report.http(
        {
            "rows": rows,
            "ratio": 0.5,
            "cpu_ratio": 0.55,
            "round_ratios": [0.4, 0.5, 0.6],
            "rounds": 3,
            "seconds": 1,
            "load_before": 0.1,
            "load_after": 0.2,
            "setup": "s",
        }  # fmt: skip
    )
    text = report.markdown()
    assert (
        "req/s ratio, skill / echo: 0.50** (median of the paired rounds; rounds ranged 0.40" in text
    )
    assert "MISSES target" in text
    assert "both sides of the target" in text  # rounds 0.4 to 0.6 straddle 0.6


def test_cpu_seconds_of_this_process() -> None:
    assert (http_load.cpu_seconds(os.getpid()) or 0) >= 0


def test_bench_store_is_never_the_users_own(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("CRAMP_COACH_DB", raising=False)
    assert bench_store() == "none"
    monkeypatch.setenv("CRAMP_COACH_DB", "/tmp/x.sqlite3")
    assert bench_store() == "/tmp/x.sqlite3"


def test_every_figure_in_the_report_is_from_its_input() -> None:
    """RESULTS.md says every figure is from the run that wrote it: the report may print the
    run's figures, its targets and its method, and nothing remembered from an earlier run."""
    report = Report(date="2031-07-13", machine="m")
    report.in_process(
        [
            {
                "request": "launch",
                "skill_p50_us": 111.0,
                "skill_p99_us": 222.0,
                "base_p50_us": 333.0,
                "base_p99_us": 444.0,
                "p99_ratio": 0.57,
            }  # fmt: skip
        ]
    )
    report.cold_start([{"bytecode": True, "skill_ms": 61.3, "base_ms": 52.4, "ratio": 1.17}])
    rows = [
        {
            "server": name,
            "rps": rps,
            "p50_ms": 1.23,
            "p99_ms": 4.56,
            "cpu_us": 789.0,
            "requests": 9876,
            "non_2xx": 0,
            "socket_errors": 0,
        }  # fmt: skip
        for name, rps in (("echo", 3456.0), ("skill", 1728.0))
    ]
    report.http(
        {
            "rows": rows,
            "ratio": 0.71,
            "ratios": {"skill, SQLite store": 0.69},
            "cpu_ratio": 0.73,
            "round_ratios": [0.67, 0.71, 0.77],
            "rounds": 3,
            "seconds": 7,
            "load_before": 0.31,
            "load_after": 0.37,
            "setup": "s",
        }  # fmt: skip
    )
    report.signature(
        {"verify, cached chain (us)": 27.5, "chain validation, cold (us)": 912.0},
        {"bare Flask JSON echo": 6400.0, "skill": 3200.0},
    )
    report.breakdown([{"phase": "JSON parse of the body", "us": 4.8}])
    report.add(NOTES)
    inputs = {
        "2031", "07", "13", "111", "222", "333", "444", "0.57", "61.3", "52.4", "1.17",
        "1.23", "4.56", "789", "9,876", "3,456", "1,728", "0", "0.71", "0.69", "0.73",
        "0.67", "0.77", "3", "7", "0.31", "0.37", "27.5", "912", "6,400", "3,200", "0.50",
        "1.00", "4.8",
    }  # fmt: skip
    targets = {"1.5", "1.5x", "150", "0.6", "100"}
    method = {"5", "2"}  # "median of 5 rounds", "stack-notes.md section 2" (a pointer)
    # Standalone numbers: not the digits of p99, RSA-2048 or non-2xx.
    numbers = re.findall(r"(?<![\w-])\d[\d,]*(?:\.\d+)?x?(?!\w)", report.markdown())
    assert set(numbers) - inputs - targets - method == set()
