"""The offline gazetteer on names as they appear in real report data."""

from __future__ import annotations

import pytest

from workbench.geo.gazetteer import Gazetteer, place_key

COUNTRY = frozenset({"country", "region"})


@pytest.mark.parametrize(("text", "code"), [
    ("Nigeria", "NG"),
    ("Nigéria", "NG"),  # French
    ("Italie", "IT"),
    ("Libya", "LY"),
    ("NGA", "NG"),  # ISO-3
    ("IT", "IT"),  # ISO-2
    ("Iran, Islamic Republic of", "IR"),
    ("Egypt, Arab Republic of", "EG"),
    ("Gambia, The", "GM"),
    ("Korea, Republic of", "KR"),
    ("Korea, Democratic People's Republic of", "KP"),
    ("Congo, Democratic Republic of", "CD"),
    ("Cote d'Ivoire", "CI"),
    ("Côte d'Ivoire", "CI"),
    ("Russian Federation", "RU"),
    ("Kyrgyz Republic", "KG"),
    ("U.A.E.", "AE"),
    ("UK", "GB"),
    ("Curacao", "CW"),  # countryinfo has no point for it: its capital is used
    ("Kosovo", "XK"),  # not in countryinfo: listed in regions.yaml
])
def test_countries_by_name_spelling_code_and_language(gazetteer: Gazetteer, text: str,
                                                      code: str) -> None:
    found = gazetteer.resolve(text, COUNTRY)
    assert found.place is not None, found.reason
    assert found.place.kind == "country"
    assert found.place.code == code


def test_nigeria_libya_italy_are_where_they_belong(gazetteer: Gazetteer) -> None:
    nigeria = gazetteer.resolve("Nigeria").place
    libya = gazetteer.resolve("Libya").place
    italy = gazetteer.resolve("Italy").place
    assert 4 < nigeria.lat < 14 and 3 < nigeria.lon < 15
    assert 20 < libya.lat < 33 and 10 < libya.lon < 25
    assert 37 < italy.lat < 47 and 7 < italy.lon < 18


def test_regions_are_placed_as_regions_on_the_right_continent(gazetteer: Gazetteer) -> None:
    # The route CSV geocoded "Gulf States" to the wrong continent; the list puts it in the Gulf.
    gulf = gazetteer.resolve("Gulf States").place
    assert gulf.is_region and 20 < gulf.lat < 30 and 45 < gulf.lon < 57
    assert "Saudi Arabia" in gulf.note and "region" in gulf.note
    assert gazetteer.resolve("the Gulf").place == gulf
    western = gazetteer.resolve("Western Europe").place
    assert western.is_region and 40 < western.lat < 55 and -5 < western.lon < 15
    central = gazetteer.resolve("Central America").place
    assert central.is_region and 7 < central.lat < 18 and -92 < central.lon < -77


@pytest.mark.parametrize(("text", "why"), [
    ("Neighboring countries", "not a place"),
    ("Region", "not a place"),
    ("Korea", "ambiguous"),
    ("Congo", "ambiguous"),
    ("Arab countries", "vague"),
    ("Phillipines", "not a known"),  # misspelt: reported, not guessed
])
def test_what_is_not_a_place_is_reported_with_a_reason(gazetteer: Gazetteer, text: str,
                                                       why: str) -> None:
    found = gazetteer.resolve(text, COUNTRY)
    assert found.place is None
    assert why in found.reason


def test_a_country_entity_is_never_placed_on_a_city(gazetteer: Gazetteer) -> None:
    # "Asia" is a town in the Philippines and an old name of Mahdia; "Cypress" is a US city.
    assert gazetteer.resolve("Asia", COUNTRY).place.kind == "region"
    assert gazetteer.resolve("Cypress", COUNTRY).place is None


def test_cities_from_geonames(gazetteer: Gazetteer) -> None:
    lagos = gazetteer.resolve("Lagos").place
    assert lagos.kind == "city" and lagos.code == "NG" and "GeoNames" in lagos.note
    tripoli = gazetteer.resolve("Tripoli, Lebanon").place
    assert tripoli.code == "LB" and tripoli.lon > 35
    assert gazetteer.resolve("Tripoli").place.code == "LY"  # far larger than Tripoli, LB


def test_ambiguous_city_names_are_not_guessed(gazetteer: Gazetteer) -> None:
    found = gazetteer.resolve("San Fernando")
    assert found.place is None and "ambiguous" in found.reason
    assert len(found.candidates) == 2


def test_place_key_folds_case_accents_punctuation_and_the() -> None:
    assert place_key("  The Gambia ") == place_key("gambia")
    assert place_key("U.A.E.") == place_key("u a e")
    assert place_key("Côte d’Ivoire") == place_key("cote d ivoire")


def test_a_broken_regions_file_is_refused(tmp_path) -> None:
    bad = tmp_path / "regions.yaml"
    bad.write_text("format: something-else\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a workbench regions file"):
        Gazetteer(bad, cities=False)
