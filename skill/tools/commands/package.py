"""``skill-package build|check``: the package ``ask deploy`` uploads."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


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
