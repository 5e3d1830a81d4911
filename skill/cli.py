"""The ``cramp-coach`` command: talk to the skill in a terminal (and, as they are added,
serve it over HTTP and build its audio)."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence

INVOCATION = re.compile(
    r"^(?:alexa,?\s+)?(?:(?P<open>open|launch|start)\s+cramp coach$|"
    r"(?:ask|tell)\s+cramp coach(?:\s+(?:to|that|about))?\s+(?P<rest>.+))",
    re.IGNORECASE,
)


def chat(args: argparse.Namespace) -> int:
    """Read utterances line by line and print what Alexa would say."""
    from skill import lambda_handler
    from skill.conversation import Conversation
    from skill.nlu import understand

    talk = Conversation(lambda_handler.handler)
    interactive = sys.stdin.isatty()
    if interactive:
        print("Talk to Cramp Coach. Try: open cramp coach  (Ctrl-D to quit)")
    while True:
        if interactive:
            print("you> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            return 0
        utterance = line.strip()
        if not utterance:
            continue
        match = INVOCATION.match(utterance)
        if match:
            talk.new_session()
            if match.group("open"):
                heard = talk.launch()
                print(f"alexa> {heard.speech}")
                continue
            utterance = match.group("rest")
        understood = understand(utterance)
        heard = talk.intent(understood.intent, **understood.slots)
        print(f"alexa> {heard.speech}")
        if heard.ended:
            print("(session ended)")


Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cramp-coach", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    chat_parser = commands.add_parser("chat", help="talk to the skill in this terminal")
    chat_parser.set_defaults(run=chat)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Command = args.run
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
