"""Import specifications: the brief's example loads; mistakes name the key and the line."""

from __future__ import annotations

import pytest

from workbench.io.importspec import SpecError, load_spec, parse_spec
from workbench.model import Direction, Kind

from .conftest import SPECS

EXAMPLE = """\
source: {format: csv, encoding: auto, delimiter: auto, header_row: 1, sheet: "2016"}
entities:
  origin:      {type: Country, identity: "{Origin_Country}", label: "{Origin_Country}"}
  destination: {type: Country, identity: "{Destination_Country}"}
  transit:     {type: Country, identity: "{Transit_Country}", split: ","}
links:
  - {from: origin, to: transit, type: Trafficked to, direction: forward}
  - {from: transit, to: destination, type: Trafficked to, direction: forward, date: "{Years}",
     date_format: "%Y"}
attributes:
  origin: {sector: {column: Sector, kind: text}}
filters: [{column: Flagged, not_in: ["", "0"]}]
"""


def test_the_example_from_the_issue_loads():
    spec = parse_spec(EXAMPLE)
    assert spec.source.sheet == "2016" and spec.source.header_row == 1
    assert list(spec.entities) == ["origin", "destination", "transit"]
    assert spec.entities["transit"].split == ","
    assert spec.links[1].date_formats == ("%Y",)
    assert spec.links[0].direction is Direction.FORWARD
    assert spec.entities["origin"].attributes[0].kind is Kind.TEXT
    assert spec.filters[0].not_in == ("", "0")
    assert set(spec.columns_used()) == {"Origin_Country", "Destination_Country",
                                        "Transit_Country", "Years", "Sector", "Flagged"}


@pytest.mark.parametrize("name", sorted(p.name for p in SPECS.glob("*.yaml")))
def test_every_shipped_spec_loads(name):
    spec = load_spec(SPECS / name)
    assert spec.entities


@pytest.mark.parametrize(("text", "expected"), [
    (EXAMPLE.replace("kind: text", "kind: colour"),
     "attributes.origin.sector.kind (line 11): unknown kind 'colour'"),
    (EXAMPLE.replace('date_format: "%Y"', 'date_format: "YYYY"'),
     "links[1].date_format (line 9): bad date format 'YYYY'"),
    (EXAMPLE.replace("split:", "splitt:"), "entities.transit.splitt (line 5): unknown key"),
    (EXAMPLE.replace("from: origin", "from: source"),
     "links[0].from (line 7): 'source' is not one of the entities"),
    (EXAMPLE.replace("format: csv", "format: pdf"), "source.format (line 1): unknown format"),
    ("entities:\n  a: {type: Person}\n", "entities.a (line 2): needs 'identity'"),
    ("entities:\n  a: {type: Persn, identity: '{A}'}\n",
     "entities.a.type (line 2): unknown entity type 'Persn'; did you mean 'Person'?"),
    (EXAMPLE.replace("type: Trafficked to, direction: forward}", "type: Smuggles}"),
     "links[0].type (line 7): unknown link type 'Smuggles'"),
    ("entities: [\n", "(line 2): not valid YAML"),
    ("entities:\n  a: !!python/object:os.system {}\n", "not valid YAML"),
])
def test_mistakes_name_the_key_and_line(text, expected):
    with pytest.raises(SpecError) as info:
        parse_spec(text, name="spec.yaml")
    assert expected in str(info.value)
    assert str(info.value).startswith("spec.yaml")


def test_a_column_the_file_lacks_is_named_with_the_key_line_and_file():
    spec = parse_spec(EXAMPLE, name="routes.yaml")
    columns = ["Origin_Country", "Destination_Country", "Transit_Country", "Years", "Flagged"]
    with pytest.raises(SpecError) as info:
        spec.check_columns(columns, "routes.csv")
    message = str(info.value)
    assert "routes.yaml does not fit routes.csv: 1 column is missing: 'Sector' " \
        "(attributes.origin.sector, line 11)." in message
    assert "The columns of routes.csv are: 'Origin_Country', 'Destination_Country'," in message


@pytest.mark.parametrize("name", sorted(p.name for p in SPECS.glob("*.yaml")))
def test_a_saved_spec_loads_back_the_same(name):
    from workbench.io.import_spec_yaml import dump_spec

    spec = load_spec(SPECS / name)
    again = parse_spec(dump_spec(spec), name=spec.name, base=spec.base)
    strip = lambda s: [(e.role, e.type, e.identity, e.label, e.split, e.when, e.lat,  # noqa: E731
                        [(a.name, a.column, a.kind) for a in e.attributes])
                       for e in s.entities.values()]
    assert strip(again) == strip(spec)
    assert [(lk.source, lk.target, lk.type, lk.direction, lk.date, lk.date_formats, lk.merge,
             [(a.name, a.column, a.kind) for a in lk.attributes]) for lk in again.links] == \
        [(lk.source, lk.target, lk.type, lk.direction, lk.date, lk.date_formats, lk.merge,
          [(a.name, a.column, a.kind) for a in lk.attributes]) for lk in spec.links]
    assert again.sources == spec.sources and again.types == spec.types
    assert [(f.column, f.in_, f.not_in) for f in again.filters] == \
        [(f.column, f.in_, f.not_in) for f in spec.filters]


def test_new_link_and_entity_types_are_declared_in_the_spec(tmp_path):
    from workbench.io.importer import import_files
    from workbench.model import Chart

    spec = parse_spec("""
types: [{name: Boat, icon: mdi6.ferry, colour: "#224466", identity: text}]
link_types: [{name: Crewed, colour: "#112233", directed: true}]
entities:
  boat: {type: Boat, identity: "{Boat}"}
  person: {type: Person, identity: "{Name}"}
links: [{from: person, to: boat, type: Crewed, direction: forward}]
""")
    data = tmp_path / "crew.csv"
    data.write_text("Name,Boat\nAna,Esperanza\n")
    chart = Chart()
    import_files(spec, [data], into=chart)
    assert chart.link_type("Crewed").directed and chart.entity_type("Boat").icon == "mdi6.ferry"
    assert [lk.type for lk in chart.links.values()] == ["Crewed"]


_ONE_ENTITY = "entities:\n  person: {type: Person, identity: '{Name}'}\n"


@pytest.mark.parametrize("key", ["links", "filters", "types", "link_types"])
@pytest.mark.parametrize("value", ["5", "some text", "true", "{a: 1}"])
def test_a_list_key_given_a_scalar_or_mapping_is_refused_with_its_key_and_line(key, value):
    with pytest.raises(SpecError) as info:
        parse_spec(_ONE_ENTITY + f"{key}: {value}\n", name="spec.yaml")
    assert str(info.value).startswith(f"spec.yaml: {key} (line 3): must be a list")


@pytest.mark.parametrize("text, expected", [
    (_ONE_ENTITY + "attributes: 5\n", "attributes (line 3): must be a mapping, not int"),
    (_ONE_ENTITY + "attributes:\n  person: 5\n",
     "attributes.person (line 4): must be a mapping, not int"),
    ("entities: 5\n", "entities (line 1): must be a mapping, not int"),
    ("entities:\n  person: 5\n", "entities.person (line 2): must be a mapping, not int"),
    (_ONE_ENTITY + "source: 5\n", "source (line 3): must be a mapping, not int"),
    (_ONE_ENTITY + "sources: 5\n", "sources (line 3): must be a list of sources"),
    (_ONE_ENTITY + "links: [5]\n", "links[0] (line 3): must be a mapping, not int"),
    (_ONE_ENTITY + "filters: [5]\n", "filters[0] (line 3): must be a mapping, not int"),
])
def test_other_keys_given_a_scalar_are_refused_with_their_key(text, expected):
    with pytest.raises(SpecError) as info:
        parse_spec(text, name="spec.yaml")
    assert expected in str(info.value)


@pytest.mark.parametrize("text, expected", [
    ("? [1]\n: 2\n", " (line 1): not valid YAML: a key must be text, not a list ([1])"),
    (_ONE_ENTITY + "links:\n  - ? {a: 1}\n    : 2\n",
     " (line 4): not valid YAML: a key must be text, not a mapping ({'a': 1})"),
])
def test_a_list_or_mapping_as_a_key_is_refused_as_a_spec_error(text, expected):
    with pytest.raises(SpecError) as info:
        parse_spec(text, name="spec.yaml")
    assert str(info.value) == "spec.yaml" + expected


def test_a_spec_for_another_file_says_so_even_when_a_later_row_is_ragged(tmp_path):
    from workbench.io.importer import build_import
    from workbench.model import Chart

    path = tmp_path / "people.csv"
    path.write_text("Name,Phone\nAna,1\nBen,2,extra,cells\n")
    spec = parse_spec("entities:\n  p: {type: Person, identity: '{Full name}'}\n",
                      name="other.yaml")
    with pytest.raises(SpecError) as info:
        build_import(spec, [path], Chart())
    assert str(info.value) == (
        "other.yaml does not fit people.csv: 1 column is missing: 'Full name' "
        "(entities.p.identity, line 2). The columns of people.csv are: 'Name', 'Phone'.")


def test_a_saved_spec_keeps_per_source_renames_and_constants():
    from workbench.io.import_spec_yaml import dump_spec

    text = ("sources:\n"
            "  - {sheet: '2015', columns: {Origin or Source: Origin}, constants: {Year: '2015'}}\n"
            "  - {sheet: Routes 2016, constants: {Year: {value: '{sheet}', pattern: '\\d{4}'}}}\n"
            "entities:\n  o: {type: Country, identity: '{Origin}'}\n")
    spec = parse_spec(text)
    again = parse_spec(dump_spec(spec))
    assert again.sources == spec.sources
    assert again.sources[0].columns == {"Origin or Source": "Origin"}
    assert again.sources[1].constants["Year"].pattern == r"\d{4}"


def test_when_conditions_combine_with_and_or_not(tmp_path):
    from workbench.io.import_spec_yaml import dump_spec
    from workbench.io.importer import build_import
    from workbench.model import Chart

    path = tmp_path / "routes.csv"
    path.write_text("Origin,Transit,Destination\nNigeria,,Italy\nNigeria,Libya,Italy\n"
                    "Unknown,,Spain\nGhana,,\n")
    text = ("entities:\n"
            "  direct: {type: Country, identity: '{Destination}', when: {and: [\n"
            "      {column: Transit, in: ['']},\n"
            "      {not: {column: Origin, in: [Unknown]}}]}}\n"
            "filters:\n"
            "  - {or: [{column: Destination, in: [Italy]}, {column: Origin, in: [Unknown]}]}\n")
    spec = parse_spec(text)
    assert parse_spec(dump_spec(spec)).entities["direct"].when == spec.entities["direct"].when
    plan = build_import(spec, [path], Chart())
    assert [e.label for e in plan.entities] == ["Italy"]  # row 2 only: direct, not Unknown
    assert plan.report.rows_skipped == 3
    with pytest.raises(SpecError, match=r"entities.x.when.or \(line 2\): needs a list"):
        parse_spec("entities:\n  x: {type: Country, identity: '{A}', when: {or: []}}\n")
