"""A wheel carries what the app loads, and the version lives in one place."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile

from workbench import __version__
from workbench.io import peek_chart, save_chart
from workbench.model import Chart

from .conftest import REPO


def test_wheel_carries_resources_and_samples(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path),
                    str(REPO)], check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("workbench-*.whl"))
    assert f"workbench-{__version__}-" in wheel.name
    names = zipfile.ZipFile(wheel).namelist()
    assert "workbench/_resources/catalogue.yaml" in names
    assert "workbench/_resources/icons/workbench.svg" in names
    assert "workbench/_samples/nov13-network.wbchart" in names
    assert "workbench/cli.py" in names and "workbench/commands/info.py" in names


def test_version_is_written_into_saved_charts_and_shown_by_the_cli(tmp_path):
    result = subprocess.run([sys.executable, "-m", "workbench", "--version"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.stdout.strip() == f"Workbench {__version__}"
    pyproject = (REPO / "pyproject.toml").read_text()
    assert 'version = {attr = "workbench.__version__"}' in pyproject
    assert re.search(r'^version = "', pyproject, re.M) is None
    save_chart(Chart("v"), tmp_path / "v.wbchart")
    manifest = json.loads(zipfile.ZipFile(tmp_path / "v.wbchart").read("manifest.json"))
    assert manifest["app_version"] == __version__


def test_peek_reads_title_and_counts_without_building_the_chart():
    info = peek_chart(REPO / "sample_charts" / "nov13-network.wbchart")
    assert info["title"].startswith("13 November 2015")
    assert (info["entities"], info["links"]) == (132, 262)
