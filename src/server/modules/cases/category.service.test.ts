import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEPARTMENTS } from '../../db/seed/demo-town.ts';
import { AppError } from '../../errors.ts';
import { seedTerritory, TERRITORY } from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';

const CSV = readFileSync(join(import.meta.dirname, '../../db/seed/data/categories.csv'), 'utf8');
const system = systemActor();

describe('case categories', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    for (const d of DEMO_DEPARTMENTS) {
      await ctx.services.people.createDepartment(system, { ...d, regionCode: TERRITORY.town });
    }
  });
  afterAll(() => ctx.close());

  it('imports both trees with time limits, default departments and 即办 flags', async () => {
    const report = await ctx.services.categories.importCategories(system, { csv: CSV });
    expect(report.errors).toEqual([]);
    expect(report.created).toBe(CSV.trim().split('\n').length - 1);
    const tree = await ctx.services.categories.getCategoryTree();
    const kinds = new Set(tree.map((m) => m.kind));
    expect(kinds).toEqual(new Set(['component', 'matter']));
    const environment = tree.find((m) => m.kind === 'matter' && m.code === '06');
    expect(environment?.name).toBe('市容环境类');
    const exposed = environment?.children.find((c) => c.code === '06010');
    expect(exposed).toMatchObject({
      name: '暴露垃圾',
      limits: { handle: { amount: 4, unit: 'workingHours' } },
      defaultDepartmentName: '九江镇环卫站',
      onTheSpot: true,
    });
    // Component 01001 and matter 01001 may both exist: a code is unique only with its kind.
    expect(tree.find((m) => m.kind === 'component' && m.code === '01')?.children.length).toBeGreaterThan(0);
  });

  it('exports a CSV that imports back without changes to the tree', async () => {
    const before = await ctx.services.categories.getCategoryTree();
    const exported = await ctx.services.categories.exportCategories();
    const report = await ctx.services.categories.importCategories(system, { csv: exported });
    expect(report).toMatchObject({ created: 0, errors: [] });
    const after = await ctx.services.categories.getCategoryTree();
    const shape = (t: typeof before) =>
      t.map((m) => [m.code, m.children.map((c) => [c.code, c.name, c.limits])]);
    expect(shape(after)).toEqual(shape(before));
  });

  it('rejects a file naming an unknown department or a bad limit, with the lines', async () => {
    const bad = `${CSV.trim()}\nmatter,06,市容环境类,06099,测试,1h,1h,2x,4h,JJ-CG,false,true\nmatter,06,市容环境类,06098,测试2,1h,1h,2d,4h,NOPE,false,true\n`;
    const error = await ctx.services.categories
      .importCategories(system, { csv: bad })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const lines = CSV.trim().split('\n').length;
    expect((error as AppError).details).toMatchObject({
      applied: false,
      errors: [
        { line: lines + 1, reason: 'handle_limit 的时限“2x”无效，应如 4h、2d、3n' },
        { line: lines + 2, reason: '部门代码 NOPE 不存在' },
      ],
    });
  });

  it('refuses a minor class whose major class does not exist', async () => {
    const error = await ctx.services.categories
      .createCategory(system, {
        kind: 'matter',
        code: '55001',
        name: '无大类',
        limits: {},
        onTheSpot: false,
        public: true,
      })
      .catch((e: unknown) => e);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
  });
});
