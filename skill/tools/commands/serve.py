"""``serve``: the web service on Flask's development server (production runs gunicorn)."""

from __future__ import annotations

import argparse
import sys


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
