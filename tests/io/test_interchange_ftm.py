"""FollowTheMoney entity streams (Aleph, OpenSanctions): a real stream published with
OpenSanctions' nomenklatura (tests/data/README) checked against an independent parse with
json, and the relationship schemata, OpenSanctions' extra fields and broken lines."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.conftest import REPO
from workbench.cli import main
from workbench.io.interchange import InterchangeError, read_chart
from workbench.io.interchange.detect import sniff
from workbench.model import DatePrecision, Direction, Kind

DONATIONS = REPO / "tests" / "data" / "interchange" / "nomenklatura-donations.ijson"


def _by_ftm_id(chart):
    return {item.attributes["FtM id"].value: item
            for item in [*chart.entities.values(), *chart.links.values()]
            if "FtM id" in item.attributes}


def test_donations_stream_matches_an_independent_read():
    lines = [json.loads(line) for line in DONATIONS.read_text().splitlines()]
    payments = [e for e in lines if e["schema"] == "Payment"]
    things = [e for e in lines if e["schema"] != "Payment"]
    ids = {e["id"] for e in things}
    addresses = [(e["id"], a) for e in things for a in e["properties"].get("addressEntity", [])]
    warnings: list[str] = []
    chart = read_chart(DONATIONS, warnings)
    assert len(chart.entities) == len(things)
    assert len(chart.links) == len(payments) + sum(a in ids for _, a in addresses)
    found = _by_ftm_id(chart)
    for payment in payments:  # payer -> beneficiary, amount a number, date at day precision
        link = found[payment["id"]]
        props = payment["properties"]
        assert link.type == "Pays" and link.direction is Direction.FORWARD
        assert chart.entities[link.end1].attributes["FtM id"].value == props["payer"][0]
        assert chart.entities[link.end2].attributes["FtM id"].value == props["beneficiary"][0]
        assert link.attributes["amountEur"].value == float(props["amountEur"][0])
        assert link.date == datetime.fromisoformat(props["date"][0])
        assert link.date_precision is DatePrecision.DAY
        assert link.attributes["namesMentioned"].value == "; ".join(props["namesMentioned"])
    for thing in things:  # every property kept; schema and type
        entity = found[thing["id"]]
        assert entity.attributes["FtM schema"].value == thing["schema"]
        for name, values in thing["properties"].items():
            assert entity.attributes[name].value == "; ".join(values)
    types = {found[t["id"]].type for t in things}
    assert types == {"Person", "Organisation", "Address"}
    dachner = next(e for e in chart.entities.values() if e.label == "Frau Lina Dachner")
    [home] = [lk for lk in chart.links_of(dachner.id) if lk.type == "Lives at"]
    assert chart.entities[home.end2].label == "Schillerstraße 19, 76135 Karlsruhe, de"
    [summary] = [w for w in warnings if "relationships as links" in w]
    assert "Payment 13" in summary
    assert "3 addresses named by id but not in the file" in summary  # Daimler's and NRW's


STREAM = [
    {"id": "p1", "schema": "Person", "caption": "Anna Petrova",
     "properties": {"name": ["Anna Petrova", "Анна Петрова"], "birthDate": ["1971"]},
     "datasets": ["eu_fsf", "gb_hmt"], "target": True, "first_seen": "2023-04-20T18:00:25"},
    {"id": "p2", "schema": "Person", "properties": {"name": ["Ivan Petrov"]}},
    {"id": "c1", "schema": "Company", "properties": {"name": ["Blue Sea Ltd"],
                                                     "registrationNumber": ["007"]}},
    {"id": "v1", "schema": "Vessel", "properties": {"name": ["Aurora"], "imoNumber": ["IMO1"]}},
    {"id": "o1", "schema": "Ownership", "properties": {
        "owner": ["c1"], "asset": ["v1"], "percentage": ["75"], "startDate": ["2019-03"],
        "endDate": ["2022-11-30"]}},
    {"id": "d1", "schema": "Directorship", "properties": {
        "director": ["p1"], "organization": ["c1"], "role": ["Director"]}},
    {"id": "f1", "schema": "Family", "properties": {
        "person": ["p1"], "relative": ["p2"], "relationship": ["spouse"]}},
    {"id": "s1", "schema": "Sanction", "properties": {"entity": ["p1"], "authority": ["OFAC"]}},
    {"id": "o2", "schema": "Ownership", "properties": {"owner": ["p2"], "asset": ["zz9"]}},
    {"id": "c1", "schema": "Company", "properties": {"country": ["cy"]}},  # a fragment
]


def _write(path, objects, extra_lines=()):
    path.write_text("\n".join([*(json.dumps(o) for o in objects), *extra_lines]) + "\n",
                    encoding="utf-8")
    return path


def test_relationships_become_links_with_their_dates(tmp_path):
    warnings: list[str] = []
    chart = read_chart(_write(tmp_path / "case.ftm", STREAM), warnings)
    found = _by_ftm_id(chart)
    owns = found["o1"]
    assert (owns.type, owns.direction) == ("Owns", Direction.FORWARD)
    assert chart.entities[owns.end1].label == "Blue Sea Ltd"
    assert chart.entities[owns.end2].label == "Aurora"
    assert (owns.date, owns.date_precision) == (datetime(2019, 3, 1), DatePrecision.MONTH)
    assert owns.attributes["endDate"].value == "2022-11-30"
    assert owns.attributes["percentage"].value == 75
    directs = found["d1"]
    assert (directs.type, directs.label) == ("Directs", "Director")
    assert chart.link_type(directs).directed
    family = found["f1"]
    assert (family.type, family.label, family.direction) == ("Family", "spouse", Direction.NONE)
    # a thing naming another entity (a sanction's 'entity') is linked to it
    sanction = found["s1"]
    assert sanction.type == "Sanction" and chart.entity_type(sanction).icon == "mdi6.gavel"
    [refers] = chart.links_of(sanction.id)
    assert (refers.type, refers.label, chart.entities[refers.end2].label) == \
        ("Refers to", "entity", "Anna Petrova")
    vessel = found["v1"]
    assert (vessel.type, chart.entity_type(vessel).icon) == ("Vessel", "mdi6.ferry")
    # the owner of an asset not in the stream: a placeholder, said in the summary
    placeholder = chart.entities[found["o2"].end2]
    assert placeholder.label == "zz9" and placeholder.attributes["not in file"].value is True
    summary = warnings[-1]
    assert "1 entities named by a relationship but not in the file" in summary
    assert "Ownership 2" in summary and "Sanction, Vessel" in summary


def test_opensanctions_fields_and_fragments_are_kept(tmp_path):
    chart = read_chart(_write(tmp_path / "entities.ftm.json", STREAM))
    found = _by_ftm_id(chart)
    anna = found["p1"]
    assert anna.label == "Anna Petrova"  # OpenSanctions' caption
    assert anna.attributes["name"].value == "Anna Petrova; Анна Петрова"
    assert anna.attributes["datasets"].value == "eu_fsf; gb_hmt"
    assert anna.attributes["target"].kind is Kind.FLAG
    assert anna.attributes["first_seen"].value == "2023-04-20T18:00:25"
    assert anna.attributes["birthDate"].value == "1971"  # a date kept as FtM wrote it
    company = found["c1"]  # two fragments of one entity, merged
    assert company.attributes["country"].value == "cy"
    assert company.attributes["registrationNumber"].value == "007"  # text: zeros kept
    assert company.provenance[0].row == 3


def test_found_by_content_whatever_the_name_and_as_a_json_list(tmp_path):
    lines = _write(tmp_path / "export.json", STREAM)
    listed = tmp_path / "list.txt"
    listed.write_text(json.dumps(STREAM, indent=1), encoding="utf-8")
    assert sniff(lines) == sniff(listed) == ".ftm"
    assert len(read_chart(listed).entities) == len(read_chart(lines).entities) == 6


def test_broken_lines_are_left_out_and_named(tmp_path):
    path = _write(tmp_path / "broken.ijson", STREAM[:2],
                  ["{not json", json.dumps({"id": "x"}), json.dumps([1, 2])])
    warnings: list[str] = []
    chart = read_chart(path, warnings)
    assert len(chart.entities) == 2
    assert any("line 3" in w and "not JSON" in w for w in warnings)
    assert any("lines 4" in w or ("line 4" in w and "line 5" in w) for w in warnings)


def test_a_file_without_entities_gets_one_line(tmp_path, capsys):
    path = tmp_path / "empty.ftm"
    path.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(InterchangeError, match="no FollowTheMoney entities"):
        read_chart(path)
    assert main(["convert", str(path), str(tmp_path / "out.wbchart")]) == 2
    assert "no FollowTheMoney entities" in capsys.readouterr().err
    assert not (tmp_path / "out.wbchart").exists()


def test_convert_lays_out_a_stream(tmp_path, capsys):
    out = tmp_path / "donations.graphml"
    assert main(["convert", str(DONATIONS), str(out)]) == 0
    printed = capsys.readouterr()
    assert "laid out by force" in printed.out and "relationships as links" in printed.err
    back = read_chart(out)
    assert len(back.links) == 21
    assert len({(e.x, e.y) for e in back.entities.values()}) == len(back.entities)
