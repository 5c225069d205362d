"""Fixtures for the import tests: the real data and spreadsheets written with openpyxl."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "sample_charts" / "specs"


def find_shared_data() -> Path | None:
    """../shared/data beside the checkout (CI), or higher up (a git worktree)."""
    for parent in REPO.parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return None


@pytest.fixture
def real_data() -> Path:
    found = find_shared_data()
    if found is None:
        pytest.skip("shared/data is not beside this checkout")
    return found


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
