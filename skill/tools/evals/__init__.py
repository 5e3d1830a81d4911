"""The evaluations: the NLU, the safety sets and the blind conversation set, scored offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def read_yaml(path: Path) -> Any:
    """A set's YAML, parsed by libyaml where PyYAML was built with it: the same safe subset as
    ``yaml.safe_load`` (every YAML file of the repository parses the same), ~10x faster."""
    try:
        import yaml
    except ImportError as exc:  # PyYAML is a development dependency
        raise SystemExit("PyYAML is needed: pip install -e '.[dev]'") from exc
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
