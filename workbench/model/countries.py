"""Country names to ISO codes: the identity of a Country, however a source spells it.

"UK", "U.K.", "United Kingdom" and "Royaume-Uni" are one country, so a Country entity's
identity is its ISO 3166 code ("GB"), and hot-spot counts are not split between spellings. The
names come from resources/country_names.json (countryinfo's names, alternative spellings and
translations, written by scripts/build_country_names.py) and the aliases and extra countries of
resources/maps/regions.yaml, which the gazetteer reads too. The model may not import the geo
layer or countryinfo, hence these plain files.

A name that is not known stays a name (its folded text), never forced onto a country; a near
miss ("United Kingdon") is offered as a suggestion for the analyst, never merged silently.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

NAMES_FILE = "country_names.json"
REGIONS_FILE = ("maps", "regions.yaml")
_PUNCT = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """A name folded for matching: accents, case, punctuation, 'the' and spacing; letters
    written with dots or spaces between them are one word ("U.A.E." and "UAE" are "uae")."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _PUNCT.sub(" ", plain.casefold().replace("&", " and "))
    words = [w for w in _SPACES.split(plain) if w and w != "the"]
    if len(words) > 1 and all(len(w) == 1 for w in words):
        return "".join(words)
    return " ".join(words)


@dataclass(slots=True)
class CountryNames:
    """Folded name -> ISO-2 code, and each code's English name."""

    codes: dict[str, str] = field(default_factory=dict)  # folded name -> code
    names: dict[str, str] = field(default_factory=dict)  # code -> English name
    iso: dict[str, str] = field(default_factory=dict)  # "GB", "GBR" -> "GB"
    not_countries: set[str] = field(default_factory=set)  # regions, "Neighboring countries"

    def code(self, raw: str) -> str | None:
        """The ISO code of a country name, spelling or code; None if not a known country."""
        text = str(raw).strip()
        if text in self.iso:  # "GB", "GBR", and the codes of regions.yaml's extras ("XK")
            return self.iso[text]
        found = self.codes.get(fold(text))
        if found is None and "," in text:  # "Korea, Republic of", "Iran, Islamic Republic of"
            head, _, tail = text.partition(",")
            found = self.codes.get(fold(f"{tail} {head}")) or self.codes.get(fold(head))
        return found

    def suggest(self, raw: str, limit: int = 2) -> list[str]:
        """Country names close to an unknown one ("United Kingdon" -> "United Kingdom")."""
        key = fold(raw)
        if len(key) < 4 or key in self.not_countries:
            return []
        pool = [k for k in self.codes if k[:1] == key[:1] and abs(len(k) - len(key)) <= 3]
        close = difflib.get_close_matches(key, pool, n=limit * 3, cutoff=0.88)
        return list(dict.fromkeys(self.names[self.codes[k]] for k in close))[:limit]


def load_country_names(names_file: Path, regions_file: Path) -> CountryNames:
    out = CountryNames()
    data = json.loads(names_file.read_text(encoding="utf-8"))
    if data.get("format") != "workbench-country-names":
        raise ValueError(f"{names_file}: not a Workbench country names file")
    ambiguous: set[str] = set()
    for country in data["countries"]:
        code = country["code"]
        out.names.setdefault(code, country["name"])  # the first entry of a code names it
        out.iso[code] = code
        if country.get("alpha3"):
            out.iso[country["alpha3"]] = code
        for name in country["names"]:
            key = fold(name)
            if key in out.codes and out.codes[key] != code:
                ambiguous.add(key)  # a name two countries share names neither
            out.codes.setdefault(key, code)
    for key in ambiguous:
        del out.codes[key]
    with open(regions_file, encoding="utf-8") as fh:
        regions = yaml.safe_load(fh)
    for extra in regions.get("countries", []):
        code = extra.get("code")
        if code:
            out.names[code] = extra["name"]
            out.iso[code] = code
            for name in [extra["name"], *extra.get("aliases", [])]:
                out.codes[fold(name)] = code
    for region in regions.get("regions", []):
        out.not_countries.update(fold(n) for n in [region["name"], *region.get("aliases", [])])
    out.not_countries.update(fold(n) for n in regions.get("unplaceable", {}))
    for alias, target in regions.get("aliases", {}).items():
        code = out.codes.get(fold(target))
        if code is not None:
            out.codes[fold(alias)] = code
    return out


@lru_cache(maxsize=1)
def country_names() -> CountryNames:
    """The shipped names, loaded on first use."""
    from workbench.paths import resource

    return load_country_names(resource(NAMES_FILE), resource(*REGIONS_FILE))
