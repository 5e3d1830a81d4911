"""The ``cramp-coach`` command: talk to the skill in a terminal (and, as they are added,
serve it over HTTP and build its audio)."""

from __future__ import annotations

import argparse
import sys
import urllib.error
from collections.abc import Callable, Sequence


def _simulator(args: argparse.Namespace):
    """A simulator talking to the skill in-process, or to ``--url``."""
    from skill.conversation import Conversation
    from skill.simulator import Simulator, post_to

    if args.url:
        handler = post_to(args.url)
    else:
        from skill import lambda_handler

        handler = lambda_handler.handler
    return Simulator(Conversation(handler))


def _speaker(args: argparse.Namespace):
    from skill.speaker import Speaker

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
    from skill import chat as terminal

    interactive = sys.stdin.isatty()
    options = terminal.Options(
        echo=not interactive,
        live=sys.stdout.isatty() if args.live is None else args.live,
        show_intents=args.show_intents,
        speaker=_speaker(args),
    )
    if interactive:
        print("Talk to Cramp Coach. Try: open cramp coach  (Ctrl-D to quit)")
        lines = terminal.prompted(sys.stdin.readline, sys.stdout)
    else:
        lines = iter(sys.stdin.readline, "")
    try:
        return terminal.run(_simulator(args), lines, sys.stdout, options)
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return _unreachable(args, error)


def say(args: argparse.Namespace) -> int:
    """One turn for scripts: print what Alexa answers to one utterance."""
    from skill import chat as terminal

    options = terminal.Options(show_intents=args.show_intents, speaker=_speaker(args))
    try:
        exchange = _simulator(args).hear(args.utterance)
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return _unreachable(args, error)
    terminal.show(exchange, sys.stdout, options)
    return 0


def _talk_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help="POST requests to this endpoint instead of in-process")
    parser.add_argument("--speak", action="store_true", help="read answers aloud (espeak-ng)")
    parser.add_argument(
        "--show-intents", action="store_true", help="print the intent understood for each line"
    )


Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cramp-coach", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    chat_parser = commands.add_parser("chat", help="talk to the skill in this terminal")
    _talk_options(chat_parser)
    chat_parser.add_argument(
        "--live",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="live countdown bar during holds (default: on when output is a terminal)",
    )
    chat_parser.set_defaults(run=chat)
    say_parser = commands.add_parser("say", help="say one thing to the skill, print the answer")
    say_parser.add_argument("utterance", help='e.g. "ask cramp coach for a tip"')
    _talk_options(say_parser)
    say_parser.set_defaults(run=say)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Command = args.run
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
