"""The ``cramp-coach`` command. Each subcommand registers itself in its own ``add_*`` function."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def add_serve(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "serve",
        help="run the web service with Flask's development server (production: gunicorn)",
        description="Development server only. In production run "
        "gunicorn 'skill.web:create_app()' behind HTTPS (docs/hosting.md).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    parser.set_defaults(func=serve)


def serve(args: argparse.Namespace) -> int:
    import logging

    from skill.web import create_app  # Flask stays off the path of the other subcommands

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    create_app().run(host=args.host, port=args.port, debug=False)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cramp-coach", description="Cramp Coach Alexa skill")
    subcommands = parser.add_subparsers(dest="command", required=True)
    add_serve(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
