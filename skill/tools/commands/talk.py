"""``chat`` and ``say``: talk to the skill in a terminal, through the simulator (timers run
against a local fake Alexa API)."""

from __future__ import annotations

import argparse
import contextlib
import sys
import urllib.error
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

from skill.core.catalogue import DEFAULT_LOCALE, LOCALES

if TYPE_CHECKING:  # imported when a command needs them, to keep `--help` quick
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
