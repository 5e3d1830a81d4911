"""The ``cramp-coach`` command: talk to the skill in a terminal (``chat``, ``say``; timers run
against a local fake Alexa API), serve it over HTTP (``serve``) and build or verify its audio
clips (``audio``), and build or check the skill package for Alexa (``skill-package``).

Each command imports what it needs only when it runs, so ``--help`` stays quick and ``chat``
never loads Flask."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import urllib.error
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from skill.core.catalogue import DEFAULT_LOCALE, LOCALES

if TYPE_CHECKING:  # imported when a command needs them, to keep `--help` quick
    from skill.store.sqlite import SQLiteAdapter
    from skill.tools.simulator.device import Simulator
    from skill.tools.simulator.speaker import Speaker


@contextlib.contextmanager
def _simulator(args: argparse.Namespace) -> Iterator[Simulator]:
    """A simulator talking to the skill in-process, or to ``--url``; its requests point at
    a fake Alexa API on 127.0.0.1 (timers, time zone), so timer lines behave as on a device
    and nothing is ever sent to Amazon. ``--no-alexa-api`` sends no API endpoint instead."""
    from skill.tools.nlu.model import default_model
    from skill.tools.simulator.conversation import Conversation
    from skill.tools.simulator.device import Simulator, post_to
    from skill.tools.simulator.envelopes import EnvelopeFactory
    from skill.tools.simulator.fake_alexa_api import TOKEN, FakeAlexaApi, allow_local_api

    if args.url:
        handler = post_to(args.url)
    else:
        from skill.hosts import lambda_handler

        handler = lambda_handler.handler
    # Understood with the locale's own interaction model, answered in its catalogue.
    model = default_model(args.locale)
    screen = getattr(args, "device", "speaker") == "show"
    user = simulated_user(args.locale, args.new_user)
    if args.no_alexa_api:
        factory = EnvelopeFactory(api_endpoint="", locale=args.locale, screen=screen, user_id=user)
        yield Simulator(Conversation(handler, factory), model)
        return
    allow_local_api()  # the fake answers over plain HTTP on 127.0.0.1
    api = FakeAlexaApi().start()
    try:
        factory = EnvelopeFactory(
            api_endpoint=api.url,
            api_access_token=TOKEN,
            locale=args.locale,
            screen=screen,
            user_id=user,
        )
        yield Simulator(Conversation(handler, factory), model)
    finally:
        api.close()


def simulated_user(locale: str, new: bool = False) -> str:
    """The Alexa user id the simulator talks as: one per locale, so the README's English demo
    is not "welcome back" in Spanish; ``--new-user`` is a stranger made up for this run
    (nothing from earlier runs is recalled, and nothing from this one will be)."""
    if new:
        return f"amzn1.ask.account.CRAMPCOACHNEWUSER-{uuid.uuid4().hex}"
    return f"amzn1.ask.account.CRAMPCOACHSIMULATOR-{locale}"


#: Said at an interactive chat's start: what the simulator remembers and how to clear it.
MEMORY_HINT = (
    "It remembers you between runs in this locale (hold length, a routine left unfinished): "
    'say "forget my data" to clear it, or start with --new-user to talk as a stranger.'
)


def _speaker(args: argparse.Namespace) -> Speaker | None:
    from skill.tools.simulator.speaker import Speaker

    if not args.speak:
        return None
    speaker = Speaker()
    if not speaker.available:
        print(speaker.notice(), file=sys.stderr)
        return None
    return speaker


def _unreachable(args: argparse.Namespace, error: Exception) -> int:
    print(f"cramp-coach: cannot talk to {args.url}: {error}", file=sys.stderr)
    return 1


def chat(args: argparse.Namespace) -> int:
    """Read utterances line by line and print what Alexa would say."""
    from skill.tools.simulator import chat as terminal

    interactive = sys.stdin.isatty()
    options = terminal.Options(
        echo=not interactive,
        live=sys.stdout.isatty() if args.live is None else args.live,
        show_intents=args.show_intents,
        speaker=_speaker(args),
    )
    if interactive:
        from skill.tools.nlu.model import default_model
        from skill.tools.simulator.invocation import open_line

        model = default_model(args.locale)
        # The way to open the skill in the locale's language ("abre entrenador de calambres").
        hint = open_line(model.invocation, model.language.code)
        print(f"Talk to Cramp Coach. Try: {hint}  (Ctrl-D to quit)")
        print(MEMORY_HINT)
        lines = terminal.prompted(sys.stdin.readline, sys.stdout)
    else:
        lines = iter(sys.stdin.readline, "")
    try:
        with _simulator(args) as simulator:
            return terminal.run(simulator, lines, sys.stdout, options)
    except BrokenPipeError:
        raise  # our own output's reader left (`| head -1`): main() ends quietly
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return _unreachable(args, error)


def say(args: argparse.Namespace) -> int:
    """One turn for scripts: print what Alexa answers to one utterance."""
    from skill.tools.simulator import chat as terminal

    options = terminal.Options(show_intents=args.show_intents, speaker=_speaker(args))
    try:
        with _simulator(args) as simulator:
            exchange = simulator.hear(args.utterance)
    except BrokenPipeError:
        raise  # see chat()
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return _unreachable(args, error)
    terminal.show(exchange, sys.stdout, options)
    return 0


def add_chat(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("chat", help="talk to the skill in this terminal")
    _talk_options(parser)
    parser.add_argument(
        "--live",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="live countdown bar during holds (default: on when output is a terminal)",
    )
    parser.set_defaults(run=chat)


def add_say(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("say", help="say one thing to the skill, print the answer")
    parser.add_argument("utterance", help='e.g. "ask cramp coach for a tip"')
    _talk_options(parser)
    parser.set_defaults(run=say)


def _talk_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help="POST requests to this endpoint instead of in-process")
    parser.add_argument("--speak", action="store_true", help="read answers aloud (espeak-ng)")
    parser.add_argument(
        "--locale",
        default=DEFAULT_LOCALE,
        choices=LOCALES,
        help=f"the Alexa locale to talk in (default {DEFAULT_LOCALE})",
    )
    parser.add_argument(
        "--show-intents", action="store_true", help="print the intent understood for each line"
    )
    parser.add_argument(
        "--no-alexa-api",
        action="store_true",
        help="send no Alexa API endpoint (default: a fake Timers API on 127.0.0.1)",
    )
    parser.add_argument(
        "--device",
        choices=("speaker", "show"),
        default="speaker",
        help="the Echo to simulate: 'show' declares APL, prints one line per screen, and "
        "takes touches ('tap next', 'tap other leg', 'tap repeat', 'tap stop')",
    )
    parser.add_argument(
        "--new-user",
        action="store_true",
        help="talk as someone the skill has never met (default: the same simulated person "
        "for each locale, remembered between runs; CRAMP_COACH_DB=none remembers nothing)",
    )


def add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "serve",
        help="run the web service with Flask's development server (production: gunicorn)",
        description="Development server only. In production run "
        "gunicorn 'skill.hosts.web:create_app()' behind HTTPS (docs/hosting.md).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    parser.set_defaults(run=serve)


#: ``serve``'s start-up line while Alexa's signatures are checked (the default).
VERIFY_HINT = (
    "cramp-coach serve: Alexa request signatures are checked, so requests not signed by "
    "Alexa (curl, `cramp-coach chat --url`) get 400. To test locally, start it with "
    "CRAMP_COACH_VERIFY_SIGNATURES=0 (docs/hosting.md)."
)


def serve(args: argparse.Namespace) -> int:
    """Serve POST /alexa, /healthz and /audio/ (settings from CRAMP_COACH_* variables)."""
    import logging

    from skill.hosts.web import create_app  # Flask stays off the path of the other subcommands
    from skill.settings import Settings

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    app = create_app(settings)
    if settings.verify_signatures:
        # Said here, on the operator's terminal, never in a response: a refused request gets
        # a bare 400, so a remote client learns nothing about the checks.
        print(VERIFY_HINT, file=sys.stderr)
    app.run(host=args.host, port=args.port, debug=False)
    return 0


def add_audio(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``cramp-coach audio build|verify``: make and check the clips in ``audio/``."""
    from skill.core.audio_manifest import DEFAULT_AUDIO_DIR

    audio = commands.add_parser("audio", help="build or verify the audio clips")
    actions = audio.add_subparsers(dest="audio_command", required=True, metavar="ACTION")
    build = actions.add_parser(
        "build",
        help="render the cues and countdown clips (skips clips whose inputs are unchanged)",
        description="gTTS needs Google's servers; 'auto' falls back to espeak-ng (offline).",
    )
    build.add_argument(
        "--engine",
        choices=("auto", "gtts", "espeak"),
        default="auto",
        help="speech engine (default: auto = gTTS, else espeak-ng)",
    )
    build.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_AUDIO_DIR,
        help=f"output directory (default: {DEFAULT_AUDIO_DIR})",
    )
    build.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        help="seconds gTTS may wait for Google before giving up (default 10)",
    )
    build.set_defaults(run=audio_build)
    verify = actions.add_parser("verify", help="check every clip against the manifest")
    verify.add_argument(
        "--dir",
        type=Path,
        default=DEFAULT_AUDIO_DIR,
        help=f"audio directory (default: {DEFAULT_AUDIO_DIR})",
    )
    verify.set_defaults(run=audio_verify)


def audio_build(args: argparse.Namespace) -> int:
    """Build the clip set; numpy, lameenc and mutagen (the 'audio' extra) load only here."""
    from skill.tools.audio.build import build
    from skill.tools.audio.engines import EngineError, make_engine
    from skill.tools.audio.spec import load_specs
    from skill.tools.evals.progress import ProgressBar

    specs = load_specs()
    progress = ProgressBar(len(specs))
    engine = make_engine(args.engine, progress.note, gtts_timeout=args.timeout)
    try:
        result = build(args.out, engine, specs, progress)
    except EngineError as exc:
        print(f"audio build failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"audio: built {len(result.built)}, skipped {len(result.skipped)}, "
        f"removed {len(result.removed)} in {result.seconds:.1f} s -> {args.out}",
        file=sys.stderr,
    )
    return 0


def audio_verify(args: argparse.Namespace) -> int:
    """Check every clip in ``--dir`` against its manifest and the declared set."""
    from skill.tools.audio.spec import load_specs
    from skill.tools.audio.verify import verify_set

    problems = verify_set(args.dir, [spec.id for spec in load_specs()])
    for problem in problems:
        print(problem, file=sys.stderr)
    print(
        f"audio: {'OK' if not problems else f'{len(problems)} problem(s)'} in {args.dir}",
        file=sys.stderr,
    )
    return 1 if problems else 0


def add_skill_package(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``cramp-coach skill-package build|check``: the package ``ask deploy`` uploads."""
    from skill.tools.generators.skill_package import DEFAULT_OUT

    package = commands.add_parser(
        "skill-package",
        help="build the skill package for ask deploy, or check it before submitting",
        description="The committed interaction_model/ keeps placeholders; 'build' writes a "
        "copy with the endpoint filled in, 'check' lists what is left (docs/deploy.md).",
    )
    actions = package.add_subparsers(dest="package_command", required=True, metavar="ACTION")
    build = actions.add_parser("build", help="write the package with the endpoint filled in")
    build.add_argument(
        "--endpoint",
        required=True,
        help="the SAM stack's FunctionArn output, or the web service's https:// URL; "
        "'none' to create the skill before its function exists",
    )
    build.add_argument(
        "--privacy-url",
        help="where the privacy policy is published (https://; {language} becomes en or es)",
    )
    build.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output directory (default: {DEFAULT_OUT})"
    )
    build.set_defaults(run=skill_package_build)
    check = actions.add_parser("check", help="list every placeholder left; exit 1 if any")
    check.add_argument(
        "package",
        nargs="?",
        type=Path,
        default=DEFAULT_OUT,
        help=f"the package directory (default: {DEFAULT_OUT})",
    )
    check.add_argument(
        "--policy", type=Path, help="the privacy policy as published, to check its contact line"
    )
    check.set_defaults(run=skill_package_check)


def skill_package_build(args: argparse.Namespace) -> int:
    from skill.tools.generators.skill_package import PackageError, build

    endpoint = None if args.endpoint.strip().lower() == "none" else args.endpoint
    try:
        out = build(args.out, endpoint, args.privacy_url)
    except PackageError as error:
        print(f"cramp-coach: {error}", file=sys.stderr)
        return 2
    print(f"skill-package: wrote {out} (endpoint: {endpoint or 'none'})", file=sys.stderr)
    return 0


def skill_package_check(args: argparse.Namespace) -> int:
    from skill.tools.generators.skill_package import problems

    found = problems(args.package, args.policy)
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print(
            f"skill-package: {len(found)} thing(s) left to fill in before submitting "
            "(docs/deploy.md, 'Before you submit')",
            file=sys.stderr,
        )
        return 1
    print(f"skill-package: nothing left to fill in, in {args.package}", file=sys.stderr)
    return 0


def add_store(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``cramp-coach store backup|restore FILE``: the SQLite store's online backup (the
    procedure is in docs/persistence.md)."""
    store = commands.add_parser("store", help="back up or restore the SQLite store")
    store.add_argument("--db", help="the store (default: CRAMP_COACH_DB, else the default file)")
    actions = store.add_subparsers(dest="store_command", required=True, metavar="ACTION")
    backup = actions.add_parser("backup", help="copy the live store to FILE (a new file)")
    backup.add_argument("file", type=Path)
    backup.set_defaults(run=store_backup)
    restore = actions.add_parser("restore", help="replace every record with FILE's")
    restore.add_argument("file", type=Path)
    restore.set_defaults(run=store_restore)


def _sqlite_store(args: argparse.Namespace) -> SQLiteAdapter | None:
    from skill.settings import Settings
    from skill.store.factory import adapter_from_settings
    from skill.store.sqlite import SQLiteAdapter

    settings = Settings.from_env() if args.db is None else Settings(db=args.db)
    adapter = adapter_from_settings(settings)
    if not isinstance(adapter, SQLiteAdapter):
        print("store: backup and restore are for the SQLite store", file=sys.stderr)
        return None
    return adapter


def store_backup(args: argparse.Namespace) -> int:
    store = _sqlite_store(args)
    if store is None:
        return 2
    store.backup(args.file)
    print(f"store: {store.path} backed up to {args.file}", file=sys.stderr)
    return 0


def store_restore(args: argparse.Namespace) -> int:
    store = _sqlite_store(args)
    if store is None:
        return 2
    store.restore(args.file)
    print(f"store: {store.path} restored from {args.file}", file=sys.stderr)
    return 0


Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cramp-coach", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    add_chat(commands)
    add_say(commands)
    add_serve(commands)
    add_audio(commands)
    add_skill_package(commands)
    add_store(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Command = args.run
    try:
        return run(args)
    except BrokenPipeError:
        # `cramp-coach say ... | head -1`: the reader has all it wanted. Point stdout at
        # /dev/null so the interpreter's final flush cannot raise again, and exit 0.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
