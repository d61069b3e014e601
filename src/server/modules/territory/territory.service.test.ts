import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AreaGeometry } from '../../../shared/territory.ts';
import { AppError } from '../../errors.ts';
import { feature, rectangle, seedTerritory, TERRITORY } from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';
import { gcj02ToWgs84 } from './coordinates.ts';

const FOSHAN_CSV = readFileSync(join(import.meta.dirname, '../../db/seed/data/foshan-divisions.csv'), 'utf8');
const system = systemActor();

async function regionCount(ctx: TestContext): Promise<number> {
  const row = await ctx.database.db
    .selectFrom('regions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('importing divisions', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('creates the 866 regions of Foshan, and a second import changes nothing', async () => {
    const first = await ctx.services.territory.importDivisions(system, { csv: FOSHAN_CSV });
    expect(first).toMatchObject({ applied: true, total: 866, created: 866, updated: 0, errors: [] });
    expect(await regionCount(ctx)).toBe(866);

    const second = await ctx.services.territory.importDivisions(system, { csv: FOSHAN_CSV });
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 866 });
    expect(await regionCount(ctx)).toBe(866);
  });

  it('rejects a whole file with one bad row, naming its line and reason, and writes nothing', async () => {
    const lines = FOSHAN_CSV.trimEnd().split('\n');
    // Line 4 of the file (the header is line 1): a town code with a digit missing.
    lines[3] = lines[3]?.replace(/^(\d+),/, '4406051,') ?? '';
    lines.push('440605121999,新村委会,village,440605121', '440605121998,,village,440605121');
    const before = await regionCount(ctx);
    const error = await rejection(ctx.services.territory.importDivisions(system, { csv: lines.join('\n') }));
    expect(error.code).toBe('IMPORT_REJECTED');
    const report = error.details as { applied: boolean; errors: { line: number; reason: string }[] };
    expect(report.applied).toBe(false);
    expect(report.errors.map((e) => e.line)).toEqual([4, lines.length]);
    expect(report.errors[0]?.reason).toMatch(/4406051/);
    expect(report.errors[1]?.reason).toBe('名称不能为空');
    expect(await regionCount(ctx)).toBe(before);
    expect(
      await ctx.database.db.selectFrom('regions').where('code', '=', '440605121999').select('code').execute(),
    ).toEqual([]);
  });

  it('explains errors in English to an English-speaking administrator', async () => {
    const error = await rejection(
      ctx.services.territory.importDivisions(
        { ...system, locale: 'en-US' },
        { csv: 'code,name,level,parent_code\n440605121777,Test,village,440699999\n' },
      ),
    );
    const report = error.details as { errors: { line: number; reason: string }[] };
    expect(report.errors).toEqual([
      { line: 2, code: '440605121777', reason: 'Parent code 440699999 is not a prefix of code 440605121777' },
    ]);
  });

  it('refuses a file without the expected header', async () => {
    const error = await rejection(ctx.services.territory.importDivisions(system, { csv: 'id,title\n1,x\n' }));
    expect((error.details as { errors: unknown[] }).errors).toEqual([
      { line: 1, reason: '表头必须为 code,name,level,parent_code（缺少：code,name,level,parent_code）' },
    ]);
  });
});

describe('boundaries and locating points', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
  });
  afterAll(() => ctx.close());

  it('locates a point into its leaf grid with the chain of ancestors', async () => {
    const result = await ctx.services.territory.locate(system, 112.945, 22.85);
    expect(result.found).toBe(true);
    if (!result.found) return;
    expect(result.grid.code).toBe(TERRITORY.heqingGrids[0]);
    expect(result.ancestors.map((a) => a.name)).toEqual([
      '广东省',
      '佛山市',
      '南海区',
      '九江镇',
      '河清社区居委会',
      '综合网格',
    ]);
  });

  it('answers a point outside every grid as such', async () => {
    const result = await ctx.services.territory.locate(system, 113.5, 22.85);
    expect(result).toEqual({ found: false, message: '该位置不在任何网格内。' });
  });

  it('rejects an overlapping grid and a self-intersecting one, naming the codes, and keeps the old boundaries', async () => {
    const [west, east] = TERRITORY.heqingGrids;
    const bowTie: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [112.95, 22.84],
          [112.96, 22.86],
          [112.96, 22.84],
          [112.95, 22.86],
          [112.95, 22.84],
        ],
      ],
    };
    const error = await rejection(
      ctx.services.territory.importBoundaries(system, {
        crs: 'wgs84',
        geojson: {
          type: 'FeatureCollection',
          features: [feature(west, rectangle(112.94, 22.84, 112.955, 22.86)), feature(east, bowTie)],
        },
      }),
    );
    const report = error.details as { errors: { line: number; code: string; reason: string }[] };
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ line: 2, code: east });
    expect(report.errors[0]?.reason).toContain(east);

    const overlap = await rejection(
      ctx.services.territory.importBoundaries(system, {
        crs: 'wgs84',
        geojson: {
          type: 'FeatureCollection',
          features: [feature(west, rectangle(112.94, 22.84, 112.955, 22.86))],
        },
      }),
    );
    const overlapReport = overlap.details as { errors: { reason: string }[] };
    expect(overlapReport.errors[0]?.reason).toContain(west);
    expect(overlapReport.errors[0]?.reason).toContain(east);
    // The stored boundary is unchanged, so the point still lands in the eastern grid.
    const located = await ctx.services.territory.locate(system, 112.952, 22.85);
    expect(located.found && located.grid.code).toBe(east);
  });

  it('reports the part of a village no grid covers, and relocates points after a boundary change', async () => {
    const [west] = TERRITORY.heqingGrids;
    const report = await ctx.services.territory.importBoundaries(system, {
      crs: 'wgs84',
      geojson: {
        type: 'FeatureCollection',
        features: [feature(west, rectangle(112.94, 22.84, 112.945, 22.86))],
      },
    });
    expect(report.applied).toBe(true);
    const gap = report.issues.find((i) => i.kind === 'uncovered');
    expect(gap?.code).toBe(`${TERRITORY.heqing}001`);
    expect(await ctx.services.territory.locate(system, 112.947, 22.85)).toMatchObject({ found: false });
    const issues = await ctx.services.territory.validateTerritory(system, { root: TERRITORY.heqing });
    expect(issues.map((i) => i.kind)).toContain('uncovered');
  });

  it('creates a new grid from a named feature and converts GCJ-02 coordinates to WGS-84', async () => {
    const code = `${TERRITORY.yingming}002`;
    const gcjBox = rectangle(112.99, 22.87, 113.0, 22.88);
    await ctx.services.territory.importBoundaries(system, {
      crs: 'gcj02',
      geojson: { type: 'FeatureCollection', features: [feature(code, gcjBox, '新建网格')] },
    });
    const detail = await ctx.services.territory.getRegionDetail(system, code);
    expect(detail).toMatchObject({
      name: '新建网格',
      level: 'grid',
      gridLevel: 1,
      parentCode: TERRITORY.yingming,
    });
    const ring = detail.boundary?.type === 'Polygon' ? detail.boundary.coordinates[0] : undefined;
    const [lon, lat] = gcj02ToWgs84(112.99, 22.87);
    expect(ring?.[0]?.[0]).toBeCloseTo(lon, 6);
    expect(ring?.[0]?.[1]).toBeCloseTo(lat, 6);
    expect(lon).toBeLessThan(112.99);
  });

  it('exports boundaries that import back unchanged', async () => {
    const exported = await ctx.services.territory.exportBoundaries(system, { root: TERRITORY.town });
    expect(exported.features.length).toBeGreaterThanOrEqual(7);
    const report = await ctx.services.territory.importBoundaries(system, {
      crs: 'wgs84',
      geojson: exported,
      dryRun: true,
    });
    expect(report.errors).toEqual([]);
  });
});
