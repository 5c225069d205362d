"""Hostile text through every ``workbench`` command, and the command line itself (issue 11's
proof for the command line; hostile files and unwritable targets are in test_cli_files.py).

Hostile text that is simply data (template source, markup, control characters, formulas in
titles, labels, link labels and attributes) must come out intact with exit code 0 and must
never run: one payload creates a folder if any template engine evaluates it. A bad command
line ends in one line, exit code 2, and a closed pipe ends quietly with the work done.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import matplotlib
import pytest

from tests.conftest import REPO
from tests.hostile.cli_run import (
    SPEC,
    fine,
    no_code_ran,
    refused,
    wb,
    wb_process,
)
from tests.hostile.payloads import MARKUP_PAYLOADS, TEMPLATE_PAYLOADS
from workbench.io import load_chart, save_chart
from workbench.model import Chart


# ----- hostile text is data: it comes out as it is and never runs ---------------------------
def test_info_prints_the_hostile_title_as_it_is(hostile):
    run = wb("info", hostile.chart)
    fine(run)
    assert f"Title:          {hostile.title}" in run.out
    run = wb("info", "--json", hostile.chart)
    fine(run)
    assert json.loads(run.out)["title"] == hostile.title
    no_code_ran(hostile)


def test_info_shows_control_characters_of_a_title_escaped(control_title):
    run = wb("info", control_title)
    fine(run)
    assert "Title:          Routes \\x1b]0;owned\\x07 \\x1b[2J" in run.out
    assert "\x1b" not in run.out and "\x07" not in run.out


def test_a_control_character_title_converts_to_xlsx(control_title, tmp_path):
    fine(wb("convert", control_title, tmp_path / "c.xlsx"))


def test_a_control_character_title_on_a_static_map_svg(control_title, tmp_path):
    out = tmp_path / "map.svg"
    fine(wb("map", control_title, "-o", out))
    ET.parse(out)


@pytest.mark.parametrize("suffix", [".png", ".pdf", ".svg"])
def test_export_draws_hostile_labels(hostile, tmp_path, suffix):
    out = tmp_path / f"chart{suffix}"
    fine(wb("export", hostile.chart, "-o", out, "--width", "400"))
    no_code_ran(hostile)
    if suffix == ".svg":
        ET.parse(out)


def test_histogram_csv_keeps_template_and_markup_labels(hostile, tmp_path):
    out = tmp_path / "labels.csv"
    fine(wb("histogram", hostile.chart, "--by", "label", "-o", out))
    with open(out, encoding="utf-8-sig", newline="") as fh:
        cells = {row[0] for row in csv.reader(fh)}
    for text in (*TEMPLATE_PAYLOADS, *MARKUP_PAYLOADS):
        assert text in cells
    no_code_ran(hostile)


def test_histogram_picture_of_link_attributes(hostile, tmp_path):
    out = tmp_path / "kinds.png"
    fine(wb("histogram", hostile.chart, "--links", "--by", "kind", "-o", out))
    no_code_ran(hostile)


def test_histogram_svg_is_valid_xml(hostile, tmp_path):
    out = tmp_path / "labels.svg"
    fine(wb("histogram", hostile.chart, "--by", "label", "-o", out))
    ET.parse(out)


def test_analyse_keeps_every_hostile_label(hostile, tmp_path):
    out = tmp_path / "measured.wbchart"
    run = wb("analyse", hostile.chart, "--measure", "degree", "-o", out)
    fine(run)
    assert not set(run.out) & {chr(c) for c in range(0x20) if chr(c) not in "\t\n"}
    assert sorted(e.label for e in load_chart(out).entities.values()) == sorted(hostile.texts)
    no_code_ran(hostile)


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".anx"])
def test_convert_round_trip_keeps_template_and_markup_text(hostile, tmp_path, suffix):
    out, back = tmp_path / f"chart{suffix}", tmp_path / "back.wbchart"
    fine(wb("convert", hostile.chart, out))
    ET.parse(out)
    fine(wb("convert", out, back))
    labels = {e.label for e in load_chart(back).entities.values()}
    assert set(TEMPLATE_PAYLOADS) | set(MARKUP_PAYLOADS) <= labels
    assert load_chart(back).title == hostile.title
    no_code_ran(hostile)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_convert_to_spreadsheets(hostile, tmp_path, suffix):
    fine(wb("convert", hostile.chart, tmp_path / f"chart{suffix}"))
    no_code_ran(hostile)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_static_maps_with_hostile_places_and_colours(hostile, tmp_path, suffix):
    out = tmp_path / f"map{suffix}"
    fine(wb("map", hostile.chart, "-o", out, "--colour-by", "kind", "--dpi", "40"))
    if suffix == ".svg":
        ET.parse(out)
    no_code_ran(hostile)


def test_html_map_never_runs_hostile_labels(hostile, tmp_path):
    out = tmp_path / "map.html"
    fine(wb("map", hostile.chart, "-o", out, "--colour-by", "kind", "--title", "{{ 7*7 }}"))
    no_code_ran(hostile)
    assert "7*7" in out.read_text(encoding="utf-8")  # the text is there, never its result


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_report_with_hostile_text(hostile, tmp_path, suffix):
    out = tmp_path / f"report{suffix}"
    fine(wb("report", hostile.chart, "-o", out, "--marking", "{{ 7*7 }} <b>x</b>"))
    no_code_ran(hostile)
    if suffix == ".docx":
        with zipfile.ZipFile(out) as z:
            document = z.read("word/document.xml").decode("utf-8")
        assert "{{ 7*7 }}" in document and "&lt;script&gt;" in document


def test_a_lone_surrogate_in_a_label_is_kept_out_of_the_file_in_one_line(tmp_path):
    """Scraped text can hold a lone surrogate; saving must replace it or refuse in one line,
    not fail with orjson's TypeError."""
    chart = Chart("t")
    chart.make_entity("Person", "lone surrogate \ud800")
    path = tmp_path / "s.wbchart"
    try:
        save_chart(chart, path)
    except ValueError as exc:
        assert "\n" not in str(exc)
    else:
        fine(wb("info", path))


# ----- bad data files ------------------------------------------------------------------------
def test_a_lone_surrogate_in_utf16_is_imported_with_a_warning(tmp_path):
    data = tmp_path / "hotline.csv"
    data.write_bytes(b"\xff\xfe" + "Name\nAlice\nBob\ud800\n".encode("utf-16-le",
                                                                     "surrogatepass"))
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    run = wb("import", data, "--spec", spec, "-o", tmp_path / "out.wbchart")
    fine(run)
    assert "a broken UTF-16 character (lone surrogate) was replaced by" in run.out
    assert "hotline.csv row 3, column 'Name'" in run.out
    assert len(load_chart(tmp_path / "out.wbchart").entities) == 2


def test_histogram_of_links_by_an_attribute_they_lack_is_refused(hostile, tmp_path):
    line = refused(wb("histogram", hostile.chart, "--links", "--by", "note",
                      "-o", tmp_path / "h.csv"), "no link has an attribute 'note'")
    assert line.endswith("link attributes in this chart: kind; or use type, linktype, label, "
                         "date, from, to")
    assert not (tmp_path / "h.csv").exists()


# ----- the command line itself -----------------------------------------------------------------
def test_an_unknown_word_is_refused_without_opening_the_window():
    from workbench.cli import COMMANDS

    result = wb_process("shop", "--help", timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"workbench: shop: no such command or file (commands: {', '.join(COMMANDS)}; "
        "'workbench CHART' opens a chart in the window)"]


def test_control_characters_in_a_refusal_are_shown_escaped(tmp_path):
    line = refused(wb("info", tmp_path / "evil\x1b[2J.wbchart"))
    assert "evil\\x1b[2J.wbchart: no such file" in line
    line = refused(wb("\x1b]0;owned\x07"))
    assert line.startswith("workbench: \\x1b]0;owned\\x07: no such command or file")


def test_a_mistyped_command_gets_a_suggestion():
    line = refused(wb("imprt", "x.csv"), "imprt: no such command or file")
    assert line.endswith("did you mean 'import'?")


@pytest.mark.parametrize("args, expected", [
    (("import", "x.csv"), "workbench import: the following arguments are required: --spec"),
    (("map", "c.wbchart", "-o", "m.html", "--min-count", "{{ 7*7 }}"),
     "workbench map: argument --min-count: invalid int value: '{{ 7*7 }}'"),
    (("--bogus",), "workbench: unrecognized arguments: --bogus"),
])
def test_a_bad_command_line_is_refused_in_one_line(args, expected):
    assert refused(wb(*args)).startswith(expected)


def test_a_chart_file_still_opens_the_window(clean_chart, tmp_path):
    # what the killed window leaves (temporary files, settings, recovery copies) stays here
    home = {name: str(tmp_path) for name in ("TMPDIR", "HOME", "XDG_DATA_HOME",
                                             "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    home["MPLCONFIGDIR"] = matplotlib.get_configdir()  # its font cache, not a new one
    process = subprocess.Popen([sys.executable, "-m", "workbench", str(clean_chart)],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **home})
    try:
        with pytest.raises(subprocess.TimeoutExpired):  # the window is up and waiting
            process.wait(timeout=4)
    finally:
        process.kill()
        process.communicate()


def test_output_into_a_closed_pipe_ends_quietly(tmp_path, people_csv):
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench", "import", str(people_csv), "--spec", str(spec),
         "-o", str(tmp_path / "out.wbchart")],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdout.close()  # `| head` that has already gone
    stderr = process.stderr.read()
    process.wait(timeout=60)
    assert stderr == ""
    assert len(load_chart(tmp_path / "out.wbchart").entities) == 2  # the work was done


def test_hostile_cells_of_a_spreadsheet_come_in_as_they_are(tmp_path):
    texts = [t for t in (*TEMPLATE_PAYLOADS, *MARKUP_PAYLOADS) if "\n" not in t]
    data = tmp_path / "scraped.csv"
    with open(data, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["Name"], *([t] for t in texts)])
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.replace("identity", 'label: "{Name}", identity'), encoding="utf-8")
    fine(wb("import", data, "--spec", spec, "-o", tmp_path / "out.wbchart"))
    labels = {e.label for e in load_chart(tmp_path / "out.wbchart").entities.values()}
    assert labels == set(texts)
