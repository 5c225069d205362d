"""Country names to ISO codes: the identity of a Country however a source spells it."""

from __future__ import annotations

import importlib.util
import json

import pytest

from workbench.model import Chart, Kind, ParseError, identity_key, parse_value
from workbench.model.countries import country_names, fold
from workbench.paths import resource

from ..conftest import REPO


@pytest.mark.parametrize("written", ["UK", "U.K.", "u.k", "United Kingdom", "GB", "GBR",
                                     "Royaume-Uni", "Reino Unido", "Great Britain"])
def test_spellings_of_one_country_are_one_identity(written):
    assert identity_key(Kind.COUNTRY, written) == "GB"


def test_dots_and_spaces_between_letters_fold_to_one_word():
    assert fold("U.A.E") == fold("U.A.E.") == fold("UAE") == fold("u a e") == "uae"
    assert fold("Côte d'Ivoire") == fold("cote d ivoire")


def test_a_name_that_is_no_country_stays_a_name_and_a_near_miss_gets_a_suggestion():
    assert identity_key(Kind.COUNTRY, "Gulf  States") == "gulf states"
    assert identity_key(Kind.COUNTRY, "United Kingdon") == "united kingdon"
    assert country_names().suggest("United Kingdon") == ["United Kingdom"]
    assert country_names().suggest("Gulf States") == []  # a region, not a typo
    with pytest.raises(ParseError, match="did you mean 'United Kingdom'"):
        parse_value(Kind.COUNTRY, "United Kingdon")
    assert parse_value(Kind.COUNTRY, "U.A.E.").value == "United Arab Emirates"


def test_typed_in_the_window_and_imported_are_the_same_entity():
    chart = Chart()
    first = chart.make_entity("Country", "UK", identity="U.K.")
    assert chart.make_entity("Country", "United Kingdom", identity="Britain") is first


def test_the_shipped_names_are_what_the_script_builds_from_countryinfo():
    path = REPO / "scripts" / "build_country_names.py"
    spec = importlib.util.spec_from_file_location("build_country_names", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    shipped = json.loads(resource("country_names.json").read_text(encoding="utf-8"))
    assert shipped == script.build(), "run python scripts/build_country_names.py"
