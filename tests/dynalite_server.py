"""dynalite (npm): a real implementation of DynamoDB's wire API, run on 127.0.0.1 for the
tests and the benchmarks. Closer to the service than moto's in-process mock: HTTP, real
conditional writes, the 400 KB item limit, concurrent clients.

The node package lives in ``tools/node/dynalite`` (package.json + lock; ``.ci/run`` installs it
with ``npm ci``). :class:`Dynalite` starts ``serve.js`` on an ephemeral port with its LevelDB
files in a temporary directory, and stops it when closed (or when this process dies: the
server exits when its stdin closes).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.npm_install import npm_ci_once

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = ROOT / "tools" / "node" / "dynalite"
START_TIMEOUT_SECONDS = 30
#: The test session's fake AWS identity: never a real account, never a real endpoint.
FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "dynalite",
    "AWS_SECRET_ACCESS_KEY": "dynalite",
    "AWS_DEFAULT_REGION": "us-east-1",
}


class DynaliteUnavailable(RuntimeError):
    """node (or npm, to install the package) is missing on this machine."""


def ensure_installed() -> Path:
    """The dynalite package directory, installed from the lock file if it is not yet."""
    installed = PACKAGE_DIR / "node_modules" / "dynalite"
    if installed.is_dir():
        return PACKAGE_DIR
    if shutil.which("node") is None or not npm_ci_once(PACKAGE_DIR, installed):
        raise DynaliteUnavailable("node and npm are needed to run dynalite (Node 20 or later)")
    return PACKAGE_DIR


class Dynalite:
    """One dynalite server; ``endpoint`` is its ``http://127.0.0.1:PORT``."""

    def __init__(self) -> None:
        package = ensure_installed()
        node = shutil.which("node")
        if node is None:
            raise DynaliteUnavailable("node is needed to run dynalite")
        self._data = tempfile.mkdtemp(prefix="cramp-coach-dynalite-")
        self._process = subprocess.Popen(
            [node, str(package / "serve.js"), "--path", self._data],
            cwd=package,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.port = self._read_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._client: Any = None

    def _read_port(self) -> int:
        line: list[str] = []
        reader = threading.Thread(
            target=lambda: line.append(self._process.stdout.readline()),  # type: ignore[union-attr]
            daemon=True,
        )
        reader.start()
        reader.join(START_TIMEOUT_SECONDS)
        if not line or not line[0].strip():
            self.close()
            raise RuntimeError(f"dynalite did not start: {self._stderr()}")
        return int(json.loads(line[0])["port"])

    def _stderr(self) -> str:
        if self._process.poll() is None or self._process.stderr is None:
            return "(still running)"
        return self._process.stderr.read()[-2000:]

    def client(self) -> Any:
        """A boto3 DynamoDB client for this server (fake credentials, loopback only).

        One client, built on first use and shared: building one loads botocore's service
        model (~0.1 s), which made up most of the dynalite tests' time, and a client is safe
        to share between threads."""
        if self._client is None:
            self._client = self.new_client()
        return self._client

    def new_client(self) -> Any:
        """A client of its own (its own connection pool), as a second Lambda instance has."""
        import boto3

        return boto3.session.Session(
            aws_access_key_id=FAKE_AWS_ENV["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_AWS_ENV["AWS_SECRET_ACCESS_KEY"],
            region_name=FAKE_AWS_ENV["AWS_DEFAULT_REGION"],
        ).client("dynamodb", endpoint_url=self.endpoint)

    def env(self) -> dict[str, str]:
        """Environment that points the skill's own store factory at this server."""
        return {**FAKE_AWS_ENV, "AWS_ENDPOINT_URL_DYNAMODB": self.endpoint}

    def create_table(self, name: str) -> None:
        """A table keyed as template.yaml's ``AttributesTable`` (read from the template),
        returned once it is ACTIVE."""
        properties = template_table()
        client = self.client()
        client.create_table(
            TableName=name,
            KeySchema=properties["KeySchema"],
            AttributeDefinitions=properties["AttributeDefinitions"],
            BillingMode=properties["BillingMode"],
        )
        # dynalite answers CreateTable with the table CREATING and makes it ACTIVE on a
        # timer; a write that wins that race (a loaded machine) is refused as "Requested
        # resource not found". Wait for ACTIVE, as a client of real DynamoDB must.
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while client.describe_table(TableName=name)["Table"]["TableStatus"] != "ACTIVE":
            if time.monotonic() > deadline:
                raise RuntimeError(f"dynalite table {name} never became ACTIVE")
            time.sleep(0.01)

    def close(self) -> None:
        if self._process.poll() is None:
            if self._process.stdin is not None:
                self._process.stdin.close()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        for stream in (self._process.stdout, self._process.stderr):
            if stream is not None:
                stream.close()
        shutil.rmtree(self._data, ignore_errors=True)

    def __enter__(self) -> Dynalite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def template_table() -> dict[str, Any]:
    """``AttributesTable``'s properties in template.yaml (CloudFormation tags made plain)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    template = yaml.load((ROOT / "template.yaml").read_text(), Loader=Loader)  # noqa: S506
    return template["Resources"]["AttributesTable"]["Properties"]


def must_run() -> bool:
    """On CI a missing node is a failure, never a skip."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def dynalite() -> Iterator[Dynalite]:
    """One dynalite server for the test session (each test makes its own table); skipped
    loudly where node is missing, except on CI (``CI=true``), where that is a failure."""
    try:
        server = Dynalite()
    except DynaliteUnavailable as error:
        if must_run():
            pytest.fail(f"CI must run the dynalite tests: {error}")
        pytest.skip(f"DYNALITE TESTS SKIPPED ON THIS MACHINE: {error}")
    with server:
        yield server
