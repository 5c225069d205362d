"""Row numbers after blank lines and multi-line cells: what a spreadsheet shows, through the
real reader and importer, in provenance and in the import report."""

from __future__ import annotations

import csv

import pytest

from workbench.io.import_spec_model import SourceSpec
from workbench.io.importer import import_files
from workbench.io.importspec import parse_spec
from workbench.io.readers import read_table
from workbench.model import Chart

from .conftest import write

SPEC = """\
region: GB
entities:
  person: {type: Person, identity: "{Name}"}
  phone: {type: Phone, identity: "{Phone}"}
links:
  - {from: person, to: phone, type: Uses, direction: forward}
"""

# rows 3, 4 and 6 are blank lines; row 5 has a bad phone
BLANKS = "Name,Phone\nAna,07700 900123\n\n\nBen,not a phone\n\nCy,07700900125\n"
# row 2 is one record over three lines (a blank one inside the quotes); row 3 is blank
MULTILINE = ('Name,Phone,Note\nAna,07700 900123,"first\n\nsecond"\n\n'
             'Ben,not a phone,"a ""quoted"" word"\nCy,07700900125,x\n')


def _import(path):
    chart = Chart()
    report = import_files(parse_spec(SPEC), [path], into=chart)
    rows = {e.label: [p.row for p in e.provenance] for e in chart if e.type == "Person"}
    return chart, report, rows


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_rows_after_blank_lines_keep_their_spreadsheet_row(tmp_path, newline):
    path = write(tmp_path / "blanks.csv", BLANKS.replace("\n", newline))
    chart, report, rows = _import(path)
    assert rows == {"Ana": [2], "Ben": [5], "Cy": [7]}  # Ben kept, his phone reported
    [link] = [lk for lk in chart.links.values()
              if chart.entities[lk.end1].label == "Cy"]
    assert [p.row for p in link.provenance] == [7]
    assert [(i.row, i.column, i.value) for i in report.errors] == [(5, "Phone", "not a phone")]
    out = tmp_path / "report.csv"
    report.write_csv(out)
    with out.open(newline="", encoding="utf-8-sig") as fh:
        [row] = list(csv.DictReader(fh))
    assert (row["file"], row["row"], row["column"]) == ("blanks.csv", "5", "Phone")


def test_a_quoted_cell_over_several_lines_is_one_row(tmp_path):
    path = write(tmp_path / "multi.csv", MULTILINE)
    table = read_table(path, SourceSpec())
    assert table.frame["Note"].tolist() == ["first\n\nsecond", 'a "quoted" word', "x"]
    assert table.row_numbers.tolist() == [2, 4, 5]
    _, report, rows = _import(path)
    assert rows == {"Ana": [2], "Ben": [4], "Cy": [5]}
    assert [(i.row, i.column) for i in report.errors] == [(4, "Phone")]


def test_lines_of_spaces_leading_blank_lines_and_a_preview(tmp_path):
    path = write(tmp_path / "spaces.csv", "\n\nName,Phone\nAna,07700 900123\n  \n"
                 "Ben,not a phone\n\t\nCy,07700900125\n")
    assert read_table(path, SourceSpec()).row_numbers.tolist() == [4, 6, 8]
    assert read_table(path, SourceSpec(), nrows=2).row_numbers.tolist() == [4, 6]
    _, report, rows = _import(path)
    assert rows == {"Ana": [4], "Ben": [6], "Cy": [8]}
    assert [i.row for i in report.errors] == [6]
