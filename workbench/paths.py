"""Where the files the app loads are found: resources (catalogue, icons, gazetteer, map
outlines) and the sample charts.

In a checkout and an editable install they are the top-level ``resources/`` and
``sample_charts/`` folders; in a wheel they are installed as the ``workbench._resources`` and
``workbench._samples`` package data; in a frozen app they sit beside the program.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(folder: str, installed: str, marker: str) -> Path:
    candidates = [_PACKAGE / installed, _PACKAGE.parent / folder]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.insert(0, Path(frozen_root) / folder)
    for candidate in candidates:
        if (candidate / marker).exists():
            return candidate
    raise FileNotFoundError(
        f"Workbench {folder} are missing (looked in "
        + ", ".join(str(c) for c in candidates) + "); reinstall Workbench."
    )


def resources_dir() -> Path:
    return _find("resources", "_resources", "catalogue.yaml")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def samples_dir() -> Path:
    """The sample charts a new analyst opens first."""
    return _find("sample_charts", "_samples", "README.md")
