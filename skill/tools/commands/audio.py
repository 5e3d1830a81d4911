"""``audio build|verify``: make and check the clips in ``audio/``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


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
