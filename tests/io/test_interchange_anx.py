"""i2 Analyst's Notebook ANX: the real sample in, our own files out and back, and what an i2
user sees once i2 has dropped everything it does not know."""

from __future__ import annotations

from datetime import datetime

import pytest
from lxml import etree

from tests.conftest import REPO
from workbench.io import load_chart
from workbench.io.interchange import InterchangeError, read_chart, write_chart
from workbench.io.interchange.anx_format import bgr_int, colour_from_bgr
from workbench.model import Direction, Kind, Strength

SAMPLE = REPO / "sample_charts" / "nov13-network.wbchart"


def test_the_real_sample_matches_an_independent_xml_read(real_data):
    path = real_data / "i2_sample_chart.anx"
    chart = read_chart(path)
    tree = etree.parse(str(path))
    entity_items = tree.findall("ChartItemCollection/ChartItem[End]")
    link_items = tree.findall("ChartItemCollection/ChartItem[Link]")
    assert len(chart.entities) == len(entity_items) == 4
    assert len(chart.links) == len(link_items) == 3
    first = entity_items[0]
    entity = next(e for e in chart.entities.values() if e.label == first.get("Label"))
    assert entity.type == first.find("End/Entity/Icon/IconStyle").get("Type") == "PersonFirst"
    assert (entity.x, entity.y) == (float(first.find("End").get("X")),
                                    float(first.find("End").get("Y")))
    assert entity.attributes["Description"].value == first.get("Description")
    assert entity.attributes["i2 identity"].value == "First entity identity"
    assert entity.provenance[0].file == "i2_sample_chart.anx"
    # Entity types keep their i2 icon name for the way back, and get a Workbench icon.
    assert chart.settings["anx"]["icons"]["Plane"] == "Terminal"
    assert chart.entity_type("Train").icon == "mdi6.train"
    # Links: arrows, strengths by the chart's own strength ids, types and their colours.
    for item, link in zip(link_items, chart.links.values(), strict=True):
        style = item.find("Link/LinkStyle")
        assert link.label == item.get("Label")
        arrow = {"ArrowOnHead": Direction.FORWARD, "ArrowOnTail": Direction.REVERSE,
                 "ArrowOnBoth": Direction.BOTH}.get(style.get("ArrowStyle"), Direction.NONE)
        assert link.direction is arrow
        assert link.type == style.get("Type")
    strengths = {lk.strength for lk in chart.links.values()}
    assert Strength.UNCONFIRMED in strengths  # "Dashed" strength id, named Unconfirmed
    assert chart.link_type("Fly").colour == "#ff0000"  # COLORREF 255 is red


def test_colours_are_windows_colorref():
    assert bgr_int("#ff0000") == 255
    assert bgr_int("#0000ff") == 16711680
    assert colour_from_bgr("32768", "x") == "#008000"
    with pytest.raises(InterchangeError, match="outside"):
        colour_from_bgr("-1", "x")


def test_round_trip_of_a_chart_using_every_field(rich_chart, tmp_path):
    path = tmp_path / "chart.anx"
    write_chart(rich_chart, path)
    assert read_chart(path) == rich_chart


def test_round_trip_of_the_sample_chart(tmp_path):
    chart = load_chart(SAMPLE)
    path = tmp_path / "nov13.anx"
    write_chart(chart, path)
    assert read_chart(path) == chart


def test_the_real_sample_survives_export_and_import(real_data, tmp_path):
    chart = read_chart(real_data / "i2_sample_chart.anx")
    path = tmp_path / "again.anx"
    write_chart(chart, path)
    again = read_chart(path)
    assert again == chart
    # The i2 icon names go back out as they came in.
    icons = {t.get("Name"): t.get("IconFile")
             for t in etree.parse(str(path)).iterfind("EntityTypeCollection/EntityType")}
    assert icons["Plane"] == "Terminal" and icons["PersonFirst"] == "Prisoff"


def _as_i2_resaves_it(path):
    """i2 keeps its own fields and drops our processing instruction."""
    tree = etree.parse(str(path))
    for pi in tree.getroot().xpath("processing-instruction()"):
        tree.getroot().remove(pi)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def test_what_i2_sees_without_the_workbench_extra(rich_chart, tmp_path):
    path = tmp_path / "chart.anx"
    write_chart(rich_chart, path)
    _as_i2_resaves_it(path)
    back = read_chart(path)
    assert len(back.entities) == len(rich_chart.entities)
    assert len(back.links) == len(rich_chart.links)
    anna = next(e for e in back.entities.values() if e.label == "Anna Kowalska")
    assert anna.type == "Person"
    assert (anna.x, anna.y) == (round(-120.25), round(40.5))  # i2 positions are whole
    assert anna.date == datetime(2016, 3, 4)
    assert anna.attributes["age"] == rich_chart.entities["e1"].attributes["age"]
    assert anna.attributes["first seen"].kind is Kind.DATETIME
    assert anna.attributes["minor"].kind is Kind.FLAG
    assert anna.attributes["phone"].value == "+447700900123"
    # The first source with its grades: reliability A, credibility 1, handling P.
    source = anna.provenance[0]
    assert (source.reliability, source.credibility, source.handling) == ("A", "1", "P")
    assert "Court record" in source.source and "court.xlsx" in source.source
    recruits = next(lk for lk in back.links.values() if lk.type == "Recruits")
    assert recruits.direction is Direction.REVERSE
    assert recruits.strength is Strength.TENTATIVE
    assert recruits.date == datetime(2015, 11, 13, 21, 20)
    assert recruits.attributes["amount"].value == -2500.5
    assert back.link_type("Recruits").colour == "#123456"
    lives = next(lk for lk in back.links.values() if lk.type == "Lives at")
    assert (lives.direction, lives.strength) == (Direction.BOTH, Strength.UNCONFIRMED)
    assert lives.style.colour == "#00aa00"
    phone = next(e for e in back.entities.values() if e.type == "Phone")
    assert phone.style.colour == "#ff00ff"  # IconShadingColour
    # Identity as the analyst saw it: no 'i2 identity' attribute added on the way back, and
    # each entity keeps its identity.
    assert not any("i2 identity" in e.attributes for e in back.entities.values())
    assert {(e.type, e.identity) for e in back.entities.values()} == \
        {(e.type, e.identity) for e in rich_chart.entities.values()}


def test_exported_file_has_the_i2_structure(rich_chart, tmp_path):
    path = tmp_path / "chart.anx"
    write_chart(rich_chart, path)
    root = etree.parse(str(path)).getroot()
    assert root.tag == "Chart"
    assert {s.get("Name") for s in root.iterfind("StrengthCollection/Strength")} == {
        "Confirmed", "Unconfirmed", "Tentative"}
    classes = {c.get("Name"): c.get("Type")
               for c in root.iterfind("AttributeClassCollection/AttributeClass")}
    assert classes["age"] == "AttNumber" and classes["first seen"] == "AttTime"
    assert classes["minor"] == "AttFlag" and classes["phone"] == "AttText"
    grades = [s.get("Text") for s in root.iterfind("GradeOne/StringCollection/String")]
    assert grades[1].startswith("A")
    ends = {(lk.get("End1Id"), lk.get("End2Id")) for lk in root.iterfind(".//Link")}
    assert len(ends) == len(rich_chart.links) - 1  # two links share their ends


def test_a_link_to_a_missing_entity_is_refused_with_file_and_line(tmp_path):
    path = tmp_path / "bad.anx"
    path.write_text('<?xml version="1.0"?>\n<Chart>\n<ChartItemCollection>\n'
                    '<ChartItem Label="x"><Link End1Id="1" End2Id="2"/></ChartItem>\n'
                    '</ChartItemCollection></Chart>')
    with pytest.raises(InterchangeError, match=r"bad\.anx, line 4: link refers to entity '1'"):
        read_chart(path)


def test_a_file_that_is_not_anx_is_refused(tmp_path):
    path = tmp_path / "x.anx"
    path.write_text('<?xml version="1.0"?><svg/>')  # (a GraphML file is read as one)
    with pytest.raises(InterchangeError, match="not an i2 ANX chart"):
        read_chart(path)


def test_id_reference_linking_and_other_representations(tmp_path):
    """i2 charts saved with IdReferenceLinking refer to types, strengths and attribute classes
    by Id; entities may be drawn as boxes instead of icons."""
    path = tmp_path / "refs.anx"
    path.write_text(
        '<?xml version="1.0"?>\n<Chart IdReferenceLinking="true">\n'
        '<StrengthCollection><Strength Id="S1" Name="Tentative" DotStyle="DotStyleDotted"/>'
        '</StrengthCollection>\n'
        '<AttributeClassCollection><AttributeClass Id="A1" Name="Amount" Type="AttNumber"/>'
        '</AttributeClassCollection>\n'
        '<EntityTypeCollection><EntityType Id="T1" Name="Account" IconFile="Account"/>'
        '<EntityType Id="T2" Name="Bank" IconFile="Bank"/></EntityTypeCollection>\n'
        '<LinkTypeCollection><LinkType Id="L1" Name="Transfer" Colour="255"/>'
        '</LinkTypeCollection>\n<ChartItemCollection>\n'
        '<ChartItem Label="Acc 1"><End X="1" Y="2"><Entity EntityId="a"><Icon>'
        '<IconStyle TypeReference="T1"/></Icon></Entity></End></ChartItem>\n'
        '<ChartItem Label="Bank X"><End X="5" Y="6"><Entity EntityId="b"><Box>'
        '<BoxStyle TypeReference="T2"/></Box></Entity></End></ChartItem>\n'
        '<ChartItem Label="pays"><Link End1Id="a" End2Id="b"><LinkStyle ArrowStyle="ArrowOnHead" '
        'StrengthReference="S1" TypeReference="L1"/></Link><AttributeCollection>'
        '<Attribute AttributeClassReference="A1" Value="1500.25"/></AttributeCollection>'
        '</ChartItem>\n</ChartItemCollection></Chart>\n')
    chart = read_chart(path)
    types = {e.label: e.type for e in chart.entities.values()}
    assert types == {"Acc 1": "Account", "Bank X": "Bank"}
    link = next(iter(chart.links.values()))
    assert link.type == "Transfer" and link.strength is Strength.TENTATIVE
    assert link.direction is Direction.FORWARD
    assert link.attributes["Amount"].value == 1500.25


def test_the_identity_i2_shows_is_what_the_analyst_typed(rich_chart, tmp_path):
    path = tmp_path / "chart.anx"
    write_chart(rich_chart, path)
    shown = {e.getparent().getparent().get("Label"): e.get("Identity")
             for e in etree.parse(str(path)).iterfind(".//Entity")}
    assert shown["Anna Kowalska"] == "Anna Kowalska"  # not the key 'anna kowalska'


def test_schema_reference_attributes_are_read(tmp_path):
    """The i2 schema's reference style (what anxwritter and i2 write with IdReferenceLinking):
    types by EntityTypeReference / LinkTypeReference, link ends by End1Reference /
    End2Reference naming the entities' chart item Ids."""
    path = tmp_path / "schema-refs.anx"
    path.write_text(
        '<?xml version="1.0"?>\n<Chart IdReferenceLinking="true">\n'
        '<EntityTypeCollection><EntityType Id="ET1" Name="Account" IconFile="Account"/>'
        '</EntityTypeCollection>\n'
        '<LinkTypeCollection><LinkType Id="LT1" Name="Transfer" Colour="255"/>'
        '</LinkTypeCollection>\n<ChartItemCollection>\n'
        '<ChartItem Id="CI1" Label="Acc 1"><End X="1" Y="2"><Entity EntityId="a"><Icon>'
        '<IconStyle EntityTypeReference="ET1"/></Icon></Entity></End></ChartItem>\n'
        '<ChartItem Id="CI2" Label="Acc 2"><End X="5" Y="6"><Entity EntityId="b"><Icon>'
        '<IconStyle EntityTypeReference="ET1"/></Icon></Entity></End></ChartItem>\n'
        '<ChartItem Id="CI3" Label="pays"><Link End1Reference="CI2" End2Reference="CI1">'
        '<LinkStyle ArrowStyle="ArrowOnHead" LinkTypeReference="LT1"/></Link></ChartItem>\n'
        '<ChartItem Id="CI4" Label="bad"><Link End1Reference="CI2" End2Reference="CI9">'
        '<LinkStyle LinkTypeReference="LT1"/></Link></ChartItem>\n'
        '</ChartItemCollection></Chart>\n')
    with pytest.raises(InterchangeError, match="line 9: link refers to entity 'CI9'"):
        read_chart(path)
    text = path.read_text().splitlines()
    path.write_text("\n".join(text[:8] + text[9:]))
    chart = read_chart(path)
    assert {e.type for e in chart.entities.values()} == {"Account"}
    [link] = chart.links.values()
    labels = {e.id: e.label for e in chart.entities.values()}
    assert (labels[link.end1], labels[link.end2]) == ("Acc 2", "Acc 1")
    assert link.type == "Transfer" and chart.link_type("Transfer").colour == "#ff0000"


def test_items_that_are_not_entities_or_links_are_reported_not_dropped(tmp_path):
    path = tmp_path / "text.anx"
    path.write_text(
        '<?xml version="1.0"?>\n<Chart>\n<ChartItemCollection>\n'
        '<ChartItem Label="A"><End X="0" Y="0"><Entity EntityId="1"><Icon>'
        '<IconStyle Type="Person"/></Icon></Entity></End></ChartItem>\n'
        '<ChartItem Label="Note to the reader"><End X="5" Y="5"><Label/></End></ChartItem>\n'
        '</ChartItemCollection></Chart>\n')
    warnings: list[str] = []
    chart = read_chart(path, warnings)
    assert len(chart.entities) == 1
    assert warnings == ["text.anx: 1 chart item(s) that are neither entities nor links "
                        "(free text, theme lines) were not imported, at line(s) 5"]


ROUTES = REPO / "sample_charts" / "trafficking-routes.wbchart"


def _workbench_pis(path):
    return etree.parse(str(path)).getroot().xpath("processing-instruction('workbench-chart')")


def test_the_routes_sample_reopens_from_its_own_anx(tmp_path):
    """Its Workbench block is 15.6 MB, over the 10 MB an XML parser takes in one piece
    without huge_tree; written in parts, it comes back exactly."""
    chart = load_chart(ROUTES)
    path = tmp_path / "routes.anx"
    write_chart(chart, path)
    assert len(_workbench_pis(path)) > 1
    warnings: list[str] = []
    assert read_chart(path, warnings) == chart
    assert warnings == []


def test_a_workbench_block_in_one_unnumbered_part_still_reads(rich_chart, tmp_path):
    """ANX files written before the block was split hold it as one bare JSON instruction."""
    path = tmp_path / "old.anx"
    write_chart(rich_chart, path)
    tree = etree.parse(str(path))
    [pi] = tree.getroot().xpath("processing-instruction('workbench-chart')")
    pi.text = pi.text.partition(" ")[2]
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    assert read_chart(path) == rich_chart


def test_a_workbench_block_with_a_part_doubled_keeps_the_i2_fields(rich_chart, tmp_path):
    path = tmp_path / "edited.anx"
    write_chart(rich_chart, path)
    tree = etree.parse(str(path))
    [pi] = tree.getroot().xpath("processing-instruction('workbench-chart')")
    pi.addnext(etree.ProcessingInstruction("workbench-chart", pi.text))
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    warnings: list[str] = []
    back = read_chart(path, warnings)
    assert len(back.entities) == len(rich_chart.entities)
    assert any("Workbench fields are missing parts" in w for w in warnings)
