"""Where the files that live beside the package are found: ``interaction_model/`` and
``audio/``.

In a checkout (and an editable install) they sit at the repository root next to ``skill/``, and
the Lambda package (``Makefile``) puts ``audio/manifest.json`` there too. A wheel cannot install
directories beside its package, so its build step (``setup.py``) copies ``interaction_model/``
and ``audio/`` (the clips and their manifest, ~2 MB, so ``audio verify`` and ``serve``'s
``/audio/`` work from a wheel) into ``skill/_bundled/``; that copy wins where it exists.
"""

from __future__ import annotations

import os

# os.path rather than pathlib: one import less on the Lambda cold-start path.
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: Where a wheel's build step puts the copies (absent in a checkout).
BUNDLED_DIR = os.path.join(_PACKAGE_DIR, "_bundled")
#: The repository root of a checkout (or the Lambda package's root).
CHECKOUT_DIR = os.path.dirname(_PACKAGE_DIR)
#: What the wheel carries, relative to the repository root.
BUNDLED = ("interaction_model", "audio")


def resource_path(*parts: str) -> str:
    """The path of ``parts`` (e.g. ``"audio", "manifest.json"``): the wheel's copy if there
    is one, else the checkout's. The path may not exist (no clips were built, say)."""
    bundled = os.path.join(BUNDLED_DIR, *parts)
    return bundled if os.path.exists(bundled) else os.path.join(CHECKOUT_DIR, *parts)
