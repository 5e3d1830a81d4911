"""Through HTTP: ``POST /alexa`` under gunicorn (2 sync workers) loaded by wrk, against a bare
Flask JSON echo served and loaded the same way, rounds interleaved.

Both servers get the same signed launch request. The signature covers the exact body and the
skill rejects timestamps older than 150 s, so a fresh body is signed right before every wrk run
and runs are short. wrk counts non-2xx answers: any at all means the skill rejected the request
(e.g. verification failed), and the run is reported as invalid rather than fast.

Loopback only: each server listens on an ephemeral 127.0.0.1 port the bench binds itself and
hands to gunicorn as ``fd://N`` (no race for a free port), and is always terminated on the way out.
wrk is not installed by the bench; without it this section is skipped with a note.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.http_app import PKI_DIR_ENV, STORE_ENV, bench_store, write_pki
from skill.tools.simulator.envelopes import EnvelopeFactory
from tests import pki

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 2
THREADS = 2
CONNECTIONS = 16
BASELINE = "bare Flask JSON echo"
SKILL = "skill, signature + timestamp"
#: The same skill remembering people in a SQLite file, the web host's default store: shown for
#: what persistence costs; the target is about the web stack and verification (no store).
SKILL_SQLITE = "skill, signature + timestamp, SQLite store"
APPS = {
    BASELINE: "bench.http_app:create_echo_app()",
    SKILL: "bench.http_app:create_bench_app()",
    SKILL_SQLITE: "bench.http_app:create_bench_app()",
}

#: wrk script: POST the body file with the signing headers; print the figures as one JSON line.
_LUA = """
local f = assert(io.open({body_path}, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["SignatureCertChainUrl"] = {cert_url}
wrk.headers["Signature-256"] = {signature}

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {{"requests": %d, "duration_us": %d, "p50_us": %.1f, "p99_us": %.1f, '
    .. '"non_2xx": %d, "socket_errors": %d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def wrk_path() -> str | None:
    return shutil.which("wrk")


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII text is a valid Lua string literal


def write_request(directory: Path, good: pki.Pki) -> Path:
    """Sign a fresh launch envelope (timestamp now) and write the wrk script that posts it."""
    body = json.dumps(EnvelopeFactory().launch()).encode()
    headers = good.headers(body)
    body_path = directory / "body.json"
    body_path.write_bytes(body)
    script = directory / "post.lua"
    script.write_text(
        _LUA.format(
            body_path=_lua_string(str(body_path)),
            cert_url=_lua_string(headers["SignatureCertChainUrl"]),
            signature=_lua_string(headers["Signature-256"]),
        )
    )
    return script


def run_wrk(server: Server, script: Path, seconds: float) -> dict[str, Any]:
    """One wrk run: requests/s, latency percentiles (us) and the server's CPU per request (us)."""
    cpu_before = cpu_seconds(server.pid)
    out = subprocess.run(
        [
            wrk_path() or "wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{max(1, round(seconds))}s",
            "-s",
            str(script),
            f"http://127.0.0.1:{server.port}/alexa",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    line = next(x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON "))
    figures = json.loads(line.removeprefix("BENCH_JSON "))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    cpu_after = cpu_seconds(server.pid)
    figures["cpu_us"] = (
        None
        if cpu_before is None or cpu_after is None or not figures["requests"]
        else (cpu_after - cpu_before) / figures["requests"] * 1e6
    )
    return figures


def _wait_ready(port: int, proc: subprocess.Popen[bytes], deadline_s: float = 60) -> None:
    """Until a worker answers at all (any status: the echo app has no GET route)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
        finally:
            conn.close()
    raise RuntimeError(f"gunicorn did not answer within {deadline_s} s")


@dataclass(frozen=True)
class Server:
    port: int
    pid: int  # the gunicorn arbiter; its children are the workers


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process and its children (Linux /proc), None if unreadable.

    Per request, this is the server's own cost, which other tenants of the machine barely move
    (unlike requests/s, which also depends on how much of the CPU they leave us)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = 0
        for proc in [str(pid), *children]:
            fields = Path(f"/proc/{proc}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    except (OSError, ValueError, IndexError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


@contextmanager
def gunicorn(app: str, env: dict[str, str], log: Path) -> Iterator[Server]:
    """Serve ``app`` with gunicorn on an ephemeral loopback port."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    port = listener.getsockname()[1]
    command = [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-k", "sync"]
    command += ["--bind", f"fd://{listener.fileno()}", "--log-level", "warning", app]
    with log.open("ab") as log_file:
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env},
            pass_fds=[listener.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=log_file,
            start_new_session=True,  # its own process group, so the workers can be reaped too
        )
    listener.close()  # gunicorn holds its own copy
    try:
        _wait_ready(port, proc)
        yield Server(port, proc.pid)
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()  # graceful: the arbiter stops its workers
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def run(rounds: int = 10, seconds: float = 4, warmup_s: float = 2) -> dict[str, Any]:
    """Rounds of wrk against each server in turn (ABC CBA order, so drift in the machine's load
    hits both alike); medians per server, and the median of the per-round ratios to the echo.

    Returns ``{"skipped": reason}`` when wrk is not installed.
    """
    if wrk_path() is None:
        return {"skipped": "wrk not found: install it with `apt-get install wrk`"}
    good = pki.make_pki()
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in APPS}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cramp-bench-") as tmp, ExitStack() as servers:
        directory = Path(tmp)
        write_pki(directory, good.root_pem, good.chain_pem)
        log = directory / "gunicorn.log"
        env = {PKI_DIR_ENV: tmp, STORE_ENV: bench_store()}
        envs = {name: env for name in APPS}
        envs[SKILL_SQLITE] = {**env, STORE_ENV: str(directory / "store.sqlite3")}
        try:
            running = {
                name: servers.enter_context(gunicorn(app, envs[name], log))
                for name, app in APPS.items()
            }
            for server in running.values():  # boot both workers, warm their imports
                run_wrk(server, write_request(directory, good), warmup_s)
            for index in range(rounds):
                order = list(running.items())
                for name, server in order if index % 2 == 0 else reversed(order):
                    script = write_request(directory, good)  # fresh timestamp, fresh signature
                    samples[name].append(run_wrk(server, script, seconds))
        except Exception as exc:
            raise RuntimeError(f"{exc}\n--- gunicorn log ---\n{log.read_text()[-2000:]}") from exc
    return summarise(samples, seconds, load_before)


def summarise(
    samples: dict[str, list[dict[str, Any]]], seconds: float, load_before: float
) -> dict[str, Any]:
    """Per-server medians over the rounds, and the skill's ratio to the echo."""
    rows = [
        {
            "server": name,
            "rps": statistics.median(r["rps"] for r in runs),
            "p50_ms": statistics.median(r["p50_us"] for r in runs) / 1000,
            "p99_ms": statistics.median(r["p99_us"] for r in runs) / 1000,
            "cpu_us": _median_or_none([r["cpu_us"] for r in runs]),
            "requests": sum(r["requests"] for r in runs),
            "non_2xx": sum(r["non_2xx"] for r in runs),
            "socket_errors": sum(r["socket_errors"] for r in runs),
        }
        for name, runs in samples.items()
    ]
    base = samples[BASELINE]
    paired = {
        name: [ours["rps"] / theirs["rps"] for ours, theirs in zip(runs, base, strict=True)]
        for name, runs in samples.items()
        if name != BASELINE
    }
    round_ratios = paired[SKILL]
    return {
        "rows": rows,
        "ratio": statistics.median(round_ratios),
        "ratios": {name: statistics.median(values) for name, values in paired.items()},
        "cpu_ratio": _cpu_ratio(rows),
        "round_ratios": round_ratios,
        "rounds": len(round_ratios),
        "seconds": seconds,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "setup": (
            f"gunicorn {_gunicorn_version()}, {WORKERS} sync workers; "
            f"{_wrk_version()}, {THREADS} threads, {CONNECTIONS} connections"
        ),
    }


def _cpu_ratio(rows: list[dict[str, Any]]) -> float | None:
    """Echo CPU per request / skill CPU per request: the throughput ratio if the servers' own
    CPU were all that limited it (the load tool and the kernel share the cores too)."""
    cpu = {row["server"]: row["cpu_us"] for row in rows}
    if cpu[BASELINE] is None or not cpu[SKILL]:
        return None
    return cpu[BASELINE] / cpu[SKILL]


def _median_or_none(values: list[float | None]) -> float | None:
    return None if any(v is None for v in values) else statistics.median(values)  # type: ignore[arg-type]


def _gunicorn_version() -> str:
    import gunicorn as module

    return module.__version__


def _wrk_version() -> str:
    out = subprocess.run([wrk_path() or "wrk", "--version"], capture_output=True, text=True)
    return (out.stdout or out.stderr).split(" [")[0].strip()
