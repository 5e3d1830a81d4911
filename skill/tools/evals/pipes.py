"""The evaluations' exit when their reader leaves early (``... | head``).

A report piped into ``head`` loses its reader after a few lines; Python then raises
BrokenPipeError on the next write, or at the interpreter's final flush, and prints a
traceback for what is no error at all. :func:`run_quietly` ends such a run with status 0.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def run_quietly(main: Callable[[], int]) -> int:
    """``main()``'s status; 0 with nothing printed if stdout's reader has gone."""
    try:
        status = main()
        sys.stdout.flush()  # a buffered report fails here, not at the interpreter's exit
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's own final flush cannot raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return status
