import { seededRandom } from '@fleetline/proto';

/**
 * Routes as GPS polylines, and positions along them. Distances use a local equirectangular
 * projection per segment (exact to well under a metre over the few-kilometre segments used
 * here); positions are interpolated linearly in latitude/longitude, so they lie on the
 * polyline as drawn on a map.
 */

const EARTH_RADIUS_M = 6_371_000;
const RAD = Math.PI / 180;

export type LatLon = readonly [lat: number, lon: number];

export interface Route {
  readonly name: string;
  readonly points: readonly LatLon[];
  /**
   * A closed route returns from its last point to its first and loops; an open one is driven
   * to its end and back again.
   */
  readonly closed: boolean;
}

export interface RoutePosition {
  latitude: number;
  longitude: number;
  /** Compass heading of the segment driven, degrees clockwise from north, [0, 360). */
  headingDeg: number;
  /** Index into `legs` of the segment driven. */
  leg: number;
  /** Metres left to the end of the segment driven. */
  toTurnM: number;
  /** Heading change at the end of the segment, degrees (absolute, 0–180). */
  turnDeg: number;
}

/** A city loop of about 6 km through a grid of streets, with right-angle turns. */
export const cityLoop: Route = {
  name: 'city-loop',
  closed: true,
  points: [
    [31.2304, 121.4737],
    [31.2304, 121.485],
    [31.239, 121.485],
    [31.239, 121.493],
    [31.246, 121.493],
    [31.246, 121.4737],
    [31.238, 121.47],
  ],
};

/** About 55 km of motorway with gentle bends, driven out and back. */
export const highwayLeg: Route = {
  name: 'highway-leg',
  closed: false,
  points: [
    [31.22, 121.4],
    [31.235, 121.3],
    [31.26, 121.2],
    [31.29, 121.1],
    [31.32, 121.0],
    [31.35, 120.95],
  ],
};

export const builtInRoutes: readonly Route[] = [cityLoop, highwayLeg];

/**
 * A closed route generated from a seed: `corners` points around `center` at radii between
 * half and all of `radiusM`, in angle order, so the loop never crosses itself.
 */
export function generatedRoute(
  seed: number,
  center: LatLon = [31.23, 121.47],
  radiusM = 2_000,
  corners = 9,
): Route {
  const r = seededRandom(seed);
  const points: LatLon[] = [];
  for (let i = 0; i < corners; i++) {
    const angle = ((i + 0.2 + r() * 0.6) / corners) * 2 * Math.PI;
    const dist = radiusM * (0.5 + r() * 0.5);
    const north = dist * Math.cos(angle);
    const east = dist * Math.sin(angle);
    points.push([
      center[0] + north / EARTH_RADIUS_M / RAD,
      center[1] + east / (EARTH_RADIUS_M * Math.cos(center[0] * RAD)) / RAD,
    ]);
  }
  return { name: `generated-${seed >>> 0}`, closed: true, points };
}

export interface Leg {
  readonly from: LatLon;
  readonly to: LatLon;
  readonly lengthM: number;
  readonly headingDeg: number;
  /** Distance along the path at the start of the leg. */
  readonly startM: number;
}

/** A route prepared for lookups: its legs in driving order (out and back for open routes). */
export interface RoutePath {
  readonly route: Route;
  readonly legs: readonly Leg[];
  readonly lengthM: number;
}

/** East and north metres of `p` from `origin`. */
export function localMetres(origin: LatLon, p: LatLon): [east: number, north: number] {
  const midLat = ((origin[0] + p[0]) / 2) * RAD;
  return [
    (p[1] - origin[1]) * RAD * EARTH_RADIUS_M * Math.cos(midLat),
    (p[0] - origin[0]) * RAD * EARTH_RADIUS_M,
  ];
}

export function routePath(route: Route): RoutePath {
  if (route.points.length < 2) throw new Error(`route ${route.name} needs two points or more`);
  const pts = [...route.points];
  const order: LatLon[] = route.closed
    ? [...pts, pts[0] as LatLon]
    : [...pts, ...pts.slice(0, -1).reverse()];
  const legs: Leg[] = [];
  let at = 0;
  for (let i = 0; i + 1 < order.length; i++) {
    const from = order[i] as LatLon;
    const to = order[i + 1] as LatLon;
    const [e, n] = localMetres(from, to);
    const lengthM = Math.hypot(e, n);
    if (lengthM === 0) continue;
    const headingDeg = (((Math.atan2(e, n) / RAD) % 360) + 360) % 360;
    legs.push({ from, to, lengthM, headingDeg, startM: at });
    at += lengthM;
  }
  return { route, legs, lengthM: at };
}

/** Where a vehicle is after driving `distanceM` along the path from its start. */
export function positionAt(path: RoutePath, distanceM: number): RoutePosition {
  const d = ((distanceM % path.lengthM) + path.lengthM) % path.lengthM;
  // Binary search for the leg holding d.
  let lo = 0;
  let hi = path.legs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((path.legs[mid] as Leg).startM <= d) lo = mid;
    else hi = mid - 1;
  }
  const leg = path.legs[lo] as Leg;
  const next = path.legs[(lo + 1) % path.legs.length] as Leg;
  const f = Math.min(1, (d - leg.startM) / leg.lengthM);
  const turn = Math.abs(((((next.headingDeg - leg.headingDeg) % 360) + 540) % 360) - 180);
  return {
    latitude: leg.from[0] + (leg.to[0] - leg.from[0]) * f,
    longitude: leg.from[1] + (leg.to[1] - leg.from[1]) * f,
    headingDeg: leg.headingDeg,
    leg: lo,
    toTurnM: leg.lengthM * (1 - f),
    turnDeg: turn,
  };
}

/** Distance in metres from a point to the nearest point of the route's polyline. */
export function distanceToRoute(path: RoutePath, p: LatLon): number {
  let best = Number.POSITIVE_INFINITY;
  for (const leg of path.legs) {
    const [bx, by] = localMetres(leg.from, leg.to);
    const [px, py] = localMetres(leg.from, p);
    const len2 = bx * bx + by * by;
    const t = Math.max(0, Math.min(1, (px * bx + py * by) / len2));
    best = Math.min(best, Math.hypot(px - t * bx, py - t * by));
  }
  return best;
}
