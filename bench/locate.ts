/**
 * Locating points into leaf grids: the flatbush index against the naive loop over every polygon.
 * Run: npx tsx bench/locate.ts
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { generateDemoTerritory, generateLattice } from '../src/server/modules/territory/demo-territory.ts';
import { buildGridLocator, locateNaive } from '../src/server/modules/territory/grid-locator.ts';

const COLUMNS = 100;
const ROWS = 60;
const POINTS = 1_000_000;
const WARMUP_POINTS = 200_000;
const NAIVE_SAMPLE = 2_000;
const CENTRE = [113.0, 22.84] as const;
/** About 11 km × 7 km: degrees of longitude shrink by cos(latitude). */
const HALF_LON = 5.5 / (111.32 * Math.cos((CENTRE[1] * Math.PI) / 180));
const HALF_LAT = 3.5 / 110.75;
const BOX: [number, number, number, number] = [
  CENTRE[0] - HALF_LON,
  CENTRE[1] - HALF_LAT,
  CENTRE[0] + HALF_LON,
  CENTRE[1] + HALF_LAT,
];

// A forced collection makes the heap figures mean live data rather than garbage awaiting collection.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

let peakRss = 0;
let peakHeapUsed = 0;
function sampleMemory(): void {
  const { rss, heapUsed } = process.memoryUsage();
  peakRss = Math.max(peakRss, rss);
  peakHeapUsed = Math.max(peakHeapUsed, heapUsed);
}
function liveBytes(): number {
  collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  sampleMemory();
  return heapUsed + arrayBuffers;
}
const mib = (bytes: number) => bytes / 1024 / 1024;

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

const grids = generateLattice({ box: BOX, columns: COLUMNS, rows: ROWS, seed: 42 });
const random = createRandom(7);
const points = new Float64Array(POINTS * 2);
for (let i = 0; i < points.length; i += 2) {
  points[i] = BOX[0] + random() * (BOX[2] - BOX[0]);
  points[i + 1] = BOX[1] + random() * (BOX[3] - BOX[1]);
}
sampleMemory();

const beforeIndex = liveBytes();
const buildStart = performance.now();
const locator = buildGridLocator(grids);
const buildMs = performance.now() - buildStart;
const indexBytes = liveBytes() - beforeIndex;

function locateAll(count: number): { found: number; ms: number } {
  let found = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    if (locator.locate(points[2 * i] as number, points[2 * i + 1] as number) !== null) found++;
    if ((i & 0xffff) === 0) sampleMemory();
  }
  return { found, ms: performance.now() - start };
}
locateAll(WARMUP_POINTS);
const indexed = locateAll(POINTS);
const indexedPerSecond = POINTS / (indexed.ms / 1000);

// Exact lattice vertices and edge points test the tie rule where several grids touch.
const sample: [number, number][] = [];
for (let i = 0; i < NAIVE_SAMPLE / 2; i++)
  sample.push([points[2 * i] as number, points[2 * i + 1] as number]);
for (let i = 0; sample.length < NAIVE_SAMPLE; i++) {
  const ring = grids[Math.floor(random() * grids.length)]?.geometry.coordinates[0] ?? [];
  const vertex = ring[i % 4];
  if (vertex !== undefined) sample.push([vertex[0], vertex[1]]);
}
// Both sides get a warm-up so the ratio compares compiled code with compiled code.
for (const [lon, lat] of sample.slice(0, 200)) locateNaive(grids, lon, lat);
const naiveStart = performance.now();
const naiveAnswers = sample.map(([lon, lat]) => locateNaive(grids, lon, lat));
const naiveMs = performance.now() - naiveStart;
sampleMemory();
const naivePerSecond = sample.length / (naiveMs / 1000);
const disagreements = sample.filter(([lon, lat], i) => locator.locate(lon, lat) !== naiveAnswers[i]).length;

const demoStart = performance.now();
generateDemoTerritory({
  townBox: BOX,
  villages: Array.from({ length: 20 }, (_, i) => ({ code: `440605121${String(i + 1).padStart(3, '0')}` })),
  leafTarget: 426,
  level2Target: 60,
  seed: 1,
});
const demoMs = performance.now() - demoStart;
sampleMemory();

const ratio = indexedPerSecond / naivePerSecond;
console.log(`leaf grids:                     ${locator.size}`);
console.log(`index build:                    ${buildMs.toFixed(1)} ms`);
console.log(
  `index locate:                   ${POINTS.toLocaleString('en-US')} points in ${indexed.ms.toFixed(0)} ms = ${Math.round(indexedPerSecond).toLocaleString('en-US')} points/s (${indexed.found.toLocaleString('en-US')} inside a grid)`,
);
console.log(
  `naive locate:                   ${sample.length.toLocaleString('en-US')} points in ${naiveMs.toFixed(0)} ms = ${Math.round(naivePerSecond).toLocaleString('en-US')} points/s`,
);
console.log(`ratio index / naive:            ${ratio.toFixed(0)}×`);
console.log(
  `index vs naive disagreements:   ${disagreements} of ${sample.length} (half of them exact lattice vertices)`,
);
console.log(`index memory (heap + buffers):  ${mib(indexBytes).toFixed(2)} MiB`);
console.log(
  `peak rss / peak heapUsed:       ${mib(peakRss).toFixed(0)} MiB / ${mib(peakHeapUsed).toFixed(0)} MiB`,
);
console.log(`demo territory (426 leaves):    ${demoMs.toFixed(0)} ms`);
console.log(
  JSON.stringify({
    bench: 'locate',
    grids: locator.size,
    buildMs: Number(buildMs.toFixed(1)),
    indexedPointsPerSecond: Math.round(indexedPerSecond),
    naivePointsPerSecond: Math.round(naivePerSecond),
    ratio: Number(ratio.toFixed(1)),
    disagreements,
    indexMiB: Number(mib(indexBytes).toFixed(2)),
    peakRssMiB: Number(mib(peakRss).toFixed(1)),
    peakHeapUsedMiB: Number(mib(peakHeapUsed).toFixed(1)),
    demoTerritoryMs: Math.round(demoMs),
  }),
);
if (disagreements > 0) {
  console.error('the index and the naive loop disagree');
  process.exit(1);
}
