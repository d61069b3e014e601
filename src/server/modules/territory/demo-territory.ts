import type { AreaGeometry, Position } from '../../../shared/territory.ts';
import { unionGeometries } from './boundary-validation.ts';
import type { BoundingBox } from './coordinates.ts';
import type { LeafGrid } from './grid-locator.ts';

/*
 * Synthetic boundaries for the demo town: nothing here is an official boundary.
 *
 * A lattice of quadrilaterals covers the town box; every vertex, the outline's too, is moved by a
 * seeded random amount of less than half a cell, so cells look hand-drawn yet stay simple polygons
 * (each side stays on its own side of the cell's middle), and neighbours share their vertices, so the
 * cells tile the town exactly — no float gaps or slivers for validation to find. Where the lattice has
 * more cells than leaves wanted, a few pairs of side-by-side cells make one leaf. Villages and level-2
 * grids are sets of whole leaves, and their boundaries are unions of leaves.
 */

type PolygonGeometry = Extract<AreaGeometry, { type: 'Polygon' }>;

/** Coordinates are rounded to 1e-7° (about 1 cm): plenty for a demo and half the JSON. */
const COORDINATE_SCALE = 1e7;
const DEFAULT_JITTER = 0.3;
const MIN_CELLS_PER_VILLAGE = 3;
/** With exactly 3 cells a village the repair becomes a tiling puzzle it often cannot solve; 4 leaves slack. */
const MIN_AVERAGE_CELLS_PER_VILLAGE = 4;
const MAX_SEQ = 999;

/** mulberry32: tiny, fast and the same on every platform, which is all a demo generator needs. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function roundCoordinate(value: number): number {
  return Math.round(value * COORDINATE_SCALE) / COORDINATE_SCALE;
}

interface Lattice {
  columns: number;
  rows: number;
  /** Row-major from the north-west corner, (columns + 1) × (rows + 1) positions. */
  vertices: [number, number][];
}

function jitteredLattice(
  box: BoundingBox,
  columns: number,
  rows: number,
  jitter: number,
  random: () => number,
): Lattice {
  if (!(Number.isInteger(columns) && Number.isInteger(rows) && columns >= 1 && rows >= 1)) {
    throw new RangeError('a lattice needs whole numbers of columns and rows, at least 1 each');
  }
  if (!(jitter >= 0 && jitter < 0.5)) throw new RangeError('jitter must be at least 0 and below 0.5');
  const [minLon, minLat, maxLon, maxLat] = box;
  const cellLon = (maxLon - minLon) / columns;
  const cellLat = (maxLat - minLat) / rows;
  const vertices: [number, number][] = [];
  for (let row = 0; row <= rows; row++) {
    for (let column = 0; column <= columns; column++) {
      const lon = minLon + (column + (random() * 2 - 1) * jitter) * cellLon;
      const lat = maxLat - (row + (random() * 2 - 1) * jitter) * cellLat;
      vertices.push([roundCoordinate(lon), roundCoordinate(lat)]);
    }
  }
  return { columns, rows, vertices };
}

/** The ring of `span` cells side by side from (column, row), counter-clockwise as GeoJSON asks. */
function latticeRing(lattice: Lattice, column: number, row: number, span: number): Position[] {
  const vertex = (c: number, r: number): Position => {
    const position = lattice.vertices[r * (lattice.columns + 1) + c];
    if (position === undefined) throw new RangeError(`no lattice vertex at column ${c}, row ${r}`);
    return [position[0], position[1]];
  };
  const ring: Position[] = [vertex(column, row)];
  for (let k = 0; k <= span; k++) ring.push(vertex(column + k, row + 1));
  for (let k = span; k >= 1; k--) ring.push(vertex(column + k, row));
  ring.push(vertex(column, row));
  return ring;
}

export interface LatticeOptions {
  box: BoundingBox;
  columns: number;
  rows: number;
  seed: number;
  /** Largest vertex shift as a fraction of a cell, below 0.5; 0.3 unless given. */
  jitter?: number;
}

export interface LatticeCell extends LeafGrid {
  column: number;
  row: number;
  geometry: PolygonGeometry;
}

/** Jittered quadrilateral cells tiling about the box (its outline is jittered too), row-major from the north-west. */
export function generateLattice(options: LatticeOptions): LatticeCell[] {
  const lattice = jitteredLattice(
    options.box,
    options.columns,
    options.rows,
    options.jitter ?? DEFAULT_JITTER,
    createRandom(options.seed),
  );
  const cells: LatticeCell[] = [];
  for (let row = 0; row < lattice.rows; row++) {
    for (let column = 0; column < lattice.columns; column++) {
      cells.push({
        code: `r${row}c${column}`,
        column,
        row,
        geometry: { type: 'Polygon', coordinates: [latticeRing(lattice, column, row, 1)] },
      });
    }
  }
  return cells;
}

/** One leaf grid: a lattice cell, or two side by side where the lattice had more cells than wanted. */
interface Unit {
  ring: Position[];
  /** Centroid of the vertices, with longitude scaled by cos(latitude) so distances are isotropic. */
  x: number;
  y: number;
}

/** The leaf units over the lattice and how they touch. */
interface Mesh {
  lattice: Lattice;
  units: Unit[];
  /** Lattice cell (row-major) → unit. */
  cellUnit: Int32Array;
  neighbours: number[][];
  /** Units touching the town's outline. */
  onOutline: Set<number>;
}

function buildMesh(lattice: Lattice, leafCount: number, lonScale: number, random: () => number): Mesh {
  const { columns, rows } = lattice;
  const merges = columns * rows - leafCount;
  // Merging only pairs starting at even columns keeps the chosen pairs from overlapping.
  const candidates: number[] = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column + 1 < columns; column += 2) candidates.push(row * columns + column);
  }
  if (merges < 0 || merges > candidates.length) {
    throw new RangeError(`cannot make ${leafCount} leaf grids from a ${columns}×${rows} lattice`);
  }
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [candidates[i], candidates[j]] = [candidates[j] as number, candidates[i] as number];
  }
  const mergedStarts = new Set(candidates.slice(0, merges));

  const cellUnit = new Int32Array(columns * rows);
  const units: Unit[] = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const cell = row * columns + column;
      if (column > 0 && mergedStarts.has(cell - 1)) {
        cellUnit[cell] = cellUnit[cell - 1] as number;
        continue;
      }
      const span = mergedStarts.has(cell) ? 2 : 1;
      const ring = latticeRing(lattice, column, row, span);
      const open = ring.slice(1);
      const x = open.reduce((sum, [lon]) => sum + lon, 0) / open.length;
      const y = open.reduce((sum, [, lat]) => sum + lat, 0) / open.length;
      cellUnit[cell] = units.length;
      units.push({ ring, x: x * lonScale, y });
    }
  }

  const neighbourSets = units.map(() => new Set<number>());
  const link = (a: number, b: number) => {
    const unitA = cellUnit[a] as number;
    const unitB = cellUnit[b] as number;
    if (unitA === unitB) return;
    neighbourSets[unitA]?.add(unitB);
    neighbourSets[unitB]?.add(unitA);
  };
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const cell = row * columns + column;
      if (column + 1 < columns) link(cell, cell + 1);
      if (row + 1 < rows) link(cell, cell + columns);
    }
  }
  const neighbours = neighbourSets.map((set) => [...set].sort((a, b) => a - b));
  const onOutline = new Set<number>();
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      if (row === 0 || column === 0 || row === rows - 1 || column === columns - 1) {
        onOutline.add(cellUnit[row * columns + column] as number);
      }
    }
  }
  return { lattice, units, cellUnit, neighbours, onOutline };
}

function squaredDistance(unit: Unit, point: readonly [number, number]): number {
  return (unit.x - point[0]) ** 2 + (unit.y - point[1]) ** 2;
}

/** The unit (from `among`) farthest from every point in `from`; the lowest index wins ties. */
function farthestUnit(
  mesh: Mesh,
  among: readonly number[],
  from: readonly (readonly [number, number])[],
): number {
  let best = -1;
  let bestDistance = -1;
  for (const unit of among) {
    const u = mesh.units[unit] as Unit;
    const distance = Math.min(...from.map((point) => squaredDistance(u, point)));
    if (distance > bestDistance) {
      best = unit;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Labels of units: label ≥ 0 for a region, -1 for units outside the domain being partitioned (other
 * villages when splitting one village into level-2 grids). The repair makes every region connected,
 * at least `minSize` units, and free of pinches (two of its cells meeting only at a corner with the
 * other two cells there not in it), because the union of a pinched region touches itself at a point,
 * which boundary validation rightly reports as a self-intersection.
 */
function repairPartition(
  mesh: Mesh,
  labels: Int32Array,
  labelCount: number,
  minSize: number,
  initialAnchors: readonly (readonly [number, number])[],
): void {
  const anchors = [...initialAnchors];
  const maxRounds = mesh.units.length * 10;
  for (let round = 0; round < maxRounds; round++) {
    if (joinStrayPieces(mesh, labels, labelCount)) continue;
    if (growSmallRegions(mesh, labels, labelCount, minSize, anchors)) continue;
    if (resolvePinches(mesh, labels, minSize)) continue;
    return;
  }
  throw new Error('the demo territory did not settle; try another seed');
}

function membersOf(labels: Int32Array, label: number): number[] {
  const members: number[] = [];
  labels.forEach((value, unit) => {
    if (value === label) members.push(unit);
  });
  return members;
}

/** Connected pieces of a region, each listed from its lowest unit. */
function piecesOf(mesh: Mesh, labels: Int32Array, label: number, without = -1): number[][] {
  const seen = new Set<number>([without]);
  const pieces: number[][] = [];
  for (const start of membersOf(labels, label)) {
    if (seen.has(start)) continue;
    seen.add(start);
    const piece = [start];
    for (let i = 0; i < piece.length; i++) {
      for (const next of mesh.neighbours[piece[i] as number] ?? []) {
        if (labels[next] === label && !seen.has(next)) {
          seen.add(next);
          piece.push(next);
        }
      }
    }
    pieces.push(piece);
  }
  return pieces;
}

/** Whether `unit` may leave its region for `to`: the region stays big enough and in one piece. */
function canMove(mesh: Mesh, labels: Int32Array, unit: number, to: number, minSize: number): boolean {
  const from = labels[unit] as number;
  if (from < 0 || to < 0 || from === to) return false;
  if (!(mesh.neighbours[unit] ?? []).some((next) => labels[next] === to)) return false;
  if (membersOf(labels, from).length <= minSize) return false;
  return piecesOf(mesh, labels, from, unit).length === 1;
}

/** Keeps each region's largest piece and hands the other pieces to the regions around them. */
function joinStrayPieces(mesh: Mesh, labels: Int32Array, labelCount: number): boolean {
  for (let label = 0; label < labelCount; label++) {
    const pieces = piecesOf(mesh, labels, label);
    if (pieces.length <= 1) continue;
    const keep = pieces.reduce((largest, piece) => (piece.length > largest.length ? piece : largest));
    handOut(mesh, labels, pieces.filter((piece) => piece !== keep).flat());
    return true;
  }
  return false;
}

/** Gives each unit to the lowest-numbered region next to it, working inwards from the edge of the set. */
function handOut(mesh: Mesh, labels: Int32Array, units: readonly number[]): void {
  const UNASSIGNED = -2;
  for (const unit of units) labels[unit] = UNASSIGNED;
  let left = units;
  while (left.length > 0) {
    const stillLeft: number[] = [];
    for (const unit of left) {
      const taker = (mesh.neighbours[unit] ?? [])
        .map((next) => labels[next] as number)
        .filter((value) => value >= 0)
        .sort((a, b) => a - b)[0];
      if (taker === undefined) stillLeft.push(unit);
      else labels[unit] = taker;
    }
    if (stillLeft.length === left.length) throw new Error('the demo territory has an unreachable piece');
    left = stillLeft;
  }
}

/**
 * Gives a region below `minSize` the nearest unit a neighbour can spare. A region that cannot grow
 * where it is (say two villages given the same centre in a corner) is dissolved into its neighbours
 * and restarted deep inside the largest region, where taking units cannot cut that region apart.
 */
function growSmallRegions(
  mesh: Mesh,
  labels: Int32Array,
  labelCount: number,
  minSize: number,
  anchors: (readonly [number, number])[],
): boolean {
  for (let label = 0; label < labelCount; label++) {
    const members = membersOf(labels, label);
    if (members.length >= minSize) continue;
    const anchor =
      members.length === 0
        ? (anchors[label] ?? [0, 0])
        : ([
            members.reduce((sum, unit) => sum + (mesh.units[unit] as Unit).x, 0) / members.length,
            members.reduce((sum, unit) => sum + (mesh.units[unit] as Unit).y, 0) / members.length,
          ] as const);
    const candidates =
      members.length === 0
        ? mesh.units.map((_, unit) => unit).filter((unit) => (labels[unit] as number) >= 0)
        : [...new Set(members.flatMap((unit) => mesh.neighbours[unit] ?? []))].filter(
            (unit) => (labels[unit] as number) >= 0 && labels[unit] !== label,
          );
    const spare = candidates
      .filter((unit) => {
        const from = labels[unit] as number;
        return membersOf(labels, from).length > minSize && piecesOf(mesh, labels, from, unit).length === 1;
      })
      .sort(
        (a, b) =>
          squaredDistance(mesh.units[a] as Unit, anchor) - squaredDistance(mesh.units[b] as Unit, anchor) ||
          a - b,
      )[0];
    if (spare !== undefined) {
      labels[spare] = label;
      return true;
    }
    if (members.length === 0) throw new Error('the demo territory has no room for another region');
    const restart = deepestUnit(mesh, labels, labelCount);
    handOut(mesh, labels, members);
    const { x, y } = mesh.units[restart] as Unit;
    anchors[label] = [x, y];
    labels[restart] = label;
    return true;
  }
  return false;
}

/** The unit of the largest region farthest (in steps) from that region's edge and the town's outline. */
function deepestUnit(mesh: Mesh, labels: Int32Array, labelCount: number): number {
  const groups = groupsByLabel(labels, labelCount);
  const largest = groups.reduce((best, group) => (group.length > best.length ? group : best));
  const label = labels[largest[0] as number] as number;
  const depth = new Map<number, number>();
  const queue = largest.filter(
    (unit) =>
      mesh.onOutline.has(unit) || (mesh.neighbours[unit] ?? []).some((next) => labels[next] !== label),
  );
  for (const unit of queue) depth.set(unit, 0);
  for (let i = 0; i < queue.length; i++) {
    const unit = queue[i] as number;
    for (const next of mesh.neighbours[unit] ?? []) {
      if (labels[next] === label && !depth.has(next)) {
        depth.set(next, (depth.get(unit) as number) + 1);
        queue.push(next);
      }
    }
  }
  return queue.reduce((best, unit) =>
    (depth.get(unit) as number) > (depth.get(best) as number) ||
    ((depth.get(unit) as number) === (depth.get(best) as number) && unit < best)
      ? unit
      : best,
  );
}

/** Undoes one pinch: fills one of the two cells missing at the corner, or else gives a pinched cell away. */
function resolvePinches(mesh: Mesh, labels: Int32Array, minSize: number): boolean {
  const { columns, rows } = mesh.lattice;
  const unitAt = (column: number, row: number) => mesh.cellUnit[row * columns + column] as number;
  for (let row = 1; row < rows; row++) {
    for (let column = 1; column < columns; column++) {
      const nw = unitAt(column - 1, row - 1);
      const ne = unitAt(column, row - 1);
      const sw = unitAt(column - 1, row);
      const se = unitAt(column, row);
      for (const [a, b, c, d] of [
        [nw, se, ne, sw],
        [ne, sw, nw, se],
      ] as const) {
        const label = labels[a] as number;
        if (label < 0 || labels[b] !== label || labels[c] === label || labels[d] === label) continue;
        const moves: [number, number][] = [
          [c, label],
          [d, label],
          [a, labels[c] as number],
          [a, labels[d] as number],
          [b, labels[c] as number],
          [b, labels[d] as number],
        ];
        const move = moves.find(([unit, to]) => canMove(mesh, labels, unit, to, minSize));
        if (move === undefined) throw new Error('the demo territory has a pinch it cannot undo');
        labels[move[0]] = move[1];
        return true;
      }
    }
  }
  return false;
}

/** Units in lattice order per label: a stable, roughly north-west-first numbering. */
function groupsByLabel(labels: Int32Array, labelCount: number): number[][] {
  const groups: number[][] = Array.from({ length: labelCount }, () => []);
  labels.forEach((label, unit) => {
    if (label >= 0) groups[label]?.push(unit);
  });
  return groups;
}

/** How many level-2 grids each village gets: at least one, then one at a time to the village with the most cells per grid. */
function apportionLevel2(sizes: readonly number[], target: number): number[] {
  const counts = sizes.map(() => 1);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  for (let assigned = sizes.length; assigned < Math.min(target, total); assigned++) {
    let best = -1;
    sizes.forEach((size, village) => {
      const count = counts[village] as number;
      if (count >= size) return;
      if (best === -1 || size / count > (sizes[best] as number) / (counts[best] as number)) best = village;
    });
    if (best === -1) break;
    counts[best] = (counts[best] as number) + 1;
  }
  return counts;
}

/**
 * Splits one village into `count` connected level-2 regions: seeds spread by farthest-point sampling,
 * then the smallest region repeatedly takes the free neighbour nearest its seed, which keeps sizes even.
 */
function splitVillage(mesh: Mesh, members: readonly number[], count: number): number[][] {
  const labels = new Int32Array(mesh.units.length).fill(-1);
  const FREE = -3;
  for (const unit of members) labels[unit] = FREE;
  const centroid = [
    members.reduce((sum, unit) => sum + (mesh.units[unit] as Unit).x, 0) / members.length,
    members.reduce((sum, unit) => sum + (mesh.units[unit] as Unit).y, 0) / members.length,
  ] as const;
  const seeds: (readonly [number, number])[] = [];
  const sizes: number[] = [];
  for (let group = 0; group < count; group++) {
    const seed = farthestUnit(
      mesh,
      members.filter((unit) => labels[unit] === FREE),
      seeds.length === 0 ? [centroid] : seeds,
    );
    const unit = mesh.units[seed] as Unit;
    seeds.push([unit.x, unit.y]);
    labels[seed] = group;
    sizes.push(1);
  }
  for (let free = members.length - count; free > 0; free--) {
    const order = sizes
      .map((_, group) => group)
      .sort((a, b) => (sizes[a] as number) - (sizes[b] as number) || a - b);
    let claimed = false;
    for (const group of order) {
      const seedPoint = seeds[group] as readonly [number, number];
      const frontier = [
        ...new Set(membersOf(labels, group).flatMap((unit) => mesh.neighbours[unit] ?? [])),
      ].filter((unit) => labels[unit] === FREE);
      const next = frontier.sort(
        (a, b) =>
          squaredDistance(mesh.units[a] as Unit, seedPoint) -
            squaredDistance(mesh.units[b] as Unit, seedPoint) || a - b,
      )[0];
      if (next === undefined) continue;
      labels[next] = group;
      sizes[group] = (sizes[group] as number) + 1;
      claimed = true;
      break;
    }
    if (!claimed) throw new Error('a demo village is not in one piece');
  }
  repairPartition(mesh, labels, count, 1, seeds);
  return groupsByLabel(labels, count)
    .filter((group) => group.length > 0)
    .sort((a, b) => (a[0] as number) - (b[0] as number));
}

export interface DemoTerritoryOptions {
  /** [minLon, minLat, maxLon, maxLat], WGS-84. */
  townBox: BoundingBox;
  /** Villages with a centre get the cells nearest it; the others get spread-out made-up centres. */
  villages: { code: string; centre?: [number, number] }[];
  /** Number of leaf (level-3) grids, exactly. */
  leafTarget: number;
  /** Number of level-2 grids over the town, exactly, but at least one a village and at most one a leaf. */
  level2Target: number;
  seed: number;
}

export interface DemoGrid {
  code: string;
  parentCode: string;
  gridLevel: 1 | 2 | 3;
  seq: number;
  geometry: AreaGeometry;
}

export interface DemoTerritory {
  town: AreaGeometry;
  villages: { code: string; geometry: AreaGeometry }[];
  /** Each grid right after its parent: level 1, then each level 2 followed by its leaves. */
  grids: DemoGrid[];
}

function seqCode(seq: number): string {
  if (seq > MAX_SEQ) throw new RangeError(`a grid level holds at most ${MAX_SEQ} grids`);
  return String(seq).padStart(3, '0');
}

function unionOf(mesh: Mesh, units: readonly number[]): AreaGeometry {
  const geometry = unionGeometries(
    units.map((unit) => ({ type: 'Polygon', coordinates: [(mesh.units[unit] as Unit).ring] })),
  );
  if (geometry === null) throw new Error('a demo region has no cells');
  return geometry;
}

/**
 * Makes up a deterministic town: the same options give byte-identical output. Each village gets at
 * least three connected leaf grids, one level-1 grid covering it, its share of the level-2 grids
 * (by size), and leaf grids that tile them; codes extend the parent's by a 3-digit sequence. Every
 * level passes checkChildren. Throws a RangeError for fewer than 4 leaves a village.
 */
export function generateDemoTerritory(options: DemoTerritoryOptions): DemoTerritory {
  const { townBox, villages, leafTarget, level2Target } = options;
  if (villages.length === 0) throw new RangeError('a demo town needs at least one village');
  if (!(Number.isInteger(leafTarget) && leafTarget >= MIN_AVERAGE_CELLS_PER_VILLAGE * villages.length)) {
    throw new RangeError(
      `leafTarget must be a whole number of at least ${MIN_AVERAGE_CELLS_PER_VILLAGE} per village, so every village can get ${MIN_CELLS_PER_VILLAGE} connected leaf grids`,
    );
  }
  const random = createRandom(options.seed);
  const [minLon, minLat, maxLon, maxLat] = townBox;
  const lonScale = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const aspect = ((maxLon - minLon) * lonScale) / (maxLat - minLat);
  const columns = Math.max(2, Math.round(Math.sqrt(leafTarget * aspect)));
  const rows = Math.max(2, Math.ceil(leafTarget / columns));
  const lattice = jitteredLattice(townBox, columns, rows, DEFAULT_JITTER, random);
  const mesh = buildMesh(lattice, leafTarget, lonScale, random);
  const allUnits = mesh.units.map((_, unit) => unit);

  const centres: (readonly [number, number])[] = villages.flatMap((village) =>
    village.centre === undefined ? [] : [[village.centre[0] * lonScale, village.centre[1]] as const],
  );
  const anchors = villages.map((village) => {
    if (village.centre !== undefined) return [village.centre[0] * lonScale, village.centre[1]] as const;
    const unit =
      centres.length === 0 ? Math.floor(random() * mesh.units.length) : farthestUnit(mesh, allUnits, centres);
    const { x, y } = mesh.units[unit] as Unit;
    const centre = [x, y] as const;
    centres.push(centre);
    return centre;
  });

  const villageLabels = new Int32Array(mesh.units.length);
  mesh.units.forEach((unit, index) => {
    let best = 0;
    anchors.forEach((anchor, village) => {
      if (squaredDistance(unit, anchor) < squaredDistance(unit, anchors[best] as readonly [number, number])) {
        best = village;
      }
    });
    villageLabels[index] = best;
  });
  repairPartition(mesh, villageLabels, villages.length, MIN_CELLS_PER_VILLAGE, anchors);
  const villageUnits = groupsByLabel(villageLabels, villages.length);
  const level2Counts = apportionLevel2(
    villageUnits.map((units) => units.length),
    level2Target,
  );

  const villageGeometries: DemoTerritory['villages'] = [];
  const grids: DemoGrid[] = [];
  villages.forEach((village, villageIndex) => {
    const members = villageUnits[villageIndex] ?? [];
    const geometry = unionOf(mesh, members);
    villageGeometries.push({ code: village.code, geometry });
    const level1Code = `${village.code}${seqCode(1)}`;
    grids.push({ code: level1Code, parentCode: village.code, gridLevel: 1, seq: 1, geometry });
    splitVillage(mesh, members, level2Counts[villageIndex] ?? 1).forEach((group, groupIndex) => {
      const level2Code = `${level1Code}${seqCode(groupIndex + 1)}`;
      grids.push({
        code: level2Code,
        parentCode: level1Code,
        gridLevel: 2,
        seq: groupIndex + 1,
        geometry: unionOf(mesh, group),
      });
      group.forEach((unit, unitIndex) => {
        grids.push({
          code: `${level2Code}${seqCode(unitIndex + 1)}`,
          parentCode: level2Code,
          gridLevel: 3,
          seq: unitIndex + 1,
          geometry: { type: 'Polygon', coordinates: [(mesh.units[unit] as Unit).ring] },
        });
      });
    });
  });

  const town = unionGeometries(villageGeometries.map((village) => village.geometry));
  if (town === null) throw new Error('the demo town has no villages');
  return { town, villages: villageGeometries, grids };
}
