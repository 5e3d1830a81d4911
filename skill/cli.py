"""The ``cramp-coach`` command: talk to the skill in a terminal (and, as they are added,
serve it over HTTP and build its audio)."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

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


def add_serve(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "serve",
        help="run the web service with Flask's development server (production: gunicorn)",
        description="Development server only. In production run "
        "gunicorn 'skill.web:create_app()' behind HTTPS (docs/hosting.md).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    parser.set_defaults(run=serve)


def serve(args: argparse.Namespace) -> int:
    """Serve POST /alexa, /healthz and /audio/ (settings from CRAMP_COACH_* variables)."""
    import logging

    from skill.web import create_app  # Flask stays off the path of the other subcommands

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    create_app().run(host=args.host, port=args.port, debug=False)
    return 0


def add_audio(commands: argparse._SubParsersAction) -> None:
    """``cramp-coach audio build|verify``: make and check the clips in ``audio/``."""
    from skill.audio_manifest import DEFAULT_AUDIO_DIR

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
    from skill.audio_build import build
    from skill.audio_engines import EngineError, make_engine
    from skill.audio_spec import load_specs
    from skill.progress import ProgressBar

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
    from skill.audio_spec import load_specs
    from skill.audio_verify import verify_set

    problems = verify_set(args.dir, [spec.id for spec in load_specs()])
    for problem in problems:
        print(problem, file=sys.stderr)
    print(
        f"audio: {'OK' if not problems else f'{len(problems)} problem(s)'} in {args.dir}",
        file=sys.stderr,
    )
    return 1 if problems else 0


Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cramp-coach", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    chat_parser = commands.add_parser("chat", help="talk to the skill in this terminal")
    chat_parser.set_defaults(run=chat)
    add_serve(commands)
    add_audio(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Command = args.run
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
