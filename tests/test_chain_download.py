"""The certificate chain download and what guards it (issue #24 items 3 and 5): a wall-clock
bound over the whole fetch (connect, TLS, headers, body), no redirect followed, HTTPS to
``s3.amazonaws.com`` only; a refused certificate URL is not fetched again for a while, and
at most two downloads run at once. Real sockets on 127.0.0.1 (tests/tls_servers.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from skill.alexa import verification
from skill.alexa.sdk_compat import VerificationException
from skill.alexa.verification import FETCH_TIMEOUT_S, SignatureVerifier, download
from tests import pki
from tests.tls_servers import S3Stand

BODY = b'{"version": "1.0"}'


@pytest.fixture(scope="module")
def good() -> pki.Pki:
    return pki.make_pki()


@pytest.fixture
def stand(request: pytest.FixtureRequest, good: pki.Pki) -> Iterator[S3Stand]:
    server = S3Stand(request.param, body=good.chain_pem)
    yield server
    server.close()


def fetch_from(stand: S3Stand) -> float:
    """Seconds a download from ``stand`` took before it failed (it must fail)."""
    started = time.monotonic()
    with pytest.raises((OSError, ValueError)):
        download(pki.CERT_URL, address=stand.address, context=stand.client_context)
    return time.monotonic() - started


@pytest.mark.parametrize("stand", ["serve"], indirect=True)
def test_the_chain_is_fetched_over_tls_for_the_amazon_name(stand: S3Stand, good: pki.Pki) -> None:
    chain = download(pki.CERT_URL, address=stand.address, context=stand.client_context)
    assert chain == good.chain_pem
    with pytest.raises(ValueError, match="larger"):
        download(
            pki.CERT_URL,
            limit=len(good.chain_pem) - 1,
            address=stand.address,
            context=stand.client_context,
        )


@pytest.mark.slow
@pytest.mark.parametrize("stand", ["trickle", "trickle_headers", "stall"], indirect=True)
def test_a_trickled_or_stalled_chain_is_cut_at_the_deadline(stand: S3Stand) -> None:
    """Defect 5: a chain trickled a byte every 0.5 s held the request past 30 s."""
    took = fetch_from(stand)
    assert FETCH_TIMEOUT_S - 0.1 <= took < FETCH_TIMEOUT_S + 1.0, took


@pytest.mark.parametrize("stand", ["redirect"], indirect=True)
def test_a_redirect_is_refused_not_followed(stand: S3Stand) -> None:
    with pytest.raises(ValueError, match="301"):
        download(pki.CERT_URL, address=stand.address, context=stand.client_context)
    assert stand.connections == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/x.pem",
        "https://127.0.0.1/echo.api/x.pem",
        "https://s3.amazonaws.com:8443/echo.api/x.pem",
    ],
)
def test_only_https_to_the_amazon_host(url: str) -> None:
    with pytest.raises(ValueError, match="only"):
        download(url)


class CountingFetch(pki.FakeFetch):
    """Fails for every URL, or blocks until ``release`` is set."""

    def __init__(self, release: threading.Event | None = None) -> None:
        super().__init__({})
        self.release = release

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        if self.release is not None:
            self.release.wait(5)
        raise OSError("no route")


def test_a_refused_certificate_url_is_not_fetched_again(good: pki.Pki) -> None:
    """Defect 3: every unsigned request with the URL again triggered a new download."""
    fetch = CountingFetch()
    verifier = SignatureVerifier(good.root_pem, fetch)
    for _ in range(5):
        with pytest.raises(VerificationException):
            verifier.check(good.headers(BODY), BODY, {})
    assert fetch.calls == [pki.CERT_URL]
    with pytest.raises(VerificationException, match="refused recently"):
        verifier.check_headers(good.headers(BODY))


def test_at_most_two_chain_downloads_at_once(good: pki.Pki) -> None:
    release = threading.Event()
    fetch = CountingFetch(release)
    verifier = SignatureVerifier(good.root_pem, fetch)
    urls = [f"https://s3.amazonaws.com/echo.api/flood-{n}.pem" for n in range(3)]
    errors: list[str] = []

    def attempt(url: str) -> None:
        try:
            verifier.check(good.headers(BODY, url), BODY, {})
        except VerificationException as error:
            errors.append(str(error))

    waiting = [threading.Thread(target=attempt, args=(url,)) for url in urls[:2]]
    for thread in waiting:
        thread.start()
    deadline = time.monotonic() + 5
    while len(fetch.calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    attempt(urls[2])  # a third unknown URL meanwhile: refused at once, no download
    assert time.monotonic() - started < 0.5
    assert errors == ["Too many certificate chain downloads at once"]
    release.set()
    for thread in waiting:
        thread.join()
    assert sorted(fetch.calls) == sorted(urls[:2])


def test_a_failed_download_is_a_verification_failure(good: pki.Pki) -> None:
    verifier = SignatureVerifier(good.root_pem, CountingFetch())
    with pytest.raises(VerificationException, match="download"):
        verifier.verify(good.headers(BODY), BODY.decode(), None)
    assert verification.MAX_CONCURRENT_FETCHES == 2
