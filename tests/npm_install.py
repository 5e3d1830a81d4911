"""Node packages the tests need (dynalite, Amazon's APL linter), installed from their lock
files on first use, so a clean clone's suite runs them without a manual ``npm ci``."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from pathlib import Path

#: The lock file beside each package.json (git-ignored).
LOCK_NAME = ".install.lock"


def npm_ci_once(directory: Path, installed: Path) -> bool:
    """Run ``npm ci`` in ``directory`` unless ``installed`` (a path inside its node_modules)
    exists; True once it does. Several test workers may ask at the same moment: a file lock
    makes one of them install while the others wait for it. False where npm is missing."""
    if installed.exists():
        return True
    npm = shutil.which("npm")
    if npm is None:
        return False
    with open(directory / LOCK_NAME, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not installed.exists():
            subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=directory,
                check=True,
                timeout=300,
            )
    return installed.exists()
