"""What the matcher compares: one flat record per entity, drawn from the chart.

Analysts' charts carry the facts about a person in two ways: as attributes ("date of birth",
"passport", "phone") and as linked entities (a Phone or Email entity joined to the person).
Both end up in the same record, normalised the way the rest of Workbench normalises them (E.164
phones and lower-case e-mails through ``workbench.model.kinds``, ISO country codes for
nationality), so a phone typed into an attribute agrees with a Phone entity linked elsewhere.
Every other linked entity is a neighbour: two records sharing neighbours (the same flat, the
same employer) is evidence too.

Attribute names are free text in a chart, so each field is recognised by a few usual names
(``FIELD_NAMES``); an attribute of kind phone or e-mail counts whatever its name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

import pyarrow as pa

from workbench.model import Chart, Entity, Kind, ParseError
from workbench.model.countries import country_names
from workbench.model.kinds import normalise_email, normalise_phone, parse_datetime
from workbench.resolve.names import (
    NameParts,
    organisation_name,
    person_name,
    plain_name,
    to_latin,
)

PlaceNamer = Callable[[str], str | None]

# Folded attribute names that feed each field; matched as whole names or as a word in them.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "dob": ("date of birth", "dob", "born", "birth date", "birthdate", "birthday",
            "date_of_birth", "d.o.b."),
    "phone": ("phone", "mobile", "telephone", "tel", "cell", "whatsapp", "msisdn"),
    "email": ("email", "e-mail", "mail"),
    "nationality": ("nationality", "citizenship", "citizen of", "country"),
    "address": ("address", "street", "residence"),
    "id_number": ("passport", "id number", "national id", "document number", "identity card",
                  "ssn", "social security", "soc sec id", "tax id", "registration number",
                  "company number"),
}
ORGANISATION_TYPES = frozenset({"Organisation", "Organization", "Company", "Business"})
PERSON_TYPES = frozenset({"Person", "Individual", "Suspect", "Victim"})
PLACE_TYPES = frozenset({"Location", "Place"})  # named by the gazetteer
_YEAR = re.compile(r"^((?:1[89]|20)\d\d)$")
_ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")

SCHEMA = pa.schema([
    ("unique_id", pa.string()),
    ("name_plain", pa.string()),
    ("name_key", pa.string()),
    ("name_skel", pa.string()),
    ("name_initials", pa.string()),
    ("name_words", pa.list_(pa.string())),
    ("dob", pa.string()),
    ("phones", pa.list_(pa.string())),
    ("emails", pa.list_(pa.string())),
    ("nationality", pa.string()),
    ("address", pa.string()),
    ("id_number", pa.string()),
    ("neighbours", pa.list_(pa.string())),
    ("place", pa.string()),
])
COLUMNS = tuple(SCHEMA.names)


@dataclass(slots=True)
class Record:
    """One entity as the matcher sees it; None and empty lists mean "not known"."""

    unique_id: str
    name: NameParts
    dob: str | None = None
    phones: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    nationality: str | None = None
    address: str | None = None
    id_number: str | None = None
    neighbours: set[str] = field(default_factory=set)
    place: str | None = None

    def row(self) -> dict[str, object]:
        n = self.name
        return {
            "unique_id": self.unique_id,
            "name_plain": n.plain or None, "name_key": n.key or None,
            "name_skel": n.skeleton or None, "name_initials": n.initials or None,
            "name_words": list(n.words) or None,
            "dob": self.dob or n.birth_year,
            "phones": sorted(self.phones) or None, "emails": sorted(self.emails) or None,
            "nationality": self.nationality, "address": self.address,
            "id_number": self.id_number,
            "neighbours": sorted(self.neighbours) or None, "place": self.place,
        }


def record_table(records: Iterable[Record]) -> pa.Table:
    """The records as the Arrow table the matcher registers with DuckDB."""
    return pa.Table.from_pylist([r.row() for r in records], schema=SCHEMA)


def name_for(type_name: str, label: str) -> NameParts:
    """People's names get the person rules (honorifics, particles, short forms), firms lose
    their legal form; any other label (a place, a vehicle, an account) is only folded."""
    if type_name in PERSON_TYPES:
        return person_name(label)
    if type_name in ORGANISATION_TYPES:
        return organisation_name(label)
    return plain_name(label)


def date_text(raw: object) -> str | None:
    """An ISO date ("1985-03-02"), a year alone ("1985"), or None when it is no date."""
    if isinstance(raw, datetime | date):
        return raw.strftime("%Y-%m-%d")
    text = str(raw).strip()
    year = _YEAR.match(text)
    if year:
        return year.group(1)
    if _ISO_DATE.match(text):  # the common case, without trying every format in turn
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    try:
        return parse_datetime(text).strftime("%Y-%m-%d")
    except ParseError:
        return None


def field_of(attribute: str, kind: Kind) -> str | None:
    if kind is Kind.PHONE:
        return "phone"
    if kind is Kind.EMAIL:
        return "email"
    name = attribute.strip().lower().replace("_", " ")
    for wanted, names in FIELD_NAMES.items():
        if name in names or any(re.search(rf"\b{re.escape(n)}\b", name) for n in names):
            return wanted
    return None


def entity_record(chart: Chart, entity: Entity, place_namer: PlaceNamer | None = None
                  ) -> Record:
    """The record of one entity: its label, its attributes, and what is linked to it."""
    record = Record(entity.id, name_for(entity.type, entity.label))
    for attribute, value in entity.attributes.items():
        add_value(record, field_of(attribute, value.kind), value.value, chart.region)
    for link in chart.links_of(entity.id):
        other = chart.entities.get(link.other_end(entity.id))
        if other is None or other.id == entity.id:
            continue
        kind = chart.entity_type(other).identity
        if kind is Kind.PHONE:
            add_value(record, "phone", other.identity or other.label, chart.region)
        elif kind is Kind.EMAIL:
            add_value(record, "email", other.identity or other.label, chart.region)
        else:
            record.neighbours.add(other.id)
    if entity.type in PLACE_TYPES and place_namer is not None:
        record.place = place_namer(entity.label)
    return record


def add_value(record: Record, wanted: str | None, raw: object, region: str) -> None:
    """Put one raw value into its field; a value that does not parse is left out, since a
    wrong phone or date is no evidence either way."""
    try:
        if wanted == "phone":
            record.phones.add(_phone(str(raw), region))
        elif wanted == "email":
            record.emails.add(normalise_email(raw))
        elif wanted == "dob" and record.dob is None:
            record.dob = date_text(raw)
        elif wanted == "nationality" and record.nationality is None:
            record.nationality = _country(str(raw))
        elif wanted == "address" and record.address is None:
            record.address = to_latin(str(raw)) or None
        elif wanted == "id_number" and record.id_number is None:
            record.id_number = re.sub(r"[^0-9a-z]", "", to_latin(str(raw))) or None
    except ParseError:
        return


@lru_cache(maxsize=100_000)  # a phone or a country recurs across records: parse it once
def _phone(raw: str, region: str) -> str:
    return normalise_phone(raw, region)


@lru_cache(maxsize=10_000)
def _country(raw: str) -> str | None:
    return country_names().code(raw) or to_latin(raw) or None


def chart_records(chart: Chart, types: Iterable[str],
                  place_namer: PlaceNamer | None = None) -> list[Record]:
    """The records of every entity of the given types, in the chart's order."""
    wanted = set(types)
    return [entity_record(chart, e, place_namer) for e in chart.entities.values()
            if e.type in wanted]
