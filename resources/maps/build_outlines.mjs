// Builds resources/maps/world-outlines.geojson: simplified Natural Earth 1:50m country outlines
// from the npm packages world-atlas (ISC; data public domain), topojson-client and
// topojson-simplify. Run: npm install world-atlas@2 topojson-client@3 topojson-simplify@3 &&
// node build_outlines.mjs node_modules/world-atlas/countries-50m.json 0.3 world-outlines.geojson
import fs from "fs";
import {feature} from "topojson-client";
import {presimplify, simplify, quantile} from "topojson-simplify";
const [src, q, out] = process.argv.slice(2);
let topo = JSON.parse(fs.readFileSync(src));
topo = presimplify(topo);
topo = simplify(topo, quantile(topo, Number(q)));
const fc = feature(topo, topo.objects.countries);
// Rings that cross the 180th meridian (Russia's Chukotka, Fiji) jump from +180 to -180;
// move their western-hemisphere points east of 180 so each ring stays continuous.
const unwrap = (ring) => {
  const lons = ring.map(p => p[0]);
  if (Math.max(...lons) - Math.min(...lons) <= 180) return ring;
  return ring.map(p => p[0] < 0 ? [p[0] + 360, p[1]] : p);
};
const fixGeom = (g) => !g ? g : g.type === "Polygon" ? {type: g.type, coordinates: g.coordinates.map(unwrap)}
  : {type: g.type, coordinates: g.coordinates.map(poly => poly.map(unwrap))};
const round = (c) => Array.isArray(c[0]) ? c.map(round) : [Math.round(c[0]*100)/100, Math.round(c[1]*100)/100];
fc.features = fc.features.filter(f => f.id !== "010").map(f => ({type: "Feature", id: f.id, properties: {name: f.properties.name}, geometry: f.geometry && (g => ({type: g.type, coordinates: round(g.coordinates)}))(fixGeom(f.geometry))}));
fs.writeFileSync(out, JSON.stringify(fc));
