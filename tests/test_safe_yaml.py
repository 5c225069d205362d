"""YAML from other people (import specs, report templates, the type catalogue): aliases,
anchors, deep nesting and repeated keys are refused in one line naming the file and the line,
before anything is built."""

from __future__ import annotations

import pytest

from workbench.export.report_template import TemplateError, load_template
from workbench.io.importspec import SpecError, load_spec, parse_spec
from workbench.model.catalogue import CatalogueError, load_catalogue
from workbench.safe_yaml import MAX_DEPTH, YamlError, load_yaml

SPEC = """\
entities:
  person: {type: Person, identity: Name}
"""

#: Small enough that a loader that expands aliases still finishes (9**4 items), so the test
#: fails quickly rather than hanging when aliases are accepted.
SMALL_BOMB = (
    'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
)


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_an_alias_in_a_spec_is_refused_with_its_line():
    text = SPEC + "links:\n  - {from: person, to: person, type: &t Associate}\n" \
                  "  - {from: person, to: person, type: *t}\n"
    with pytest.raises(SpecError) as info:
        parse_spec(text, "spec.yaml")
    message = str(info.value)
    assert message.startswith("spec.yaml (line 4): anchor &t refused")
    assert "\n" not in message


def test_an_alias_bomb_is_refused_before_it_grows():
    with pytest.raises(SpecError, match=r"spec.yaml \(line 1\): anchor &a refused"):
        parse_spec(SMALL_BOMB, "spec.yaml")


def test_a_merge_key_needs_an_alias_and_is_refused():
    text = "base: &base {type: Person}\nentities:\n  p:\n    <<: *base\n    identity: Name\n"
    with pytest.raises(SpecError, match="anchor &base refused"):
        parse_spec(text, "spec.yaml")


def test_an_alias_without_its_anchor_is_named_as_an_alias():
    with pytest.raises(YamlError, match=r"t.yaml \(line 1\): alias \*x refused"):
        load_yaml("a: *x\n", "t.yaml")


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 5_000, 200_000])
def test_deep_nesting_is_refused_in_one_line(levels):
    with pytest.raises(SpecError) as info:
        parse_spec(deep(levels), "spec.yaml")
    assert str(info.value) == f"spec.yaml (line 1): nested more than {MAX_DEPTH} levels deep"


def test_deep_block_nesting_is_refused_at_the_line_where_it_gets_too_deep():
    text = "".join(" " * i + "k:\n" for i in range(5_000)) + " " * 5_000 + "v\n"
    with pytest.raises(SpecError, match=rf"\(line {MAX_DEPTH}\): nested more than"):
        parse_spec(text, "spec.yaml")


def test_nesting_up_to_the_limit_still_loads():
    assert load_yaml(deep(MAX_DEPTH), "ok.yaml") is not None


def test_a_repeated_key_is_refused_with_the_key_and_both_lines():
    text = "entities:\n  person:\n    type: Person\n    identity: Name\n    type: Phone\n"
    with pytest.raises(SpecError) as info:
        parse_spec(text, "spec.yaml")
    assert str(info.value) == \
        "spec.yaml (line 5): duplicate key 'type' (first given on line 3)"


def test_a_repeated_top_level_key_is_refused():
    with pytest.raises(SpecError, match=r"\(line 3\): duplicate key 'entities'"):
        parse_spec(SPEC + "entities: {}\n", "spec.yaml")


def test_keys_that_only_look_alike_are_not_duplicates():
    data = load_yaml("1: a\n'1': b\nA: c\na: d\n", "ok.yaml")
    assert data == {1: "a", "1": "b", "A": "c", "a": "d"}


def test_spec_file_errors_name_the_file(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text(SPEC + "entities: {}\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"dup.yaml \(line 3\): duplicate key"):
        load_spec(path)


@pytest.mark.parametrize("text, expected", [
    (SMALL_BOMB, "t.yaml (line 1): anchor &a refused"),
    (deep(5_000), f"t.yaml (line 1): nested more than {MAX_DEPTH} levels deep"),
    ("format: workbench-report-template\nsections: [title]\nsections: [chart]\n",
     "t.yaml (line 3): duplicate key 'sections' (first given on line 2)"),
    ("sections: [title\n", "t.yaml (line 2): not valid YAML:"),
])
def test_report_templates_refuse_the_same_in_one_line(tmp_path, text, expected):
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        load_template(path)
    assert str(info.value).startswith(expected)
    assert "\n" not in str(info.value)


def test_a_catalogue_with_a_repeated_key_is_refused(tmp_path):
    path = tmp_path / "catalogue.yaml"
    path.write_text("format: workbench-catalogue\nentity_types: []\nentity_types: []\n",
                    encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"\(line 3\): duplicate key 'entity_types'"):
        load_catalogue(path)
