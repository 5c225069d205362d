"""Shared fixtures. Qt runs offscreen so the suite needs no display."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent


def _find_shared_data() -> Path:
    """../shared/data beside the checkout (CI), or higher up (a git worktree)."""
    for parent in REPO.parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return REPO.parent / "shared" / "data"


DATA = _find_shared_data()
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def shared_data() -> Path:
    """The real data files beside the project (see ../shared/data/README.md)."""
    if not DATA.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return DATA
