"""The type catalogue: entity and link types are data, loaded from YAML with a safe loader."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.model.icon_names import unknown_icon
from workbench.model.kinds import Kind
from workbench.safe_yaml import YamlError, load_yaml

DEFAULT_ICON = "mdi6.help-circle"
DEFAULT_COLOUR = "#555555"  # (a slots dataclass's class attributes are not its defaults)
_HEX = set("0123456789abcdefABCDEF")


class CatalogueError(ValueError):
    pass


def check_colour(colour: str, where: str) -> str:
    if not (isinstance(colour, str) and len(colour) == 7 and colour[0] == "#"
            and set(colour[1:]) <= _HEX):
        raise CatalogueError(f"{where}: colour must be '#rrggbb', not {colour!r}")
    return colour.lower()


@dataclass(frozen=True, slots=True)
class EntityType:
    name: str
    icon: str = DEFAULT_ICON
    colour: str = DEFAULT_COLOUR
    identity: Kind = Kind.TEXT

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "icon": self.icon, "colour": self.colour,
                "identity": str(self.identity)}


@dataclass(frozen=True, slots=True)
class LinkType:
    name: str
    colour: str = "#555555"
    directed: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "colour": self.colour, "directed": self.directed}


def entity_type_from_json(data: Any, where: str) -> EntityType:
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"]:
        raise CatalogueError(f"{where}: an entity type needs a 'name'")
    unknown = set(data) - {"name", "icon", "colour", "identity"}
    if unknown:
        raise CatalogueError(f"{where}: unknown keys {sorted(unknown)}")
    try:
        identity = Kind(data.get("identity", "text"))
    except ValueError:
        raise CatalogueError(
            f"{where}: identity {data.get('identity')!r} is not one of "
            f"{', '.join(k.value for k in Kind)}"
        ) from None
    return EntityType(
        name=data["name"],
        icon=str(data.get("icon", DEFAULT_ICON)),
        colour=check_colour(data.get("colour", DEFAULT_COLOUR), where),
        identity=identity,
    )


def check_icon(entity_type: EntityType, where: str) -> None:
    """Refuse an icon name that does not exist, with the nearest names (catalogues and import
    specs; chart files are not refused for it, they draw the fallback)."""
    problem = unknown_icon(entity_type.icon)
    if problem is not None:
        raise CatalogueError(f"{where}: {problem}")


def link_type_from_json(data: Any, where: str) -> LinkType:
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"]:
        raise CatalogueError(f"{where}: a link type needs a 'name'")
    unknown = set(data) - {"name", "colour", "directed"}
    if unknown:
        raise CatalogueError(f"{where}: unknown keys {sorted(unknown)}")
    directed = data.get("directed", False)
    if not isinstance(directed, bool):
        raise CatalogueError(f"{where}: 'directed' must be true or false")
    return LinkType(name=data["name"], colour=check_colour(data.get("colour", "#555555"), where),
                    directed=directed)


class Catalogue:
    """Entity and link types by name. Unknown names get a neutral default type, so a chart
    from a colleague with types we do not know still opens and draws."""

    def __init__(self, entity_types: Iterable[EntityType] = (),
                 link_types: Iterable[LinkType] = ()) -> None:
        self.entity_types: dict[str, EntityType] = {t.name: t for t in entity_types}
        self.link_types: dict[str, LinkType] = {t.name: t for t in link_types}

    def entity_type(self, name: str) -> EntityType:
        found = self.entity_types.get(name)
        return found if found is not None else EntityType(name)

    def link_type(self, name: str) -> LinkType:
        found = self.link_types.get(name)
        return found if found is not None else LinkType(name)

    def extended(self, entity_types: Iterable[EntityType] = (),
                 link_types: Iterable[LinkType] = ()) -> Catalogue:
        """A new catalogue with these types added or replacing ones of the same name."""
        return Catalogue(
            [*self.entity_types.values(), *entity_types],
            [*self.link_types.values(), *link_types],
        )

    def differences_from(self, base: Catalogue) -> tuple[list[EntityType], list[LinkType]]:
        """The types that are not exactly as in ``base``: what a chart file must carry."""
        return (
            [t for n, t in self.entity_types.items() if base.entity_types.get(n) != t],
            [t for n, t in self.link_types.items() if base.link_types.get(n) != t],
        )


def load_catalogue(path: Path) -> Catalogue:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), str(path))
    except YamlError as exc:
        raise CatalogueError(str(exc)) from None
    if not isinstance(data, dict) or data.get("format") != "workbench-catalogue":
        raise CatalogueError(f"{path}: not a Workbench type catalogue")
    entity_types = [entity_type_from_json(d, f"{path}: entity_types[{i}]")
                    for i, d in enumerate(data.get("entity_types") or [])]
    for i, t in enumerate(entity_types):
        check_icon(t, f"{path}: entity_types[{i}]")
    link_types = [link_type_from_json(d, f"{path}: link_types[{i}]")
                  for i, d in enumerate(data.get("link_types") or [])]
    return Catalogue(entity_types, link_types)


_default: Catalogue | None = None


def default_catalogue() -> Catalogue:
    """The catalogue shipped in resources/, loaded once."""
    global _default
    if _default is None:
        from workbench.paths import resource

        _default = load_catalogue(resource("catalogue.yaml"))
    return _default
