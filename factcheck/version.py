"""The code's version: the package version plus a digest of its code, prompts and data files."""

from __future__ import annotations

import functools
import hashlib
from importlib.metadata import version
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
REPO_PROMPTS = PACKAGE.parent / "prompts"  # beside the package in a checkout; inside it in a wheel


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Changes with any edit of the package (code, prompts, thresholds, models).

    Cached results (evaluation examples, reports) carry it, so after a code change nothing the old
    code computed is returned as if the new code had.
    """
    digest = hashlib.sha256()
    for folder in (PACKAGE, REPO_PROMPTS):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix != ".pyc" and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return f"{version('factcheck')}+{digest.hexdigest()[:10]}"
