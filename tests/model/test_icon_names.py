"""Unknown icon names in a catalogue or an import spec are refused with the nearest names."""

from __future__ import annotations

import pytest

from workbench.io.importspec import SpecError, parse_spec
from workbench.model.catalogue import CatalogueError, default_catalogue, load_catalogue


def test_every_shipped_icon_exists():
    assert default_catalogue().entity_type("Person").icon == "mdi6.account"


def test_a_catalogue_with_a_misspelt_icon_is_refused_with_the_nearest(tmp_path):
    path = tmp_path / "types.yaml"
    path.write_text("format: workbench-catalogue\n"
                    "entity_types:\n  - {name: Person, icon: mdi6.acount}\n")
    with pytest.raises(CatalogueError, match=r"entity_types\[0\]: unknown icon 'mdi6.acount'; "
                       "did you mean 'mdi6.account'"):
        load_catalogue(path)


def test_a_spec_type_with_an_unknown_icon_is_refused_with_its_line():
    text = ("types:\n  - {name: Handset, icon: mdi6.cellfone, colour: '#d35400'}\n"
            "entities:\n  h: {type: Handset, identity: '{A}'}\n")
    with pytest.raises(SpecError) as info:
        parse_spec(text, name="s.yaml")
    message = str(info.value)
    assert message.startswith("s.yaml: types[0]: unknown icon 'mdi6.cellfone'; did you mean")
    assert "'mdi6.cellphone'" in message and message.endswith("(line 2)")


def test_an_embedded_image_icon_is_not_refused():
    text = ("types:\n  - {name: Boat, icon: 'image:boat.png'}\n"
            "entities:\n  h: {type: Boat, identity: '{A}'}\n")
    assert parse_spec(text).types[0].icon == "image:boat.png"


def test_a_type_without_icon_or_colour_gets_the_defaults():
    spec = parse_spec("types:\n  - {name: Boat}\nentities:\n  h: {type: Boat, identity: '{A}'}\n")
    assert (spec.types[0].icon, spec.types[0].colour) == ("mdi6.help-circle", "#555555")
