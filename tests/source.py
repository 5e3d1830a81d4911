"""The repository's Python files parsed once per run: the architecture, dependency, session
state and wording checks each read every module's tree, and parsing the skill is ~0.2 s."""

from __future__ import annotations

import ast
import functools
from pathlib import Path


@functools.cache
def tree(path: Path) -> ast.Module:
    """``path`` parsed. Shared by every caller: read it, never change it."""
    return ast.parse(path.read_text(encoding="utf-8"), str(path))
