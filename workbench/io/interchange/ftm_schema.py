"""What FollowTheMoney's schemata mean in Workbench: the entity type (and icon) each one is
drawn as, and which schemata are relationships between two entities rather than things.

FollowTheMoney (OCCRP Aleph, OpenSanctions) defines its schemata in YAML; a relationship
schema such as ``Ownership`` declares ``edge: {source: owner, target: asset}``. The facts
below are taken from those published definitions, so a stream can be read without the
``followthemoney`` package (see docs/interchange.md for why it is not a dependency).
Schemata not listed become entities of a chart type named after the schema.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.model import EntityType, LinkType

# Schemata that mean what a catalogue type means. The exact schema is kept as the attribute
# 'FtM schema' on every item, so nothing is lost by the coarser type.
CATALOGUE_TYPES = {
    "Person": "Person",
    "LegalEntity": "Organisation", "Company": "Organisation", "Organization": "Organisation",
    "PublicBody": "Organisation",
    "Address": "Address",
    "BankAccount": "Account", "CryptoWallet": "Account",
    "Vehicle": "Vehicle",
    "Event": "Event",
    "UserAccount": "Username",
    **{name: "Document" for name in (
        "Document", "Pages", "Page", "Folder", "PlainText", "HyperText", "Email", "Image",
        "Audio", "Video", "Table", "Workbook", "Package", "Article", "Note", "Message")},
}

# Schemata Workbench has no type for: chart types with an icon an analyst recognises.
CHART_TYPES = {t.name: t for t in (
    EntityType("Vessel", icon="mdi6.ferry", colour="#1f618d"),
    EntityType("Airplane", icon="mdi6.airplane", colour="#1f618d"),
    EntityType("Sanction", icon="mdi6.gavel", colour="#922b21"),
    EntityType("Passport", icon="mdi6.passport", colour="#5d6d7e"),
    EntityType("Identification", icon="mdi6.card-account-details", colour="#5d6d7e"),
    EntityType("Position", icon="mdi6.briefcase-account", colour="#6a3d9a"),
    EntityType("Asset", icon="mdi6.treasure-chest", colour="#7d6608"),
    EntityType("RealEstate", icon="mdi6.home-city", colour="#7d6608"),
    EntityType("Security", icon="mdi6.chart-pie", colour="#7d6608"),
    EntityType("Contract", icon="mdi6.file-sign", colour="#5d6d7e"),
    EntityType("Project", icon="mdi6.clipboard-text", colour="#5d6d7e"),
    EntityType("CourtCase", icon="mdi6.scale-balance", colour="#b03a2e"),
    EntityType("License", icon="mdi6.license", colour="#5d6d7e"),
    EntityType("Trip", icon="mdi6.map-marker-path", colour="#1f618d"),
)}
OTHER_ICON, OTHER_COLOUR = "mdi6.shape", "#5d6d7e"


@dataclass(frozen=True, slots=True)
class Edge:
    """A relationship schema: its two ends, the Workbench link type and whether it points."""

    source: str
    target: str
    link_type: str
    directed: bool = True


EDGES = {
    "Ownership": Edge("owner", "asset", "Owns"),
    "Directorship": Edge("director", "organization", "Directs"),
    "Control": Edge("controller", "controlled", "Controls"),
    "Membership": Edge("member", "organization", "Member of"),
    "Employment": Edge("employee", "employer", "Works for"),
    "Family": Edge("person", "relative", "Family", directed=False),
    "Associate": Edge("person", "associate", "Associate", directed=False),
    "Representation": Edge("agent", "client", "Represents"),
    "Payment": Edge("payer", "beneficiary", "Pays"),
    "Debt": Edge("creditor", "debtor", "Debt"),
    "Succession": Edge("predecessor", "successor", "Succeeded by"),
    "UnknownLink": Edge("subject", "object", "Linked to"),
    "Occupancy": Edge("holder", "post", "Holds"),
    "Call": Edge("caller", "receiver", "Calls"),
    "ContractAward": Edge("supplier", "contract", "Awarded"),
    "ProjectParticipant": Edge("participant", "project", "Participates in"),
    "CourtCaseParty": Edge("party", "case", "Party to"),
    "Documentation": Edge("document", "entity", "Documents"),
}
# Link types the catalogue lacks, with the colour of the nearest catalogue type.
CHART_LINK_TYPES = {t.name: t for t in (
    LinkType("Directs", colour="#6a3d9a", directed=True),
    LinkType("Controls", colour="#6a3d9a", directed=True),
    LinkType("Member of", colour="#2471a3", directed=True),
    LinkType("Represents", colour="#555555", directed=True),
    LinkType("Debt", colour="#117a65", directed=True),
    LinkType("Succeeded by", colour="#555555", directed=True),
    LinkType("Linked to", colour="#555555", directed=True),
    LinkType("Holds", colour="#6a3d9a", directed=True),
    LinkType("Awarded", colour="#7d6608", directed=True),
    LinkType("Participates in", colour="#555555", directed=True),
    LinkType("Party to", colour="#b03a2e", directed=True),
    LinkType("Documents", colour="#5d6d7e", directed=True),
    LinkType("Refers to", colour="#888888", directed=True),
)}
REFERS_TO = "Refers to"  # a property of a thing naming another entity (Sanction.entity)
# An address reference: the catalogue's own types, so maps and routes read them.
ADDRESS_LINK = {"Person": "Lives at"}
ADDRESS_LINK_DEFAULT = "Located at"

# Properties of FtM's 'number' type that are amounts, shares or percentages: numbers in
# Workbench (sum and size by them). Every other value stays the text FtM wrote ("007" keeps
# its zeros; dates such as "1961" keep their precision).
NUMBERS = {"amount", "amountEur", "amountUsd", "percentage", "sharesCount", "sharesValue",
           "capital", "duration"}
# The label of an entity, best first (OpenSanctions gives a 'caption' beside the properties).
LABELS = ("name", "full", "title", "fileName", "number", "accountNumber", "summary")
# The label of a relationship: what FtM shows as its caption.
LINK_LABELS = ("role", "relationship", "controlType", "purpose", "summary", "description")
# The date a relationship or event is drawn at.
DATES = ("startDate", "date")
