"""What the instruction counts measure: each case a call with no arguments, built in advance.

Loaded by file path in the measuring child (``bench/instructions.py``), with ``skill`` imported
from the tree being measured (this checkout, or an earlier commit for the "before" figures), so
it must only use what both have: the Lambda entry point, the envelope factory, the store.

Every case is one whole request the way Lambda hands it over (a dict in, a dict out), unless
its name says otherwise. The hello skill is Amazon's stock one, built the standard way
(:mod:`bench.hello_skill`): with the stock serializer it is the baseline of every target, and
with the skill's own serializer the like-for-like comparison beside it.
"""

from __future__ import annotations

import importlib
import json
import os
import time
from collections.abc import Callable
from typing import Any

Case = Callable[[], object]
#: A case whose calls change what they read: ``reset`` puts it back (run between batches of at
#: most ``batch`` calls, outside what is measured).
Reset = Callable[[], None]

#: How many people with their own stored record each store case can answer in turn, so that
#: every measured call finds the same record (a turn may change it).
PEOPLE = 32
#: Cramp-log lengths of the store rows (the log keeps at most 500; a longer one is what an
#: older version or another writer may have left).
LOG_SIZES = (10, 500, 10_000)


def _hello_builder() -> Any:
    """The stock hello skill's builder (one handler, as bench/hello_skill.py), for the Lambda
    baselines and the stock web stack alike; the SDK is imported only when a case is built."""
    from ask_sdk_core.dispatch_components import AbstractRequestHandler
    from ask_sdk_core.skill_builder import CustomSkillBuilder

    class HelloHandler(AbstractRequestHandler):
        def can_handle(self, handler_input: Any) -> bool:
            return True

        def handle(self, handler_input: Any) -> Any:
            builder = handler_input.response_builder
            return builder.speak("Hello world.").ask("Say hello.").response

    builder = CustomSkillBuilder()
    builder.add_request_handler(HelloHandler())
    return builder


def _hello(serializer: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The stock hello skill answering a Lambda event with ``serializer``."""
    from ask_sdk_model import RequestEnvelope

    skill = _hello_builder().create()

    def handler(event: dict[str, Any]) -> dict[str, Any]:
        envelope = serializer.deserialize(json.dumps(event), RequestEnvelope)
        result: dict[str, Any] = serializer.serialize(skill.invoke(envelope, None))
        return result

    return handler


def _skill_serializer() -> Any | None:
    """The skill's own serializer, if this tree has one."""
    try:
        from skill.alexa.fast_serializer import FastSerializer
    except ImportError:
        return None
    return FastSerializer()


def _envelope_factory() -> Any:
    """The measured tree's envelope factory: it moved into ``skill.tools.simulator``, and the
    "before" trees (an earlier commit's ``skill/``) have it at its old path."""
    for module in ("skill.tools.simulator.envelopes", "skill.tools.envelopes"):
        try:
            return importlib.import_module(module).EnvelopeFactory
        except ImportError:
            continue
    raise ImportError("no envelope factory in the measured tree")


#: The Alexa API the measured requests name: not HTTPS, so the skill's API client refuses to
#: send the token there and no call is made (before, the doctor turn, which asks the device's
#: time zone to say 911, tried api.amazonalexa.com on every call: 4.6 M instructions, most
#: of them a failed connection). A turn that asks the API is measured without its answer,
#: speaking the generic words.
LOCAL_API = "http://127.0.0.1:9"


def _factory(user: str | None = None, **options: Any) -> Any:
    """The measured tree's envelope factory, for ``user`` (or its default person)."""
    if user is not None:
        options["user_id"] = user
    return _envelope_factory()(api_endpoint=LOCAL_API, **options)


def _envelopes(user: str | None = None) -> dict[str, dict[str, Any]]:
    factory = _factory(user)
    return {"launch": factory.launch(), "relief": factory.intent("CrampReliefIntent")}


def no_store() -> dict[str, Case]:
    """The skill without a store, the two hello skills, and the floors."""
    from ask_sdk_core.serialize import DefaultSerializer

    import skill.hosts.lambda_handler as lambda_handler

    factory = _factory()
    relief = factory.intent("CrampReliefIntent")
    first = lambda_handler.handler(relief)
    factory.carry(first)
    next_step = factory.intent("AMAZON.NextIntent")
    factory.new_session()
    requests = {
        "launch": factory.launch(),
        "relief": relief,
        "next": next_step,
        "tip": factory.intent("PreventionIntent"),
        "doctor": factory.intent("DoctorAdviceIntent"),
    }
    stock = DefaultSerializer()
    cases: dict[str, Case] = {}
    hello = _hello(stock)
    for name in ("launch", "relief"):
        cases[f"hello, stock serializer: {name}"] = lambda e=requests[name]: hello(e)
    fast = _skill_serializer()
    if fast is not None:
        hello_fast = _hello(fast)
        for name in ("launch", "relief"):
            cases[f"hello, skill's serializer: {name}"] = lambda e=requests[name]: hello_fast(e)
    for name, envelope in requests.items():
        cases[f"skill: {name}"] = lambda e=envelope: lambda_handler.handler(e)

    def stock_skill(event: dict[str, Any]) -> dict[str, Any]:
        """The skill's Lambda entry with the SDK's stock serializer swapped in."""
        saved = lambda_handler._SERIALIZER
        lambda_handler._SERIALIZER = stock
        try:
            return lambda_handler.handler(event)
        finally:
            lambda_handler._SERIALIZER = saved

    for name in ("launch", "relief"):
        cases[f"skill, stock serializer: {name}"] = lambda e=requests[name]: stock_skill(e)
    answers = {name: lambda_handler.handler(requests[name]) for name in ("launch", "relief")}
    for name, answer in answers.items():
        cases[f"floor, json.dumps of the answer: {name}"] = lambda a=answer: json.dumps(a)
    on_screen = _factory(screen=True).intent("CrampReliefIntent")
    cases["skill: relief, screen device"] = lambda e=on_screen: lambda_handler.handler(e)
    return cases


def _seed(adapter: Any, user: str, cramps: int, now: float) -> None:
    """Store a record for ``user``: consent to the log, the disclaimer heard, and ``cramps``
    logged cramp times (all within the last 90 days), through the skill's own store. The
    frequent-cramp advice is marked as given today, so a relief turn says the same words
    whatever the log's length (otherwise 500 times in 80 days make it add the advice, and 10
    do not: a longer answer, not the log's cost)."""
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    envelope = _factory(user).launch()
    request = DefaultSerializer().deserialize(json.dumps(envelope), RequestEnvelope)
    record: dict[str, Any] = {"v": 1, "log_consent": True, "disclaimed": True}
    record["frequent_advised_at"] = int(now)
    if cramps:
        oldest = int(now) - 60 * 60 * 24 * 80
        record["cramps"] = [oldest + i * (60 * 60 * 24 * 70 // cramps) for i in range(cramps)]
    assert adapter.try_save(request, record), "seeding the store failed"


class Rotation:
    """Calls the handler with the next of a batch of events, one person each; ``reset``
    makes a new batch (new people, or the same people with their records stored again)."""

    def __init__(
        self,
        handler: Callable[[dict[str, Any]], object],
        make: Callable[[int], list[dict[str, Any]]],
    ) -> None:
        self.handler = handler
        self.make = make
        self.batches = 0
        self.events: list[dict[str, Any]] = []
        self.position = 0
        self.reset()

    def reset(self) -> None:
        self.events = self.make(self.batches)
        self.batches += 1
        self.position = 0

    def __call__(self) -> object:
        event = self.events[self.position]  # IndexError: more calls than people in a batch
        self.position += 1
        return self.handler(event)


def sqlite_store() -> dict[str, Case]:
    """The skill with a SQLite store (the web host's default): a new person each call, and
    people whose records hold cramp logs of :data:`LOG_SIZES` (or none)."""
    import skill.hosts.lambda_handler as lambda_handler

    assert os.environ.get("CRAMP_COACH_DB", "").endswith(".sqlite3")
    cases: dict[str, Case] = {}
    for kind in ("launch", "relief"):

        def new_people(batch: int, kind: str = kind) -> list[dict[str, Any]]:
            users = [f"amzn1.ask.account.bench-new-{kind}-{batch}-{i}" for i in range(PEOPLE)]
            return [_envelopes(user)[kind] for user in users]

        cases[f"skill + SQLite, new person: {kind}"] = Rotation(lambda_handler.handler, new_people)
    cases.update(_log_cases("SQLite", (0, *LOG_SIZES)))
    cases.update(_log_cases("SQLite", LOG_SIZES, later=True))
    return cases


def _log_cases(store: str, sizes: tuple[int, ...], later: bool = False) -> dict[str, Case]:
    """A launch and a relief turn for people whose records (in the configured ``store``)
    hold cramp logs of ``sizes``: the first turn after the record was stored, or (``later``)
    a turn after one launch has read it (a log longer than the skill keeps is rewritten by
    the first turn that reads it: these rows show what every turn after that costs)."""
    import skill.hosts.lambda_handler as lambda_handler

    adapter = lambda_handler.SKILL.persistence_adapter
    now = time.time()
    cases: dict[str, Case] = {}
    for size in sizes:
        for kind in ("launch", "relief"):

            def seeded(batch: int, kind: str = kind, size: int = size) -> list[dict[str, Any]]:
                tag = "later-" if later else ""
                users = [f"amzn1.ask.account.bench-{tag}{kind}-{size}-{i}" for i in range(PEOPLE)]
                for user in users:
                    _seed(adapter, user, size, now)
                    if later:
                        lambda_handler.handler(_envelopes(user)["launch"])
                return [_envelopes(user)[kind] for user in users]

            turn = ", a later turn" if later else ""
            name = f"skill + {store}, log of {size:,}{turn}: {kind}"
            cases[name] = Rotation(lambda_handler.handler, seeded)
    return cases


def dynamodb_store() -> dict[str, Case]:
    """The skill with the DynamoDB store on dynalite (127.0.0.1; bench/instructions.py starts
    it), for people whose records hold cramp logs of :data:`LOG_SIZES`: what the store's
    client (botocore) does per turn is counted, the engine's own work (another process) not."""
    assert os.environ.get("CRAMP_COACH_DB", "").startswith("dynamodb:")
    return {**_log_cases("DynamoDB", LOG_SIZES), **_log_cases("DynamoDB", LOG_SIZES, True)}


#: The one-line fix that lets the stock web-service stack import on OpenSSL 3.0.10+
#: (docs/stack-notes.md section 1): oscrypto 1.3.0 reads the OpenSSL version with
#: ``\d\.\d\.\d``, which cannot match "3.0.19"; oscrypto's master branch reads
#: ``\d+\.\d+\.\d+`` (wbond/oscrypto issue #78). Applied in memory, to this process only,
#: as its modules are imported: no installed file is changed.
OSCRYPTO_FIX = (
    rb"'\\b(\\d\\.\\d\\.\\d[a-z]*)\\b'",
    rb"'\\b(\\d+\\.\\d+\\.\\d+[a-z]*)\\b'",
)
OSCRYPTO_FIXED = ("oscrypto._openssl._libcrypto_ctypes", "oscrypto._openssl._libcrypto_cffi")


def mend_oscrypto() -> None:
    """Install :data:`OSCRYPTO_FIX` for the modules that hold the version regex."""
    import importlib.abc
    import importlib.machinery
    import sys

    class Mended(importlib.machinery.SourceFileLoader):
        def get_code(self, fullname: str) -> Any:
            source = self.get_data(self.path)
            old, new = OSCRYPTO_FIX
            assert source.count(old) == 1, "oscrypto's version regex is not where it was"
            return compile(source.replace(old, new), self.path, "exec", dont_inherit=True)

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
            if name not in OSCRYPTO_FIXED:
                return None
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is not None and spec.origin:
                spec.loader = Mended(name, spec.origin)
            return spec

    sys.meta_path.insert(0, Finder())


def web() -> dict[str, Case]:
    """Whole ``POST /alexa`` requests through WSGI apps (no HTTP): the bare Flask JSON echo,
    the stock stack (Flask + ask-sdk-webservice-support's handler and verifiers, as
    flask-ask-sdk's SkillAdapter wires them) answering with the stock hello skill, and the
    skill's web app; signature and timestamp checked, self-made Amazon-like PKI trusted."""
    mend_oscrypto()
    import io

    import ask_sdk_webservice_support.verifier as stock_verifier
    from ask_sdk_webservice_support.webservice_handler import WebserviceSkillHandler
    from certvalidator import CertificateValidator, ValidationContext
    from flask import Flask, jsonify, request
    from werkzeug.test import EnvironBuilder

    from skill.alexa.verification import SignatureVerifier, TimestampVerifier
    from skill.hosts.web import create_app
    from skill.settings import Settings
    from skill.tools.simulator.envelopes import EnvelopeFactory
    from tests import pki

    good = pki.make_pki()
    root_der = pki.x509.load_pem_x509_certificate(good.root_pem).public_bytes(
        pki.serialization.Encoding.DER
    )

    def trusting(end: Any, intermediates: Any) -> Any:
        """The stock validation, with the test root trusted beside the system's roots (a
        new context per request, as the stock verifier makes)."""
        context = ValidationContext(extra_trust_roots=[root_der])
        return CertificateValidator(end, intermediates, validation_context=context)

    stock_verifier.CertificateValidator = trusting  # type: ignore[misc,assignment]

    builder = _hello_builder()
    verifier = stock_verifier.RequestVerifier()
    verifier._cert_cache[pki.CERT_URL] = good.chain_pem  # downloaded once, as it would be
    handler = WebserviceSkillHandler(
        skill=builder.create(), verify_signature=False, verify_timestamp=False,
        verifiers=[verifier, stock_verifier.TimestampVerifier()],
    )  # fmt: skip
    stock_app = Flask("stock")

    @stock_app.post("/alexa")
    def dispatch() -> Any:  # flask_ask_sdk.skill_adapter.SkillAdapter.dispatch_request
        body = request.data.decode("utf-8")
        return jsonify(handler.verify_request_and_dispatch(dict(request.headers), body))

    echo = Flask("echo")

    @echo.post("/alexa")
    def answer() -> Any:
        return jsonify(request.get_json())

    settings = Settings(verify_signatures=True, db="none")
    ours = create_app(
        settings, verifiers=[SignatureVerifier(good.root_pem, good.fetch()), TimestampVerifier()]
    )

    class Request:
        """One app answering a launch request signed afresh at each reset."""

        def __init__(self, app: Flask) -> None:
            self.app = app
            self.reset()

        def reset(self) -> None:
            body = json.dumps(EnvelopeFactory().launch()).encode()
            self.body = body
            self.environ = EnvironBuilder(
                method="POST", path="/alexa", data=body, headers=good.headers(body),
                content_type="application/json",
            ).get_environ()  # fmt: skip

        def __call__(self) -> object:
            statuses: list[str] = []
            environ = {**self.environ, "wsgi.input": io.BytesIO(self.body)}
            out = b"".join(self.app(environ, lambda s, h, e=None: statuses.append(s)))
            assert statuses[0].startswith("200"), (statuses, out[:200])
            return out

    return {
        "web: bare Flask JSON echo": Request(echo),
        "web: stock stack + hello skill, signature + timestamp": Request(stock_app),
        "web: skill, signature + timestamp": Request(ours),
    }


def smoke() -> dict[str, Case]:
    """Two cheap cases, for the test that the counting itself works."""
    from ask_sdk_core.serialize import DefaultSerializer

    hello = _hello(DefaultSerializer())
    launch = _envelopes()["launch"]
    return {"hello, stock serializer: launch": lambda: hello(launch), "nothing": lambda: None}


#: The groups of cases, each measured in its own process (the store is chosen at import).
GROUPS: dict[str, Callable[[], dict[str, Case]]] = {
    "none": no_store,
    "sqlite": sqlite_store,
    "dynamodb": dynamodb_store,
    "smoke": smoke,
    "web": web,
    "broken": lambda: {"raises": lambda: 1 / 0},
}
