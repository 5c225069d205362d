"""Where the files the app loads (catalogue, icons, gazetteer, map outlines) are found.

In a checkout and an editable install they are in the top-level ``resources/`` folder; in a
wheel or a frozen app they are installed as the ``workbench._resources`` package data.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resources_dir() -> Path:
    candidates = [_PACKAGE / "_resources", _PACKAGE.parent / "resources"]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.insert(0, Path(frozen_root) / "resources")
    for candidate in candidates:
        if (candidate / "catalogue.yaml").is_file():
            return candidate
    raise FileNotFoundError(
        "Workbench resources are missing (looked in "
        + ", ".join(str(c) for c in candidates) + "); reinstall Workbench."
    )


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
