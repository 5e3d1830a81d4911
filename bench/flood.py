"""Real requests while junk floods in: the production recipe (nginx from deploy/nginx, gunicorn
with deploy/gunicorn.conf.py) on 127.0.0.1, the skill verifying signatures against the test
PKI of tests/pki.py.

Usage: ``python -m bench.flood [--seconds 10] [--flooders 32]``. Prints the rows of
docs/reliability.md ("Refusing cheaply").

- One client sends a freshly signed launch every 0.1 s from 127.0.0.2 and records each
  answer's time and status.
- ``--flooders`` threads (in 4 processes, so they do not share the client's interpreter)
  send junk as fast as it is answered: half a 256 KiB intent with a bad signature, half a
  small request naming a new certificate URL each time (each such URL would cost the skill a
  download: here a 1 s wait and a failure, as an unknown object on S3 answers).
- Scenarios: no flood; the flood from one address (127.0.0.3); the flood spread over 32
  addresses (127.0.0.3 to 127.0.0.34), so a per-address rate limit does not catch it.

Runs against whichever checkout it is started in (the "before" figures: the same script in
main's tree, its recipe and its code). Loopback only; every process is stopped on the way out.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path.cwd()
PKI_DIR_ENV = "CRAMP_BENCH_PKI_DIR"
#: What fetching an unknown certificate URL costs the skill here (S3 answering 403).
UNKNOWN_URL_SECONDS = 1.0
PADDING = 250 * 1024


def create_flood_app() -> Flask:
    """The production app trusting the test root: the test chain for its URL, and for any
    other URL a 1 s wait and a failure."""
    from skill.alexa.verification import SignatureVerifier, TimestampVerifier
    from skill.hosts.web import create_app
    from skill.settings import Settings
    from skill.tools.simulator.envelopes import DEFAULT_SKILL_ID
    from tests import pki

    directory = Path(os.environ[PKI_DIR_ENV])
    root_pem = (directory / "root.pem").read_bytes()
    chain_pem = (directory / "chain.pem").read_bytes()

    def fetch(url: str) -> bytes:
        if url == pki.CERT_URL:
            return chain_pem
        time.sleep(UNKNOWN_URL_SECONDS)
        raise OSError("403 Forbidden")

    settings = Settings(skill_ids=(DEFAULT_SKILL_ID,), verify_signatures=True, db="none")
    return create_app(settings, verifiers=[SignatureVerifier(root_pem, fetch), TimestampVerifier()])


def _post(port: int, source: str, body: bytes, headers: dict[str, str], timeout: float = 15) -> int:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0)
    )
    try:
        connection.request(
            "POST", "/alexa", body=body, headers={**headers, "Content-Type": "application/json"}
        )
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        connection.close()


def flooder(port: int, sources: list[str], threads: int, seconds: float, seed: int) -> None:
    """A junk-sending process; prints a count of answers by status."""
    from tests import pki

    good = pki.make_pki()
    factory_body = json.dumps(
        {
            "version": "1.0",
            "request": {
                "type": "IntentRequest",
                "intent": {
                    "name": "CrampReliefIntent",
                    "slots": {f"s{n}": {"name": f"s{n}", "value": "x" * 40} for n in range(2800)},
                },
            },
        }
    ).encode()
    big_headers = dict(good.headers(factory_body + b" "))  # a signature that will not match
    small = b'{"version":"1.0","request":{"type":"LaunchRequest"}}'
    counts: Counter[int] = Counter()
    lock = threading.Lock()
    ends = time.monotonic() + seconds

    def run(t: int) -> None:
        source = sources[t % len(sources)]
        n = 0
        while time.monotonic() < ends:
            n += 1
            if (t + n) % 2:
                status = _post(port, source, factory_body, big_headers)
            else:
                url = f"https://s3.amazonaws.com/echo.api/junk-{seed}-{t}-{n}.pem"
                headers = dict(good.headers(small), SignatureCertChainUrl=url)
                status = _post(port, source, small, headers)
            with lock:
                counts[status] += 1

    pool = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    print(json.dumps(dict(counts)))


def legit(port: int, seconds: float, good: Any) -> list[tuple[float, int]]:
    from skill.tools.simulator.envelopes import EnvelopeFactory

    results = []
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        envelope = EnvelopeFactory(api_endpoint="").launch()
        envelope["request"]["timestamp"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = json.dumps(envelope).encode()
        started = time.monotonic()
        status = _post(port, "127.0.0.2", body, good.headers(body))
        results.append((time.monotonic() - started, status))
        time.sleep(max(0.0, 0.1 - (time.monotonic() - started)))
    return results


def scenario(
    port: int, good: Any, seconds: float, flooders: int, sources: list[str]
) -> dict[str, Any]:
    procs = []
    if flooders:
        per = max(1, flooders // 4)
        for p in range(min(4, flooders)):
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "bench.flood",
                        "--child",
                        str(port),
                        ",".join(sources),
                        str(per),
                        str(seconds + 1),
                        str(p),
                    ],
                    stdout=subprocess.PIPE,
                    text=True,
                    cwd=ROOT,
                )
            )
        time.sleep(1.0)  # the flood is on before the first real request
    results = legit(port, seconds, good)
    junk: Counter[int] = Counter()
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        for status, count in json.loads(out.strip().splitlines()[-1]).items():
            junk[int(status)] += count
    times = sorted(t for t, _ in results)
    return {
        "requests": len(results),
        "not_200": sum(1 for _, status in results if status != 200),
        "p50": statistics.median(times),
        "p99": times[max(0, int(len(times) * 0.99) - 1)],
        "max": times[-1],
        "junk": dict(junk),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--flooders", type=int, default=32)
    parser.add_argument("--child", nargs=5)
    args = parser.parse_args()
    if args.child:
        port, sources, threads, seconds, seed = args.child
        flooder(int(port), sources.split(","), int(threads), float(seconds), int(seed))
        return
    from tests import pki
    from tests.test_proxy_recipe import NGINX, free_port, nginx_conf, stop, wait_for_port

    assert NGINX is not None, "nginx is needed (Debian's nginx package)"
    good = pki.make_pki()
    print(f"load: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "root.pem").write_bytes(good.root_pem)
        (tmp / "chain.pem").write_bytes(good.chain_pem)
        gunicorn_port, nginx_port = free_port(), free_port()
        env = {**os.environ, PKI_DIR_ENV: str(tmp), "PYTHONPATH": str(ROOT)}
        gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{gunicorn_port}",
                "bench.flood:create_flood_app()",
            ],
            cwd=tmp,
            env=env,
            stdout=(tmp / "gunicorn.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        (tmp / "nginx.conf").write_text(nginx_conf(tmp, nginx_port, gunicorn_port))
        nginx = subprocess.Popen(
            [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")],
            stdout=(tmp / "nginx.out").open("wb"),
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(gunicorn_port, gunicorn, tmp / "gunicorn.log")
            wait_for_port(nginx_port, nginx, tmp / "error.log")
            time.sleep(3)  # the workers import the app
            legit(nginx_port, 1.0, good)  # warm: every worker validates the chain once
            one = ["127.0.0.3"]
            many = [f"127.0.0.{n}" for n in range(3, 35)]
            for name, flooders, sources in (
                ("no flood", 0, one),
                (f"{args.flooders} junk senders, one address", args.flooders, one),
                (f"{args.flooders} junk senders, 32 addresses", args.flooders, many),
            ):
                result = scenario(nginx_port, good, args.seconds, flooders, sources)
                junk = ", ".join(f"{k}: {v}" for k, v in sorted(result["junk"].items()))
                print(
                    f"| {name} | {result['requests']} | {result['not_200']} "
                    f"| {result['p50'] * 1000:.0f} ms | {result['p99'] * 1000:.0f} ms "
                    f"| {result['max'] * 1000:.0f} ms | {junk or '-'} |",
                    flush=True,
                )
        finally:
            stop(nginx)
            stop(gunicorn)
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
