"""The production recipe, for real: nginx (config from deploy/nginx/) in front of gunicorn
(deploy/gunicorn.conf.py) on 127.0.0.1, and /healthz answering while slow clients hold
connections open. The same slow clients sent straight to gunicorn starve it: that is what
the proxy is for, and it shows the test can fail.

Needs the nginx binary (Debian's ``nginx`` package; .ci/run installs it). On a developer
machine without it the test is skipped with a loud reason; in CI (``CI`` set) it fails.
"""

from __future__ import annotations

import contextlib
import getpass
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.core.catalogue import DEFAULT_LOCALE, catalogue_for
from skill.tools.generators import nginx_answer
from tests.slow_servers import fixed_server

pytestmark = pytest.mark.slow  # nginx and gunicorn

ROOT = Path(__file__).resolve().parents[1]
RECIPE = ROOT / "deploy" / "nginx"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
#: How many slow clients hold connections at once: more than gunicorn has threads below.
SLOW_CLIENTS = 6
#: The gunicorn under test runs 1 worker with 2 threads, so a few slow clients could pin it.
THREADS = 2
START_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited early: {log.read_text(errors='replace')[-2000:]}")
        with socket.socket() as probe:
            probe.settimeout(0.2)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listening on {port}: {log.read_text(errors='replace')[-2000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def nginx_conf(tmp: Path, listen: int, upstream: int) -> str:
    """A standalone nginx.conf around the repository's proxy rules: everything nginx writes
    (pid, logs, temp files) is under ``tmp``, so it runs without root."""
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    return f"""{user}worker_processes 1;
daemon off;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
{temp}
    uwsgi_temp_path {tmp / "uwsgi"};
    scgi_temp_path {tmp / "scgi"};
    access_log off;
    include {RECIPE / "cramp-coach-zones.conf"};
    upstream cramp_coach {{
        server 127.0.0.1:{upstream};
        keepalive 4;
    }}
    server {{
        listen 127.0.0.1:{listen};
        include {RECIPE / "cramp-coach-proxy.conf"};
        include {RECIPE / "cramp-coach-unavailable.conf"};
    }}
}}
"""


@contextlib.contextmanager
def running_stack(tmp_path: Path) -> Iterator[tuple[int, int]]:
    """nginx in front of gunicorn, both on 127.0.0.1; yields (nginx port, gunicorn port)
    once both answer. Also used by bench/faults.py."""
    assert NGINX is not None
    gunicorn_port, nginx_port = free_port(), free_port()
    env = {
        **os.environ,
        "CRAMP_COACH_DB": "none",
        "CRAMP_COACH_VERIFY_SIGNATURES": "0",
        "PYTHONPATH": str(ROOT),
    }
    gunicorn_log = tmp_path / "gunicorn.log"
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{gunicorn_port}",
            "--workers",
            "1",
            "--threads",
            str(THREADS),
            "skill.hosts.web:create_app()",
        ],
        cwd=tmp_path,
        env=env,
        stdout=gunicorn_log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_conf(tmp_path, nginx_port, gunicorn_port))
    nginx_log = tmp_path / "nginx.out"
    nginx = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        stdout=nginx_log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(gunicorn_port, gunicorn, gunicorn_log)
        wait_for_port(nginx_port, nginx, tmp_path / "error.log")
        # gunicorn listens before its worker has imported the app: wait for a first answer.
        deadline = time.monotonic() + START_SECONDS
        while healthz(gunicorn_port, 5) != 200:
            assert time.monotonic() < deadline, gunicorn_log.read_text(errors="replace")[-2000:]
            time.sleep(0.2)
        yield nginx_port, gunicorn_port
    finally:
        stop(nginx)
        stop(gunicorn)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    """(nginx port, gunicorn port), both serving (started once for this module)."""
    if NGINX is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing in CI: .ci/run must install it")
        pytest.skip("NGINX PROXY TEST NOT RUN: install Debian's nginx package to run it")
    with running_stack(tmp_path_factory.mktemp("proxy")) as ports:
        yield ports


def healthz(port: int, timeout: float) -> int | None:
    """The HTTP status of GET /healthz, or None if no answer came within ``timeout``."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        try:
            head = sock.recv(64)
        except TimeoutError:
            return None
    return int(head.split()[1]) if head.startswith(b"HTTP/") else None


@contextlib.contextmanager
def slow_clients(port: int) -> Iterator[None]:
    """Half send headers and stop mid-way; half promise a body longer than they send."""
    held = []
    for n in range(SLOW_CLIENTS):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if n % 2:
            sock.sendall(b"POST /alexa HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n")
        else:
            sock.sendall(
                b"POST /alexa HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b'Content-Length: 5000\r\n\r\n{"version"'
            )
        held.append(sock)
    time.sleep(0.3)  # let both servers take them in
    try:
        yield
    finally:
        for sock in held:
            sock.close()


def test_healthz_stays_up_through_nginx_while_slow_clients_connect(
    stack: tuple[int, int],
) -> None:
    nginx_port, _ = stack
    assert healthz(nginx_port, 5) == 200
    answers = []
    with slow_clients(nginx_port):
        for _ in range(5):
            started = time.monotonic()
            answers.append((healthz(nginx_port, 3), time.monotonic() - started))
            time.sleep(0.2)
    assert all(status == 200 for status, _ in answers), answers
    assert max(seconds for _, seconds in answers) < 2.0, answers


def test_without_the_proxy_the_same_slow_clients_starve_gunicorn(
    stack: tuple[int, int],
) -> None:
    _, gunicorn_port = stack
    assert healthz(gunicorn_port, 5) == 200
    with slow_clients(gunicorn_port):
        assert healthz(gunicorn_port, 1.5) is None


@contextlib.contextmanager
def nginx_alone(tmp_path: Path, upstream: int) -> Iterator[int]:
    """The recipe's nginx in front of ``upstream`` (whatever listens there, or nothing)."""
    if NGINX is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing in CI: .ci/run must install it")
        pytest.skip("NGINX PROXY TEST NOT RUN: install Debian's nginx package to run it")
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_conf(tmp_path, port, upstream))
    nginx = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        stdout=(tmp_path / "nginx.out").open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, nginx, tmp_path / "error.log")
        yield port
    finally:
        stop(nginx)


def post_alexa(port: int, timeout: float = 15) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "POST",
            "/alexa",
            body=b'{"version":"1.0"}',
            headers={"Content-Type": "application/json"},
        )
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def assert_the_skills_apology(status: int, kind: str, body: bytes) -> None:
    assert status == 200, (status, body[:200])
    assert kind.startswith("application/json"), kind
    answer = json.loads(body)
    assert answer == nginx_answer.answer()
    words = catalogue_for(DEFAULT_LOCALE)
    ssml = answer["response"]["outputSpeech"]["ssml"]
    assert words.text("error") in ssml and words.text("safety_first") in ssml


def test_a_dead_gunicorn_gets_alexas_json_not_an_html_502(tmp_path: Path) -> None:
    """Defect 9: kill -9 of the worker gave nginx's HTML 502, which Alexa cannot read."""
    with nginx_alone(tmp_path, free_port()) as port:  # nothing listens upstream
        assert_the_skills_apology(*post_alexa(port))


def test_a_hung_gunicorn_gets_the_same_answer_at_the_read_timeout(tmp_path: Path) -> None:
    hole = socket.create_server(("127.0.0.1", 0), backlog=16)  # accepts, never answers
    with hole, nginx_alone(tmp_path, hole.getsockname()[1]) as port:
        started = time.monotonic()
        answer = post_alexa(port)
        took = time.monotonic() - started
    assert_the_skills_apology(*answer)
    assert 6.5 < took < 8.0, took  # proxy_read_timeout 7s, below Alexa's 8 s


def test_a_flood_from_one_address_is_answered_by_nginx_not_the_app(tmp_path: Path) -> None:
    app = fixed_server(400, b'{"error":"Bad Request"}')
    try:
        with nginx_alone(tmp_path, int(app.url.rsplit(":", 1)[1])) as port:
            started = time.monotonic()
            answers = [post_alexa(port) for _ in range(150)]
            took = time.monotonic() - started
    finally:
        app.close()
    refused_by_app = sum(1 for status, _, _ in answers if status == 400)
    limited = [a for a in answers if a[0] == 200]
    assert limited, "no request was limited"
    assert_the_skills_apology(*limited[0])
    assert refused_by_app == app.requests
    assert refused_by_app <= 40 + 20 * took + 2, (refused_by_app, took)
