"""The ``cramp-coach`` command: talk to the skill in a terminal (``chat``, ``say``; timers run
against a local fake Alexa API), serve it over HTTP (``serve``) and build or verify its audio
clips (``audio``), and build or check the skill package for Alexa (``skill-package``).

Each command imports what it needs only when it runs, so ``--help`` stays quick and ``chat``
never loads Flask."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from skill.tools.commands import audio, package, serve, store, talk

Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cramp-coach", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    talk.add_chat(commands)
    talk.add_say(commands)
    serve.add_serve(commands)
    audio.add_audio(commands)
    package.add_skill_package(commands)
    store.add_store(commands)
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
