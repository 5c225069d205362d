// The route map page's script (workbench/geo/interactive.py puts it into every map page).
// It reads everything it draws from the page's JSON data elements and puts text into the DOM
// with textContent only: labels come from scraped data.
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
function wbNote(map, text) {
  var control = L.control({position: 'topright'});
  control.onAdd = function () {
    var box = L.DomUtil.create('div', 'wb-note'); box.textContent = text;
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  control.addTo(map);
  return control.getContainer();
}
function wbFit() {
  // Fit the routes clear of the legend (right), the note (top) and the zoom buttons.
  var wb = window.wbRoutes; if (!wb || !wb.points.length) return;
  var size = wb.map.getSize(); if (size.x < 50 || size.y < 50) return;
  var right = Math.min(wb.legend.offsetWidth + 24, size.x / 3);
  var top = wb.note ? Math.min(wb.note.offsetHeight + 20, size.y / 4) : 0;
  wb.fitting = true;
  try {
    wb.map.fitBounds(L.latLngBounds(wb.points), {paddingTopLeft: [56, Math.max(36, top)],
                     paddingBottomRight: [right + 60, 36], maxZoom: 6, animate: false});
  } finally { wb.fitting = false; }
}
function wbDrawRoutes(map, outlines, data) {
  var wb = window.wbRoutes = {map: map, routes: [], spots: {}, labels: [], points: [],
                              moved: false, fitting: false};
  L.geoJSON(outlines, {interactive: false, style: {color: '#a9a39a', weight: 0.6,
    fillColor: '#f6f3ec', fillOpacity: 1}}).addTo(map);
  var points = wb.points;
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
  wb.legend = wbLegend(map, data.legend);
  wb.note = data.legend.note ? wbNote(map, data.legend.note) : null;
  // Refit when the window changes size (a dock resized, floated or docked) until the
  // reader has panned or zoomed the map themselves.
  map.on('dragstart zoomstart', function () { if (!wb.fitting) wb.moved = true; });
  map.on('resize', function () { if (data.fit && !wb.moved) wbFit(); wbDeclutter(); });
  if (data.fit) wbFit();
  wbDeclutter();
}
function wbStart() {
  function read(id) { return JSON.parse(document.getElementById(id).textContent); }
  var data = read('wb-data');
  var map = L.map('wb-map', {center: [20, 10], zoom: 2, minZoom: 1, maxZoom: 10,
                             zoomSnap: 0.25, worldCopyJump: false,
                             attributionControl: !!data.tiles});
  if (data.tiles) {
    L.tileLayer(data.tiles.url, {attribution: data.tiles.attribution,
                                 subdomains: data.tiles.subdomains,
                                 maxZoom: data.tiles.maxZoom}).addTo(map);
  }
  wbDrawRoutes(map, read('wb-outlines'), data);
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
wbStart();
