"""Hostile files and targets through every ``workbench`` command (issue 11's proof for the
command line; hostile text as data is in test_cli.py).

YAML bombs, repeated keys and deep nesting in specs and report templates, chart-file bombs,
and targets that cannot be written (missing and read-only folders, a full disk) must end in
one line on standard error naming the file, exit code 2, no traceback and the old output
untouched.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.hostile.cli_run import (
    SAMPLE,
    SPEC,
    Run,
    fine,
    refused,
    wb,
    wb_process,
)

# ----- hostile YAML: specs and report templates ----------------------------------------------
#: The 1 KB alias bomb of issue 11: 9**9 strings once expanded (gigabytes).
ALIAS_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True))
DEEP = "[" * 5_000 + "]" * 5_000
HOSTILE_YAML = {
    "alias bomb": (ALIAS_BOMB, 1, "anchor &a refused"),
    "deep nesting": (DEEP, 1, "nested more than"),
    "repeated key": (SPEC + "entities: {}\n", 3, "duplicate key 'entities'"),
}


@pytest.mark.parametrize("case", HOSTILE_YAML)
def test_hostile_specs_are_refused_in_one_line_and_nothing_is_written(tmp_path, people_csv,
                                                                       case):
    text, line, problem = HOSTILE_YAML[case]
    spec, out = tmp_path / "spec.yaml", tmp_path / "out.wbchart"
    spec.write_text(text, encoding="utf-8")
    out.write_bytes(b"the analyst's chart")
    message = refused(wb("import", people_csv, "--spec", spec, "-o", out), spec, problem)
    assert f"(line {line})" in message
    assert out.read_bytes() == b"the analyst's chart"


@pytest.mark.parametrize("case", HOSTILE_YAML)
def test_hostile_report_templates_are_refused_and_the_old_report_kept(tmp_path, case):
    text, line, problem = HOSTILE_YAML[case]
    template, out = tmp_path / "weekly.yaml", tmp_path / "report.pdf"
    template.write_text(text.replace("entities", "sections"), encoding="utf-8")
    out.write_bytes(b"last week's report")
    message = refused(wb("report", SAMPLE, "-o", out, "--template", template),
                      "weekly.yaml", problem.replace("entities", "sections"))
    assert f"(line {line})" in message
    assert out.read_bytes() == b"last week's report"


def test_the_alias_bomb_is_refused_by_the_real_command(tmp_path, people_csv):
    """A real process (exit code, no traceback); figures in benchmarks/bench_hostile_yaml.py."""
    spec = tmp_path / "bomb.yaml"
    spec.write_text(ALIAS_BOMB, encoding="utf-8")
    result = wb_process("import", people_csv, "--spec", spec, "-o", tmp_path / "x.wbchart")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"workbench import: {spec} (line 1): anchor &a refused: anchors and aliases "
        "(&name, *name) are not allowed in this file; write the value out"]
    assert not (tmp_path / "x.wbchart").exists()


@pytest.mark.parametrize("spec_is, reason", [
    ("missing", "(No such file or directory)"),
    ("a folder", "(Is a directory)"),
    ("not UTF-8", "(not UTF-8 text: invalid start byte at byte 3)"),
])
def test_a_spec_that_cannot_be_read_is_refused_in_one_line(tmp_path, people_csv, spec_is,
                                                          reason):
    spec = tmp_path / "spec.yaml"
    if spec_is == "a folder":
        spec.mkdir()
    elif spec_is == "not UTF-8":
        spec.write_bytes(b"a: \xff\n")
    line = refused(wb("import", people_csv, "--spec", spec, "-o", tmp_path / "o.wbchart"))
    assert line == f"workbench import: {spec}: cannot read the import specification {reason}"


# ----- targets that cannot be written ----------------------------------------------------------
def _writers(chart: Path, spec: Path, data: Path, out: Path, scratch: Path) -> dict:
    """Every command that writes, with OUT as (one of) its outputs."""
    return {
        "import -o": ("import", data, "--spec", spec, "-o", out.with_suffix(".wbchart")),
        "import --report": ("import", data, "--spec", spec, "-o", scratch / "ok.wbchart",
                            "--report", out.with_suffix(".csv")),
        "export": ("export", chart, "-o", out.with_suffix(".png"), "--width", "200"),
        "histogram": ("histogram", chart, "--by", "type", "-o", out.with_suffix(".csv")),
        "analyse": ("analyse", chart, "--measure", "degree", "-o", out.with_suffix(".wbchart")),
        "map html": ("map", chart, "-o", out.with_suffix(".html")),
        "map png": ("map", chart, "-o", out.with_suffix(".png"), "--dpi", "20"),
        "convert": ("convert", chart, out.with_suffix(".graphml")),
        "convert xlsx": ("convert", chart, out.with_suffix(".xlsx")),
        "report": ("report", chart, "-o", out.with_suffix(".docx")),
        "report --save-template": ("report", chart, "-o", scratch / "ok.docx",
                                   "--save-template", out.with_suffix(".yaml")),
    }


WRITER_CASES = list(_writers(*[Path("x")] * 5))
@pytest.mark.parametrize("case", WRITER_CASES)
@pytest.mark.parametrize("where", ["missing folder", "read-only folder"])
def test_unwritable_targets_end_in_one_line_naming_the_file(clean_chart, people_csv, tmp_path,
                                                             request, case, where):
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    folder = tmp_path / "no" / "such" if where == "missing folder" else \
        request.getfixturevalue("readonly_folder")
    args = _writers(clean_chart, spec, people_csv, folder / "out", tmp_path)[case]
    target = next(a for a in args if isinstance(a, Path) and a.parent == folder)
    refused(wb(*args), target)


# ----- a full disk ---------------------------------------------------------------------------
#: Runs each case of argv[1] (a JSON object of name -> arguments) with files limited to
#: argv[2] bytes: a write past it fails with EFBIG as a full disk fails with ENOSPC, in this
#: one process only. Prints a JSON object of name -> [exit code, stderr].
FULL_DISK_RUNNER = """
import contextlib, gc, io, json, resource, sys, traceback, warnings
from workbench.cli import main
resource.setrlimit(resource.RLIMIT_FSIZE,
                   (int(sys.argv[2]), resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
warnings.simplefilter("ignore")
results = {}
for name, args in json.loads(sys.argv[1]).items():
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(args)
        except SystemExit as exc:
            code = exc.code
        except BaseException:
            err.write(traceback.format_exc())
            code = "traceback"
        gc.collect()  # "Exception ignored" from a writer's finaliser shows here
    results[name] = [code, err.getvalue()]
print(json.dumps(results))
"""
FULL_DISK_LIMIT = 600
OLD = b"the good file from yesterday"


def _full_disk_cases(chart: Path, routes: Path, spec: Path, data: Path, out: Path) -> dict:
    return {
        "import -o": ("import", data, "--spec", spec, "-o", out / "chart.wbchart"),
        "import --report": ("import", data, "--spec", spec, "-o", out / "x" / "c.wbchart",
                            "--report", out / "rejected.csv"),
        "export png": ("export", chart, "-o", out / "chart.png", "--width", "300"),
        "export svg": ("export", chart, "-o", out / "chart.svg"),
        "export pdf": ("export", chart, "-o", out / "chart.pdf"),
        "histogram csv": ("histogram", chart, "--by", "label", "-o", out / "labels.csv"),
        "histogram png": ("histogram", chart, "--by", "label", "-o", out / "labels.png"),
        "analyse": ("analyse", chart, "--measure", "degree", "-o", out / "measured.wbchart"),
        "map html": ("map", routes, "-o", out / "map.html"),
        "map png": ("map", routes, "-o", out / "map.png", "--dpi", "20"),
        "convert wbchart": ("convert", chart, out / "copy.wbchart"),
        "convert graphml": ("convert", chart, out / "chart.graphml"),
        "convert gexf": ("convert", chart, out / "chart.gexf"),
        "convert anx": ("convert", chart, out / "chart.anx"),
        "convert xlsx": ("convert", chart, out / "chart.xlsx"),
        "report pdf": ("report", chart, "-o", out / "report.pdf"),
        "report docx": ("report", chart, "-o", out / "report.docx"),
    }


@pytest.fixture(scope="module")
def full_disk(tmp_path_factory, hostile, clean_chart) -> tuple[dict, Path, dict]:
    """Every writing command run once in one process on a 'full disk', over old files."""
    root = tmp_path_factory.mktemp("full")
    out, data, spec = root / "out", root / "calls.csv", root / "spec.yaml"
    out.mkdir()
    (out / "x").mkdir()
    data.write_text("Phone\n" + "".join(f"not a phone number {i}\n" for i in range(40)) +
                    "".join(f"+44 7700 900{i:03d}\n" for i in range(40)), encoding="utf-8")
    spec.write_text('entities:\n  p: {type: Phone, identity: "{Phone}"}\n', encoding="utf-8")
    cases = _full_disk_cases(hostile.chart, clean_chart, spec, data, out)
    targets = {name: next(a for a in args if isinstance(a, Path) and out in a.parents
                          and a.parent == out) for name, args in cases.items()}
    for target in targets.values():
        target.write_bytes(OLD)
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK_RUNNER,
         json.dumps({n: [str(a) for a in args] for n, args in cases.items()}),
         str(FULL_DISK_LIMIT)],
        capture_output=True, text=True, cwd=REPO, timeout=240)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1]), out, targets


@pytest.mark.parametrize("case", list(_full_disk_cases(*[Path("x")] * 5)))
def test_a_full_disk_keeps_the_old_file_and_says_so_in_one_line(full_disk, case):
    results, out, targets = full_disk
    code, err = results[case]
    refused(Run(code, "", err), targets[case].name)
    assert targets[case].read_bytes() == OLD
    name = targets[case].name
    assert [p.name for p in out.iterdir() if name in p.name] == [name]  # no part file left


# ----- hostile chart files (their checks belong to the chart-file readers) -------------------
def _chart_file(path: Path, chart_json: bytes) -> Path:
    manifest = {"format": "workbench-chart", "format_version": 1, "app": "Workbench",
                "app_version": "0", "saved_at": "2026-01-01T00:00:00+00:00"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("chart.json", chart_json)
    return path


def _chart_json(**changes: object) -> dict:
    return {"title": "t", "description": "", "marking": "", "author": "",
            "created": "2026-01-01T00:00:00+00:00", "modified": "2026-01-01T00:00:00+00:00",
            "region": "GB", "types": {"entity_types": [], "link_types": []}, "settings": {},
            "entities": [{"id": "e1", "type": "Person", "label": "A", "x": 0.0, "y": 0.0}],
            "links": [], **changes}


def test_the_chart_file_helper_makes_a_chart_that_opens(tmp_path):
    fine(wb("info", _chart_file(tmp_path / "ok.wbchart", json.dumps(_chart_json()).encode())))


def test_settings_nested_too_deep_are_refused_in_one_line(tmp_path):
    deep = '{"a":' * 1_100 + "{}" + "}" * 1_100  # too deep for json.dumps to write
    text = json.dumps(_chart_json(settings="DEEP")).replace('"DEEP"', deep)
    path = _chart_file(tmp_path / "deep.wbchart", text.encode())
    refused(wb("info", path), "deep.wbchart")


def test_a_colour_that_is_not_a_colour_is_refused_in_one_line(tmp_path):
    entity = {"id": "e1", "type": "Person", "label": "A", "x": 0.0, "y": 0.0,
              "style": {"colour": "{{ 7*7 }}"}}
    path = _chart_file(tmp_path / "colour.wbchart",
                       json.dumps(_chart_json(entities=[entity])).encode())
    run = wb("export", path, "-o", tmp_path / "c.png", "--width", "100")
    refused(run, "colour.wbchart")


def test_nan_positions_from_graphml_never_make_a_chart_that_cannot_reopen(tmp_path):
    graphml = tmp_path / "nan.graphml"
    graphml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="x" for="node" attr.name="x" attr.type="double"/>'
        '<key id="y" for="node" attr.name="y" attr.type="double"/>'
        '<graph edgedefault="directed"><node id="a"><data key="x">NaN</data>'
        '<data key="y">Infinity</data></node><node id="b"/>'
        '<edge source="a" target="b"/></graph></graphml>', encoding="utf-8")
    out = tmp_path / "nan.wbchart"
    run = wb("convert", graphml, out)
    if run.code == 2:
        refused(run, "nan.graphml")
    else:
        fine(run)
        fine(wb("info", out))


def test_a_chart_file_bomb_is_refused_in_one_line(tmp_path):
    """chart.json declares 256 MB (mostly spaces, so it packs to a few hundred KB)."""
    path = tmp_path / "bomb.wbchart"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("manifest.json", json.dumps({
            "format": "workbench-chart", "format_version": 1, "app": "Workbench",
            "app_version": "0", "saved_at": "2026-01-01T00:00:00+00:00"}))
        with z.open("chart.json", "w", force_zip64=True) as member:
            member.write(json.dumps(_chart_json()).encode())
            block = b" " * (1 << 20)
            for _ in range(256):
                member.write(block)
    result = wb_process("info", path)
    refused(Run(result.returncode, result.stdout, result.stderr), "bomb.wbchart")
