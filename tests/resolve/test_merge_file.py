"""Merge records and rejected pairs in the chart file: kept across save and reopen, a
version-1 file still opens, and a hostile or damaged record is refused with one line."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import orjson
import pytest

from workbench.io import ChartFileError, load_chart, save_chart
from workbench.io.chartfile import FORMAT_VERSION, chart_bytes, load_chart_and_manifest
from workbench.io.chartrules import first_problem

from ..conftest import TEST_DATA
from .test_merge import merge_two, people_chart


def merged_members() -> dict[str, bytes]:
    chart = people_chart()
    merge_two(chart)
    chart.set_rejected("e3", "e4")
    manifest, body = chart_bytes(chart)
    return {"manifest.json": manifest, "chart.json": body}


def write(path: Path, mutate) -> Path:
    members = merged_members()
    doc = orjson.loads(members["chart.json"])
    mutate(doc)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("manifest.json", members["manifest.json"])
        z.writestr("chart.json", orjson.dumps(doc))
    return path


def test_rejected_pairs_survive_save_and_reopen(tmp_path):
    chart = people_chart()
    chart.set_rejected("e4", "e3")
    save_chart(chart, tmp_path / "c.wbchart")
    assert load_chart(tmp_path / "c.wbchart").rejected == {("e3", "e4")}


def test_a_version_1_file_opens_with_no_merges_and_saves_as_the_current_version(tmp_path):
    chart, manifest = load_chart_and_manifest(TEST_DATA / "format-v1.wbchart")
    assert manifest["format_version"] == 1 and chart.merges == [] and not chart.rejected
    save_chart(chart, tmp_path / "now.wbchart")
    assert load_chart_and_manifest(tmp_path / "now.wbchart")[1]["format_version"] == FORMAT_VERSION


def _merge(doc: dict) -> dict:
    return doc["resolution"]["merges"][0]


HOSTILE = {
    "unknown key": (lambda d: _merge(d).update(script="x"), r"unknown keys \['script'\]"),
    "verdict": (lambda d: _merge(d)["evidence"].update(name=["maybe", "?"]),
                r"evidence\.name: must be \[agree\|disagree\|missing, text\]"),
    "verdict as a list": (lambda d: _merge(d)["evidence"].update(name=[[], "x"]),
                          "evidence.name: must be"),
    "probability": (lambda d: _merge(d).update(probability=7), "7 is not from 0 to 1"),
    "date": (lambda d: _merge(d).update(at="tuesday"), "'tuesday' is not an ISO date-time"),
    "one entity": (lambda d: _merge(d).update(entities=_merge(d)["entities"][:1]),
                   "two or more different entities"),
    "survivor not first": (lambda d: _merge(d).update(entity="e9"),
                           "two or more different entities"),
    "joined entity on the chart": (lambda d: _merge(d)["entities"][1].update(id="e3"),
                                   "'e3' was joined into 'e1' but is on the chart too"),
    "bad entity inside": (lambda d: _merge(d)["entities"][1].update(x="far"),
                          r"merges\[0\]\.entities\[1\]\.x: must be a number"),
    "stray link": (lambda d: _merge(d)["links"][0].update(end1="e3", end2="e4"),
                   "touches none of the joined entities"),
    "rejected one id": (lambda d: d["resolution"].update(rejected=[["e1"]]),
                        r"rejected\[0\]: must be two different entity ids"),
    "rejected not text": (lambda d: d["resolution"].update(rejected=[[1, 2]]),
                          r"rejected\[0\]"),
    "resolution a list": (lambda d: d.update(resolution=[]),
                          "must be an object holding only merges and rejected"),
    "merges not a list": (lambda d: d["resolution"].update(merges={}),
                          "resolution.merges: must be a list"),
    "missing key": (lambda d: _merge(d).pop("by"), "'by' is missing"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_merge_records_are_refused_in_one_line(tmp_path, case):
    mutate, message = HOSTILE[case]
    path = write(tmp_path / "bad.wbchart", mutate)
    with pytest.raises(ChartFileError, match=message) as info:
        load_chart(path)
    assert "bad.wbchart" in str(info.value) and "\n" not in str(info.value)


def test_a_record_whose_entity_lost_its_position_is_not_saved(tmp_path):
    chart = people_chart()
    survivor = merge_two(chart)
    chart.merge_record(survivor).entities[1].x = math.nan
    assert "merge record 1 (e1): entity e2: position x" in first_problem(chart)
    with pytest.raises(ChartFileError, match="merge record 1"):
        save_chart(chart, tmp_path / "c.wbchart")
    assert not (tmp_path / "c.wbchart").exists()
