// The world map of the flows page: Natural Earth's countries at 1:50m from the `world-atlas`
// package (TopoJSON, bundled by Vite, never fetched at run time), as GeoJSON whose features are
// named by ISO alpha-3, and a point per country to draw corridors between. world-atlas names
// its features by ISO 3166-1 numeric code; GET /flows `countries` gives numeric ↔ alpha-3.
// 1:50m rather than 1:110m: the smaller map leaves out Singapore, Bahrain, Malta, Hong Kong and
// other small countries that are corridor ends in the case data.
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import atlas from 'world-atlas/countries-50m.json';

export const WORLD_MAP = 'ctip-world';

interface CountryProperties {
  /** ISO alpha-3 when the feature's numeric code is an ISO country, else world-atlas's name. */
  name: string;
  /** world-atlas's own (English) name. */
  atlasName: string;
}

let geo: FeatureCollection<Geometry, CountryProperties> | null = null;
let numericToAlpha3 = new Map<string, string>();

/** Call first, with GET /flows `countries`: features are then named by alpha-3. */
export function setCountryCodes(countries: readonly { alpha3: string; numeric: string }[]): void {
  const next = new Map(countries.map((c) => [c.numeric, c.alpha3]));
  if (next.size === numericToAlpha3.size && [...next].every(([k, v]) => numericToAlpha3.get(k) === v)) return;
  numericToAlpha3 = next;
  geo = null;
}

export function worldGeoJson(): FeatureCollection<Geometry, CountryProperties> {
  if (geo) return geo;
  const topology = atlas as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const collection = feature(topology, topology.objects.countries) as FeatureCollection<Geometry, { name: string }>;
  geo = {
    type: 'FeatureCollection',
    // Antarctica (010) holds no corridor and would take a fifth of the map's height.
    features: collection.features.filter((f) => String(f.id) !== '010').map((f: Feature<Geometry, { name: string }>) => {
      const id = f.id === undefined ? undefined : String(f.id);
      const alpha3 = id ? numericToAlpha3.get(id) : undefined;
      return {
        ...f,
        geometry: f.geometry && unwrapGeometry(f.geometry),
        properties: { name: alpha3 ?? f.properties.name, atlasName: f.properties.name },
      };
    }),
  };
  return geo;
}

// A ring that crosses the antimeridian (Russia's, Fiji's) jumps from 180 to -180 and back:
// drawn as it is, it is a line across the whole map, and its centroid lands in the wrong place.
// Unwrapped into one run of longitudes, Chukotka is drawn just past 180°E.
function unwrapRing(raw: Position[]): Position[] {
  let shift = 0;
  return raw.map(([x, y], i) => {
    if (i > 0) {
      const dx = x - raw[i - 1][0];
      if (dx > 180) shift -= 360;
      else if (dx < -180) shift += 360;
    }
    return [x + shift, y];
  });
}

function unwrapGeometry(g: Geometry): Geometry {
  if (g.type === 'Polygon') return { ...g, coordinates: g.coordinates.map(unwrapRing) };
  if (g.type === 'MultiPolygon') return { ...g, coordinates: g.coordinates.map((p) => p.map(unwrapRing)) };
  return g;
}

// Planar area (signed) and centroid of a ring in longitude/latitude: good enough to place a
// point inside a country on an equirectangular map, and to pick a country's largest polygon.
function ringAreaCentroid(ring: Position[]): { area: number; x: number; y: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j];
    const [x1, y1] = ring[i];
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  a /= 2;
  if (a === 0) return { area: 0, x: ring[0]?.[0] ?? 0, y: ring[0]?.[1] ?? 0 };
  const x = cx / (6 * a);
  return { area: Math.abs(a), x: ((((x + 180) % 360) + 360) % 360) - 180, y: cy / (6 * a) };
}

/** A point per country (alpha-3): the centroid of its largest polygon (France's is in Europe,
 * the United States' in the contiguous states). */
export function countryPoints(): Map<string, [number, number]> {
  const points = new Map<string, [number, number]>();
  for (const f of worldGeoJson().features) {
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) continue;
    const polygons = g.type === 'Polygon' ? [(g as Polygon).coordinates] : (g as MultiPolygon).coordinates;
    let best: { area: number; x: number; y: number } | null = null;
    for (const polygon of polygons) {
      const outer = polygon[0];
      if (!outer || outer.length < 3) continue;
      const c = ringAreaCentroid(outer);
      if (!best || c.area > best.area) best = c;
    }
    if (best) points.set(f.properties.name, [best.x, best.y]);
  }
  return points;
}
