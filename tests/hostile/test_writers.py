"""Every writer of files against a full disk, locked-down files, formulas and control
characters, through the command line as an analyst runs it.

The full disk is real: the CLI runs in a subprocess under a file-size limit (RLIMIT_FSIZE,
which binds root too and needs no privileges; SIGXFSZ ignored) so every write past a few
kilobytes fails with EFBIG, as on a full disk; where the machine allows it, one test also
mounts a 64 KB tmpfs and fills it.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

from tests.conftest import REPO
from tests.hostile.payloads import CONTROL_PAYLOADS, FORMULA_PAYLOADS
from workbench.analysis import Field, Target, histogram
from workbench.export.chart_image import render_chart
from workbench.export.histogram_image import render_histogram
from workbench.export.spreadsheet import write_csv, write_xlsx
from workbench.io import save_chart
from workbench.io.atomic import WriteError, check_written, write_bytes
from workbench.io.import_report import ImportReport, Issue
from workbench.io.interchange import write_chart
from workbench.model import Chart, Kind, SourceRecord, Value

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX limits and modes")
LIMIT = 4096  # bytes a file may grow to in the "full disk" subprocess
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, resource.RLIM_INFINITY))
from workbench.cli import main
sys.exit(main(sys.argv[1:]))
"""


def big_chart(n: int = 120) -> Chart:
    """A chart whose every export is well over LIMIT bytes."""
    chart = Chart()
    chart.title = "Full disk"
    previous = None
    for i in range(n):
        entity = chart.make_entity("Person" if i % 2 else "Phone",
                                   f"Person {i:04d} seen in the adverts",
                                   x=(i % 12) * 90.0, y=(i // 12) * 90.0)
        if previous is not None:
            chart.make_link(previous.id, entity.id, "Knows", label=f"link {i}")
        previous = entity
    return chart


@pytest.fixture(scope="module")
def chart_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("charts") / "big.wbchart"
    save_chart(big_chart(), path)
    return path


def run_cli(args: list[str], limit: int | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONDONTWRITEBYTECODE": "1"}
    code = LIMITED.format(limit=limit) if limit else \
        "import sys\nfrom workbench.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def locked_old_files(folder: Path, names: list[str]) -> dict[str, bytes]:
    """Good files from yesterday, readable by their owner only."""
    old = {}
    for name in names:
        (folder / name).write_bytes(f"yesterday's good {name}\n".encode() * 400)
        (folder / name).chmod(0o600)
        old[name] = (folder / name).read_bytes()
    return old


def assert_untouched(folder: Path, old: dict[str, bytes]) -> None:
    assert sorted(p.name for p in folder.iterdir()) == sorted(old)  # no part file left
    for name, data in old.items():
        assert (folder / name).read_bytes() == data
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600


def one_clear_line(result: subprocess.CompletedProcess, folder: Path) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # no traceback, no "Exception ignored", no Qt noise
    assert "File too large" in lines[0]


CASES = [
    *[(["export", "{chart}", "-o", "{out}"], f"c.{s}", [f"c.{s}"])
      for s in ("png", "jpg", "svg", "pdf")],
    *[(["convert", "{chart}", "{out}"], f"c.{s}", [f"c.{s}"])
      for s in ("graphml", "gexf", "anx", "xlsx")],
    (["convert", "{chart}", "{out}"], "c.csv", ["c-entities.csv", "c-links.csv"]),
    *[(["histogram", "{chart}", "--by", "label", "-o", "{out}"], f"h.{s}", [f"h.{s}"])
      for s in ("png", "svg", "pdf", "csv")],
]


@pytest.mark.parametrize("args, out, files", CASES, ids=[c[1] for c in CASES])
def test_a_full_disk_leaves_the_old_file_and_says_so_in_one_line(chart_file, tmp_path,
                                                                 args, out, files):
    old = locked_old_files(tmp_path, files)
    command = [a.format(chart=chart_file, out=tmp_path / out) for a in args]
    one_clear_line(run_cli(command, limit=LIMIT), tmp_path)
    assert_untouched(tmp_path, old)


def test_the_same_exports_with_room_keep_the_files_private(chart_file, tmp_path):
    old = locked_old_files(tmp_path, ["c.pdf", "c.xlsx", "h.svg"])
    for command in (["export", str(chart_file), "-o", str(tmp_path / "c.pdf")],
                    ["convert", str(chart_file), str(tmp_path / "c.xlsx")],
                    ["histogram", str(chart_file), "--by", "type", "-o",
                     str(tmp_path / "h.svg")]):
        assert run_cli(command).returncode == 0
    for name in old:
        assert (tmp_path / name).read_bytes() != old[name]
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert check_written(tmp_path / "c.pdf", "pdf") == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(old)


def test_a_really_full_tmpfs(chart_file, tmp_path):
    """The defect as found: `export -o c.pdf` on a full disk said "wrote (0 bytes)"."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs",
                                            str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        target = disk / "c.pdf"
        target.write_bytes(b"%PDF-1.4 yesterday's chart\n%%EOF\n")
        target.chmod(0o600)
        filler = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            with pytest.raises(OSError):
                while True:
                    os.write(filler, b"x" * 4096)
        finally:
            os.close(filler)
        result = run_cli(["export", str(chart_file), "-o", str(target)])
        assert result.returncode == 2 and "No space left on device" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert target.read_bytes() == b"%PDF-1.4 yesterday's chart\n%%EOF\n"
        assert sorted(p.name for p in disk.iterdir()) == ["c.pdf", "filler"]
    finally:
        subprocess.run(["umount", str(disk)], check=False)


# ----- what a write is checked for ------------------------------------------------------------
@pytest.mark.parametrize("kind, data, problem", [
    ("pdf", b"", "nothing was written"),
    ("pdf", b"%PDF-1.7\n1 0 obj\n<<", "incomplete"),
    ("png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "incomplete"),
    ("jpg", b"GIF89a", "not a JPG"),
    ("xml", b'<?xml version="1.0"?>\n<graphml>\n  <graph>\n', "incomplete"),
    ("zip", b"PK\x03\x04 cut short", "incomplete"),
])
def test_a_cut_short_file_never_replaces_a_good_one(tmp_path, kind, data, problem):
    target = tmp_path / f"good.{kind}"
    target.write_bytes(b"good")
    with pytest.raises(WriteError) as failed:
        write_bytes(target, data, kind=kind)
    assert problem in str(failed.value) and "unchanged" in str(failed.value)
    assert target.read_bytes() == b"good" and os.listdir(tmp_path) == [target.name]


def test_a_killed_writer_leaves_nothing_after_the_next_write(tmp_path):
    """kill -9 in the middle of an export: its part file goes at the next export of the same
    file (investigation data does not linger in hidden files); another running writer's
    part file stays."""
    target = tmp_path / "victims.xlsx"
    code = ("import sys, time\nfrom workbench.io.atomic import atomic_path\n"
            "with atomic_path(sys.argv[1]) as part:\n"
            "    open(part, 'wb').write(b'secret' * 1000)\n"
            "    print(part, flush=True)\n    time.sleep(60)\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    killed = subprocess.Popen([sys.executable, "-c", code, str(target)], env=env,
                              stdout=subprocess.PIPE, text=True)
    running = subprocess.Popen([sys.executable, "-c", code, str(target)], env=env,
                               stdout=subprocess.PIPE, text=True)
    try:
        left = Path(killed.stdout.readline().strip())
        alive = Path(running.stdout.readline().strip())
        killed.kill()
        killed.wait()
        assert left.exists() and stat.S_IMODE(left.stat().st_mode) == 0o600
        write_xlsx(big_chart(3), target)
        assert not left.exists() and alive.exists()
    finally:
        running.kill()
        running.wait()
        killed.stdout.close()
        running.stdout.close()
    write_xlsx(big_chart(3), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["victims.xlsx"]


# ----- spreadsheets ---------------------------------------------------------------------------
def formula_chart() -> Chart:
    chart = Chart()
    for text in FORMULA_PAYLOADS:
        chart.make_entity("Person", text, attributes={"note": Value(Kind.TEXT, text)})
    return chart


def cells_as_split(raw: str) -> list[str]:
    """Every cell any program could make of the CSV: read with quotes honoured by the comma,
    and split at a comma, semicolon or tab as a program in another locale would."""
    cells = [c for row in csv.reader(io.StringIO(raw)) for c in row]
    for separator in (",", ";", "\t"):
        cells += [c for line in raw.splitlines() for c in line.split(separator)]
    return cells


def test_no_csv_cell_is_a_formula_in_any_locale(tmp_path):
    entities, _links = write_csv(formula_chart(), tmp_path / "out.csv")
    raw = entities.read_text(encoding="utf-8-sig")
    for cell in cells_as_split(raw):
        assert not cell.lstrip(' "').startswith(FORMULA_STARTS), repr(cell)
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert {r["Label"] for r in rows} >= {"'=1+1", "x;'=1+1;", "x,'=1+1,"}


def test_histogram_csv_follows_the_same_rule(tmp_path):
    render_histogram(histogram(formula_chart(), Field("label", Target.ENTITIES)),
                     tmp_path / "h.csv")
    for cell in cells_as_split((tmp_path / "h.csv").read_text(encoding="utf-8-sig")):
        assert not cell.lstrip(' "').startswith(FORMULA_STARTS), repr(cell)


def test_import_report_csv_follows_the_same_rule(tmp_path):
    report = ImportReport(issues=[Issue("calls.csv", "", i + 2, "Phone", text, "not a phone")
                                  for i, text in enumerate(FORMULA_PAYLOADS)])
    report.write_csv(tmp_path / "report.csv")
    for cell in cells_as_split((tmp_path / "report.csv").read_text(encoding="utf-8-sig")):
        assert not cell.lstrip(' "').startswith(FORMULA_STARTS), repr(cell)


def test_xlsx_text_is_text_exactly_as_it_was(tmp_path):
    path = tmp_path / "out.xlsx"
    write_xlsx(formula_chart(), path)
    sheet = load_workbook(path)["Entities"]
    header = [c.value for c in sheet[1]]
    labels = [row[header.index("Label")] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in labels] == list(FORMULA_PAYLOADS)  # '+4477...' still matches
    assert all(c.data_type == "s" and c.number_format == "@" for c in labels
               if c.value.startswith(FORMULA_STARTS))
    with zipfile.ZipFile(path) as archive:  # what Excel reads: strings, no formula element
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and b"<f " not in xml and b't="inlineStr"' in xml


def test_xlsx_dates_with_a_time_zone_are_written_in_utc_and_say_so(tmp_path):
    chart = Chart()
    plus_two = timezone(timedelta(hours=2))
    chart.make_entity("Person", "Anna", date=datetime(2024, 3, 1, 10, 0, tzinfo=plus_two),
                      attributes={"seen": Value(Kind.DATETIME,
                                                datetime(2024, 3, 1, 23, 30, tzinfo=UTC))})
    chart.make_entity("Person", "Olek", date=datetime(2024, 3, 2, 9, 0))  # no zone: as it is
    path = tmp_path / "dates.xlsx"
    write_xlsx(chart, path)
    sheet = load_workbook(path)["Entities"]
    header = [c.value for c in sheet[1]]
    anna, olek = ({h: c for h, c in zip(header, row, strict=True)}
                  for row in sheet.iter_rows(min_row=2))
    assert anna["Date"].value == datetime(2024, 3, 1, 8, 0)
    assert anna["Date"].number_format.endswith('"UTC"')
    assert anna["seen"].value == datetime(2024, 3, 1, 23, 30)
    assert olek["Date"].value == datetime(2024, 3, 2, 9, 0)
    assert "UTC" not in olek["Date"].number_format


# ----- control characters in every XML writer --------------------------------------------------
def control_chart() -> Chart:
    chart = Chart()
    everything = " ".join(CONTROL_PAYLOADS)
    chart.title = chart.marking = chart.description = chart.author = everything
    previous = None
    for i, text in enumerate(CONTROL_PAYLOADS):
        entity = chart.make_entity(
            "Person", text, identity=text, x=i * 90.0,
            attributes={text: Value(Kind.TEXT, text)},
            provenance=[SourceRecord(source=text, file=f"{text}.csv", row=i + 1)])
        if previous is not None:
            chart.make_link(previous.id, entity.id, "Knows", label=text)
        previous = entity
    return chart


XML_WRITERS = {
    "c.graphml": lambda chart, path: write_chart(chart, path),
    "c.gexf": lambda chart, path: write_chart(chart, path),
    "c.anx": lambda chart, path: write_chart(chart, path),
    "c.xlsx": write_xlsx,
    "c.svg": render_chart,
    "h.svg": lambda chart, path: render_histogram(
        histogram(chart, Field("label", Target.ENTITIES)), path, subtitle=chart.title),
}


@pytest.mark.parametrize("name", list(XML_WRITERS))
def test_control_characters_give_valid_xml(tmp_path, name):
    path = tmp_path / name
    XML_WRITERS[name](control_chart(), path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    if name.endswith(".xlsx"):
        with zipfile.ZipFile(path) as archive:
            parts = [archive.read(n) for n in archive.namelist() if n.endswith(".xml")]
    else:
        parts = [path.read_bytes()]
    text = ""
    for data in parts:
        text += " ".join(etree.fromstring(data, parser).itertext())
        text += " ".join(str(v) for e in etree.fromstring(data, parser).iter()
                         for v in e.attrib.values())
    for visible in ("bell", "here", "escape", "feed", "reversed"):
        assert visible in text  # the text is kept, only the control characters replaced


# ----- malformed chart fields reaching a writer ------------------------------------------------
@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".anx"])
def test_a_colour_that_is_not_rrggbb_is_one_line(tmp_path, suffix):
    """A chart file cannot hold such a colour (save and load refuse it); a chart made in
    Python can, and the writers refuse it in one line naming the item, writing nothing."""
    from workbench.io.interchange.common import InterchangeError
    from workbench.model.items import Style

    chart = big_chart(2)
    first = next(iter(chart.entities.values()))
    first.style = Style(colour="red")
    with pytest.raises(InterchangeError) as refused:
        write_chart(chart, tmp_path / f"c{suffix}")
    assert str(refused.value) == (f"entity {first.id} ({first.label!r}): colour 'red' is "
                                  "not #rrggbb")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("anx", ["icons", {"icons": "Person"}, {"icons": {"Person": [1]}}])
def test_malformed_anx_settings_do_not_stop_the_export(tmp_path, anx):
    chart = big_chart(2)
    chart.settings = {"anx": anx}
    write_chart(chart, tmp_path / "c.anx")
    icons = etree.parse(str(tmp_path / "c.anx")).findall(".//EntityType")
    assert {e.get("IconFile") for e in icons} == {"Person", "Phone"}  # i2's standard icons
