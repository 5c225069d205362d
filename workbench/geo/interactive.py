"""The interactive route map: a folium (Leaflet) page that works with no network at all.

- The base layer is the country outlines shipped in ``resources/maps`` (Natural Earth), so the
  map leaks nothing to tile servers; online tiles are an opt-in extra layer.
- Leaflet's JS and CSS come from the ``xstatic-leaflet`` registry package and are embedded in
  the page, replacing folium's CDN links, so an exported file opens offline anywhere.
- Labels come from scraped data and are untrusted: they reach the page only as JSON data and
  are put into the DOM with ``textContent``, never as HTML (folium's own Tooltip and Popup
  paste text into JavaScript template strings, so they are not used here).
- The page exposes ``wbHighlight(entityIds, linkIds)`` and reports clicks as console messages
  ``workbench-select {"entities": [...], "links": [...]}``, which the map dock turns into a
  chart selection (a place selects its entity; a route its two places and its links).
"""

from __future__ import annotations

import base64
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from workbench.geo.geometry import (
    HOTSPOT_COLOUR,
    REGION_COLOUR,
    arc,
    bends,
    colours,
    hotspot_radius,
    line_width,
)
from workbench.geo.routes import RouteMap
from workbench.io.atomic import atomic_path
from workbench.paths import resource

SELECT_MESSAGE = "workbench-select "
SEA_COLOUR = "#dde8f0"
LAND_COLOUR = "#f6f3ec"
BORDER_COLOUR = "#a9a39a"
LABELLED_PLACES = 8
CREDITS = ("Country outlines: Natural Earth (public domain) via world-atlas. "
           "Places: countryinfo; GeoNames (CC BY 4.0).")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


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
        },
    }


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


class _RouteLayer(MacroElement):
    """Draws outlines, routes, arrowheads, hot spots and the legend from JSON data."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "wbDrawRoutes({{ this._parent.get_name() }}, {{ this.outlines }}, {{ this.data }},"
        " {{ this.fit }});"
        "{% endmacro %}"
    )

    def __init__(self, payload: dict[str, Any], fit: bool) -> None:
        super().__init__()
        self._name = "WorkbenchRoutes"
        self.outlines = outlines_json()
        self.data = _safe_json(payload)
        self.fit = "true" if fit else "false"


def route_map_html(route_map: RouteMap, *, title: str | None = None,
                   online_tiles: str | None = None, fit: bool = True) -> str:
    """A complete, self-contained HTML page of the route map.

    ``online_tiles`` (an xyzservices name such as "OpenStreetMap") adds an online base layer:
    an explicit choice, because it sends the map's area to that tile server.
    """
    fmap = folium.Map(location=[20, 10], zoom_start=2, tiles=None, world_copy_jump=False,
                      min_zoom=1, max_zoom=10, zoom_snap=0.25, attribution_control=False)
    fmap.default_js = []  # no CDN: Leaflet is embedded below
    fmap.default_css = []
    figure = fmap.get_root()
    script, css = leaflet_assets()
    page_title = _safe_json(title or "Route map")[1:-1]
    figure.header.add_child(Element(f"<title>{_html_text(title or 'Route map')}</title>"),
                            name="wb_title")
    figure.header.add_child(Element(f"<style>{css}</style>"), name="leaflet_css_inline")
    figure.header.add_child(Element(f"<style>{_PAGE_CSS}</style>"), name="wb_css")
    figure.header.add_child(Element(f"<script>{script}</script>"), name="leaflet_inline")
    figure.header.add_child(Element(f"<script>var WB_TITLE=\"{page_title}\";{_PAGE_JS}</script>"),
                            name="wb_js")
    if online_tiles:
        folium.TileLayer(online_tiles, name=f"{online_tiles} (online)", overlay=False).add_to(fmap)
    fmap.add_child(_RouteLayer(route_payload(route_map, title), fit))
    return figure.render()


def _html_text(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def save_html(route_map: RouteMap, path: str | Path, **kwargs: Any) -> Path:
    path = Path(path)
    html = route_map_html(route_map, **kwargs)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(html, encoding="utf-8")
    return path


_PAGE_CSS = f"""
.folium-map {{ background: {SEA_COLOUR}; }}
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
.wb-tip b {{ display: block; }}
"""

_PAGE_JS = r"""
function wbTip(lines) {
  var box = document.createElement('div'); box.className = 'wb-tip';
  lines.forEach(function (text, i) {
    if (!text) return;
    var line = document.createElement(i === 0 ? 'b' : 'div'); line.textContent = text;
    box.appendChild(line);
  });
  return box;
}
function wbSelect(entities, links, ev) {
  // Shift, Ctrl or Cmd held while clicking adds to the selection, as on the chart.
  var e = ev && ev.originalEvent;
  var add = !!(e && (e.shiftKey || e.ctrlKey || e.metaKey));
  console.log('workbench-select ' + JSON.stringify({entities: entities, links: links || [],
                                                    add: add}));
}
function wbArrowIcon(route) {
  var size = Math.max(14, Math.round(route.width * 2.2 + 8));
  var svgNS = 'http://www.w3.org/2000/svg';
  var svg = document.createElementNS(svgNS, 'svg');
  svg.setAttribute('width', size); svg.setAttribute('height', size);
  svg.setAttribute('viewBox', '0 0 10 10');
  svg.style.transform = 'rotate(' + (-route.angle) + 'deg)';
  var head = document.createElementNS(svgNS, 'polygon');
  head.setAttribute('points', '0,0.6 10,5 0,9.4 2.6,5');
  head.setAttribute('fill', route.colour); head.setAttribute('stroke', '#ffffff');
  head.setAttribute('stroke-width', '0.7'); head.setAttribute('class', 'wb-arrowhead');
  svg.appendChild(head);
  var holder = document.createElement('div'); holder.appendChild(svg);
  return L.divIcon({className: 'wb-arrow', html: holder.innerHTML,
                    iconSize: [size, size], iconAnchor: [size / 2, size / 2]});
}
function wbLegend(map, legend) {
  var control = L.control({position: 'bottomright'});
  control.onAdd = function () {
    var box = L.DomUtil.create('div', 'wb-legend');
    function row(draw, text) {
      var r = document.createElement('div'); r.className = 'row';
      r.appendChild(draw); var t = document.createElement('span'); t.textContent = text;
      r.appendChild(t); box.appendChild(r);
    }
    function swatch(colour, height) {
      var s = document.createElement('span'); s.className = 'swatch';
      s.style.background = colour; s.style.height = height + 'px'; return s;
    }
    function dot(size, fill, border, dashed) {
      var d = document.createElement('span'); d.className = 'dot';
      d.style.width = size + 'px'; d.style.height = size + 'px'; d.style.background = fill;
      d.style.border = '2px ' + (dashed ? 'dashed ' : 'solid ') + border; return d;
    }
    var h = document.createElement('h4');
    h.textContent = legend.colourBy ? 'Routes by ' + legend.colourBy : 'Routes';
    box.appendChild(h);
    legend.items.forEach(function (item) { row(swatch(item.colour, 6), item.text); });
    row(swatch('#555', 2), 'line width: cases on the leg (widest ' + legend.maxCount + ')');
    row(dot(12, legend.hotspotColour, '#fff', false),
        'hot spot: cases through the place (largest ' + legend.maxSpot + ')');
    row(dot(12, 'transparent', legend.regionColour, true),
        'region, drawn at a representative point');
    var c = document.createElement('div'); c.className = 'credits';
    c.textContent = legend.credits; box.appendChild(c);
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  control.addTo(map);
  return control.getContainer();
}
function wbDrawRoutes(map, outlines, data, fit) {
  var wb = window.wbRoutes = {map: map, routes: [], spots: {}, labels: []};
  L.geoJSON(outlines, {interactive: false, style: {color: '#a9a39a', weight: 0.6,
    fillColor: '#f6f3ec', fillOpacity: 1}}).addTo(map);
  var points = [];
  data.routes.forEach(function (route) {
    var lines = route.parts.map(function (part) {
      var line = L.polyline(part, {color: route.colour, weight: route.width, opacity: 0.85,
                                   lineCap: 'round', className: 'wb-route'}).addTo(map);
      line.bindTooltip(wbTip(route.tip), {sticky: true});
      line.bindPopup(wbTip(route.tip));
      line.on('click', function (ev) { wbSelect(route.ends, route.links, ev); });
      part.forEach(function (p) { points.push(p); });
      return line;
    });
    var arrow = L.marker(route.arrow, {icon: wbArrowIcon(route), interactive: true,
                                       keyboard: false}).addTo(map);
    arrow.bindTooltip(wbTip(route.tip));
    arrow.on('click', function (ev) { wbSelect(route.ends, route.links, ev); });
    wb.routes.push({lines: lines, arrow: arrow, ends: route.ends, links: route.links,
                    width: route.width});
  });
  data.spots.slice().reverse().forEach(function (spot) {
    var circle = L.circleMarker(spot.at, {
      radius: spot.radius, weight: spot.region ? 2 : 1.5, dashArray: spot.region ? '4 3' : null,
      color: spot.region ? data.legend.regionColour : '#ffffff',
      fillColor: spot.region ? data.legend.regionColour : data.legend.hotspotColour,
      fillOpacity: spot.region ? 0.2 : 0.72, className: 'wb-hotspot'}).addTo(map);
    circle.bindTooltip(wbTip(spot.tip));
    circle.bindPopup(wbTip(spot.tip));
    if (spot.label) {
      var tag = document.createElement('span'); tag.textContent = spot.label;
      var label = L.tooltip({permanent: true, direction: 'right', offset: [spot.radius, 0],
                             className: 'wb-label', interactive: false})
        .setLatLng(spot.at).setContent(tag).addTo(map);
      wb.labels.push(label);
    }
    circle.on('click', function (ev) { wbSelect([spot.id], [], ev); });
    wb.spots[spot.id] = {circle: circle, region: spot.region};
    points.push(spot.at);
  });
  // Spots were added quietest first; busiest labels come first when clearing overlaps.
  wb.labels.reverse();
  map.on('zoomend moveend', wbDeclutter);
  var legendBox = wbLegend(map, data.legend);
  if (fit && points.length) {
    // Keep the routes clear of the legend (right) and the zoom buttons and labels.
    var right = Math.min(legendBox.offsetWidth + 24, map.getSize().x / 3);
    map.fitBounds(L.latLngBounds(points), {paddingTopLeft: [56, 36],
                  paddingBottomRight: [right + 60, 36], maxZoom: 6});
  }
  wbDeclutter();
}
function wbDeclutter() {
  // Hide a place label that would overlap a busier one (labels are ranked busiest first).
  var wb = window.wbRoutes; if (!wb) return;
  var placed = [];
  wb.labels.forEach(function (label) {
    var el = label.getElement(); if (!el) return;
    el.style.visibility = 'visible';
    var box = el.getBoundingClientRect();
    var clash = placed.some(function (o) {
      return box.left < o.right && box.right > o.left && box.top < o.bottom && box.bottom > o.top;
    });
    if (clash) { el.style.visibility = 'hidden'; } else { placed.push(box); }
  });
}
function wbHighlight(ids, linkIds) {
  var wb = window.wbRoutes; if (!wb) return;
  var chosen = {}; ids.forEach(function (id) { chosen[id] = true; });
  var chosenLinks = {}; (linkIds || []).forEach(function (id) { chosenLinks[id] = true; });
  var any = ids.length > 0 || (linkIds || []).length > 0;
  wb.routes.forEach(function (route) {
    var on = chosen[route.ends[0]] || chosen[route.ends[1]] ||
      route.links.some(function (id) { return chosenLinks[id]; });
    route.lines.forEach(function (line) {
      line.setStyle({opacity: !any ? 0.85 : (on ? 1 : 0.12),
                     weight: on ? route.width + 2 : route.width});
    });
    route.arrow.setOpacity(!any || on ? 1 : 0.15);
  });
  Object.keys(wb.spots).forEach(function (id) {
    var spot = wb.spots[id];
    spot.circle.setStyle(chosen[id] ? {color: '#ffb000', weight: 4}
      : {color: spot.region ? '#7a5195' : '#ffffff', weight: spot.region ? 2 : 1.5});
  });
  return ids.length;
}
"""
