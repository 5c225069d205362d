"""The interactive route map: a Leaflet page that works with no network at all.

- The base layer is the country outlines shipped in ``resources/maps`` (Natural Earth), so the
  map leaks nothing to tile servers; online tiles (named from the ``xyzservices`` registry)
  are an opt-in extra layer.
- Leaflet's JS and CSS come from the ``xstatic-leaflet`` registry package and are embedded in
  the page, so an exported file opens offline anywhere.
- Labels come from scraped data and are untrusted. The page is put together here by plain
  string joining, with no template engine: folium/branca compile the text they are given as
  Jinja source, so a label holding ``{{ ... }}`` ran as Python when it went through them.
  Everything from the chart reaches the page as escaped JSON in a
  ``<script type="application/json">`` element that the page script
  (``resources/maps/route-map.js``) reads with ``JSON.parse`` and puts into the DOM with
  ``textContent``, never as HTML.
- The page exposes ``wbHighlight(entityIds, linkIds)`` and reports clicks as console messages
  ``workbench-select {"entities": [...], "links": [...]}``, which the map dock turns into a
  chart selection (a place selects its entity; a route its two places and its links).
- It fits the routes when drawn and again when its window is resized (a dock resized,
  floated or docked), until the reader pans or zooms it.
"""

from __future__ import annotations

import base64
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from workbench.geo.geometry import (
    HOTSPOT_COLOUR,
    REGION_COLOUR,
    arc,
    bends,
    colours,
    hotspot_radius,
    line_width,
)
from workbench.geo.legible import shown_note
from workbench.geo.routes import RouteMap
from workbench.io.atomic import atomic_path
from workbench.paths import resource

SELECT_MESSAGE = "workbench-select "
SEA_COLOUR = "#dde8f0"
LAND_COLOUR = "#f6f3ec"
BORDER_COLOUR = "#a9a39a"
LABELLED_PLACES = 20
CREDITS = ("Country outlines: Natural Earth (public domain) via world-atlas. "
           "Places: countryinfo; GeoNames (CC BY 4.0).")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class TileProviderError(ValueError):
    """An online tile provider that xyzservices does not know."""


def _safe_json(value: Any) -> str:
    """JSON that cannot close a <script> element or start a comment, whatever the labels."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JS and CSS (images inlined as data URIs) from the xstatic-leaflet package."""
    import xstatic.pkg.leaflet as xleaflet

    base = Path(xleaflet.BASE_DIR)
    script = (base / "leaflet.js").read_text(encoding="utf-8").replace("</", "<\\/")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        image = base / "images" / match.group(1)
        if not image.is_file():
            return match.group(0)
        data = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)
    return script, css


@lru_cache(maxsize=1)
def page_script() -> str:
    """The page's own script (``resources/maps/route-map.js``): draws from the JSON data."""
    return resource("maps", "route-map.js").read_text(encoding="utf-8").replace("</", "<\\/")


@lru_cache(maxsize=1)
def outlines_json() -> str:
    path = resource("maps", "world-outlines.geojson")
    return _safe_json(json.loads(path.read_text(encoding="utf-8")))


def route_payload(route_map: RouteMap, title: str | None = None) -> dict[str, Any]:
    """Everything the page draws, as plain JSON data (also used by tests)."""
    palette = colours(route_map)
    max_count = max((s.count for s in route_map.segments), default=0)
    max_spot = max((h.count for h in route_map.hotspots.values()), default=0)
    bend = bends(route_map)
    routes = []
    # Busiest first, so thin lines are drawn on top of thick ones.
    for segment in route_map.segments:
        source = route_map.hotspots[segment.source]
        target = route_map.hotspots[segment.target]
        shape = arc((source.place.lat, source.place.lon), (target.place.lat, target.place.lon),
                    bend[segment.key])
        colour = palette.get(segment.category, palette.get(None, "#c0392b"))
        lines = [f"{source.label} → {target.label}", f"{_count(segment.count)} case(s)"]
        if segment.category is not None:
            lines.append(f"{route_map.colour_by}: {segment.category}")
        routes.append({
            "parts": [[[round(lat, 3), round(lon, 3)] for lat, lon in p] for p in shape.parts],
            "arrow": [round(shape.arrow[0], 4), round(shape.arrow[1], 4)],
            "angle": round(shape.angle, 1),
            "colour": colour if _HEX.match(colour) else "#c0392b",
            "width": round(line_width(segment.count, max_count), 2),
            "ends": [segment.source, segment.target],
            "links": segment.link_ids,
            "tip": lines,
        })
    spots = []
    ranked = sorted(route_map.hotspots.values(), key=lambda h: -h.count)
    for rank, spot in enumerate(ranked):
        lines = [spot.label,
                 f"{_count(spot.count)} case(s): {_count(spot.outgoing)} leaving, "
                 f"{_count(spot.incoming)} arriving",
                 spot.place.note]
        spots.append({
            "id": spot.entity_id,
            "at": [round(spot.place.lat, 4), round(spot.place.lon, 4)],
            "radius": round(hotspot_radius(spot.count, max_spot), 2),
            "region": spot.place.is_region,
            "label": spot.label if rank < LABELLED_PLACES else None,
            "tip": lines,
        })
    legend_items = []
    if route_map.colour_by is not None:
        legend_items = [{"colour": palette[c], "text": c} for c in route_map.categories[:12]]
        if len(route_map.categories) > 12:
            legend_items.append({"colour": "#6b6b6b",
                                 "text": f"{len(route_map.categories) - 12} other values"})
    return {
        "title": title or "Routes",
        "routes": routes,
        "spots": spots,
        "legend": {
            "colourBy": route_map.colour_by,
            "items": legend_items,
            "maxCount": _count(max_count),
            "maxSpot": _count(max_spot),
            "hotspotColour": HOTSPOT_COLOUR,
            "regionColour": REGION_COLOUR,
            "credits": CREDITS,
            "note": shown_note(route_map),
        },
    }


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def route_map_html(route_map: RouteMap, *, title: str | None = None,
                   online_tiles: str | None = None, fit: bool = True) -> str:
    """A complete, self-contained HTML page of the route map.

    ``online_tiles`` (an xyzservices name such as "OpenStreetMap") adds an online base layer:
    an explicit choice, because it sends the map's area to that tile server.
    """
    payload = route_payload(route_map, title)
    payload["tiles"] = tile_layer(online_tiles) if online_tiles else None
    payload["fit"] = fit
    script, css = leaflet_assets()
    return "".join((
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n',
        "<title>", _html_text(title or "Route map"), "</title>\n",
        "<style>", css, "</style>\n<style>", _PAGE_CSS, "</style>\n",
        "<script>", script, "</script>\n</head>\n<body>\n",
        '<div id="wb-map" class="wb-map"></div>\n',
        '<script type="application/json" id="wb-outlines">', outlines_json(), "</script>\n",
        '<script type="application/json" id="wb-data">', _safe_json(payload), "</script>\n",
        "<script>", page_script(), "</script>\n</body>\n</html>\n",
    ))


def tile_layer(name: str) -> dict[str, Any]:
    """An online base layer by its xyzservices name ("OpenStreetMap", "CartoDB.Positron"):
    URL template, attribution (as HTML-escaped text: Leaflet shows it as HTML) and zooms."""
    import xyzservices

    query = "OpenStreetMap Mapnik" if name.strip().casefold() == "openstreetmap" else name
    try:
        provider = xyzservices.providers.query_name(query)
    except ValueError:
        raise TileProviderError(f"no online tile provider is called {name!r} (try OpenStreetMap "
                         "or CartoDB.Positron)") from None
    return {
        "url": provider.build_url(fill_subdomain=False, scale_factor="{r}"),
        "attribution": _html_text(str(provider.get("attribution", provider.name))),
        "subdomains": provider.get("subdomains", "abc"),
        "maxZoom": int(provider.get("max_zoom", 18)),
    }


def _html_text(text: str) -> str:
    """Text for the page's markup (its <title>): escaped, with the characters HTML cannot
    hold (C0 controls, lone surrogates that UTF-8 cannot even write) as U+FFFD."""
    text = _UNWRITABLE.sub("\ufffd", text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def save_html(route_map: RouteMap, path: str | Path, **kwargs: Any) -> Path:
    path = Path(path)
    html = route_map_html(route_map, **kwargs)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(html, encoding="utf-8")
    return path


_PAGE_CSS = f"""
html, body {{ width: 100%; height: 100%; margin: 0; padding: 0; }}
.wb-map {{ position: absolute; inset: 0; background: {SEA_COLOUR}; }}
.wb-arrow {{ background: none; border: none; }}
.wb-arrow svg {{ display: block; overflow: visible; }}
.wb-label {{ background: rgba(255,255,255,0.85); border: none; box-shadow: none;
  font: 600 12px/1.2 "DejaVu Sans", Arial, sans-serif; color: #222; padding: 1px 4px; }}
.wb-label::before {{ display: none; }}
.wb-legend {{ background: rgba(255,255,255,0.93); padding: 8px 10px; border-radius: 4px;
  font: 12px/1.35 "DejaVu Sans", Arial, sans-serif; color: #222; max-width: 260px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); }}
.wb-legend h4 {{ margin: 0 0 4px 0; font-size: 13px; }}
.wb-legend .row {{ display: flex; align-items: center; gap: 6px; margin: 2px 0; }}
.wb-legend .swatch {{ display: inline-block; width: 22px; border-radius: 2px; }}
.wb-legend .dot {{ display: inline-block; border-radius: 50%; }}
.wb-legend .credits {{ margin-top: 6px; font-size: 10px; color: #555; }}
.wb-note {{ background: #fff8d6; border: 1px solid #d8b500; padding: 5px 9px; border-radius: 4px;
  font: 600 13px/1.35 "DejaVu Sans", Arial, sans-serif; color: #222; max-width: 520px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); }}
.wb-tip b {{ display: block; }}
"""
