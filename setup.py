"""The wheel's one build step; everything else about the package is in pyproject.toml.

A wheel installs packages, not the repository's top-level ``interaction_model/`` and ``audio/``
that the skill reads (the offline NLU of ``cramp-coach chat``, the clips' manifest). So
``build_py`` copies them into ``skill/_bundled/``, where :mod:`skill.core.resources` looks
first. An editable install reads them from the checkout instead.
"""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: What to bundle, from the module that reads it (stdlib only, so it runs without the package).
BUNDLED = runpy.run_path(str(ROOT / "skill" / "core" / "resources.py"))["BUNDLED"]


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "skill" / "_bundled"
        for name in BUNDLED:
            source, copy = ROOT / name, target / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, copy, dirs_exist_ok=True)
            else:
                shutil.copy2(source, copy)


setup(cmdclass={"build_py": BuildPyWithResources})
