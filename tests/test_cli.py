"""The ``workbench`` command as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import REPO, TEST_DATA

SAMPLE = REPO / "sample_charts" / "nov13-network.wbchart"


def workbench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=120)


def test_info_prints_title_counts_and_version():
    result = workbench("info", str(TEST_DATA / "format-v1.wbchart"))
    assert result.returncode == 0, result.stderr
    assert "Format version 1 fixture" in result.stdout
    assert "Format version: 1" in result.stdout
    assert "Phone" in result.stdout and "Trafficked from" in result.stdout


def test_info_json_on_the_sample_chart():
    result = workbench("info", "--json", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    for key in ("title", "format_version", "entities", "links", "entity_types", "link_types"):
        assert key in info
    from workbench.io.chartfile import FORMAT_VERSION

    assert info["format_version"] == FORMAT_VERSION  # the samples are saved by this version
    assert info["entities"] == sum(info["entity_types"].values())
    assert info["links"] == sum(info["link_types"].values())
    assert info["entity_types"]["Person"] > 50


def test_info_on_a_damaged_file_says_why_without_a_traceback(tmp_path):
    bad = tmp_path / "damaged.wbchart"
    bad.write_text("hello")
    result = workbench("info", str(bad))
    assert result.returncode == 2
    assert "damaged.wbchart: not a Workbench chart file" in result.stderr
    assert "Traceback" not in result.stderr


def test_version_and_help():
    assert "Workbench 0." in workbench("--version").stdout
    assert "info" in workbench("--help").stdout


def test_the_suffixes_named_in_help_are_the_readers_and_writers():
    from workbench.commands.suffixes import READ_SUFFIXES, WRITE_SUFFIXES
    from workbench.io.interchange import READERS, WRITERS

    assert tuple(READERS) == READ_SUFFIXES and tuple(WRITERS) == WRITE_SUFFIXES


def test_help_loads_no_reader_and_no_data_library():
    """``workbench --help`` stays quick: no pandas, igraph, lxml or Qt behind it."""
    import subprocess
    import sys

    code = ("import sys, workbench.cli as c\n"
            "try:\n    c.main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'igraph', 'lxml', 'PySide6', 'duckdb',"
            " 'splink', 'matplotlib', 'psycopg') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
