"""Run Debian's headless Chromium on a local page with networking cut off."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
    "--disable-default-apps", "--mute-audio",
    # Any request that escapes goes to a closed local port: the page must not need one.
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("headless Chromium is not installed (.ci/run installs Debian's chromium)")
    raise AssertionError  # unreachable


def run(page: Path, profile: Path, *extra: str, budget_ms: int = 8000) -> str:
    command = [chromium(), *FLAGS, f"--user-data-dir={profile}",
               f"--virtual-time-budget={budget_ms}", *extra, page.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dump_dom(page: Path, profile: Path) -> str:
    return run(page, profile, "--dump-dom")


def screenshot(page: Path, profile: Path, png: Path, size: str = "1400,900") -> Path:
    run(page, profile, f"--screenshot={png}", f"--window-size={size}")
    return png
