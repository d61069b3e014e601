/**
 * What the PostgreSQL benchmarks share: a database of their own, a small town of four leaf grids with the demo
 * departments and the seeded categories, and a million open cases loaded in one statement.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../src/server/db/database.ts';
import { DEMO_DEPARTMENTS } from '../src/server/db/seed/demo-town.ts';
import type { Services } from '../src/server/deps.ts';
import type { Actor } from '../src/server/modules/people/actor.ts';
import { DIVISIONS_CSV, feature, rectangle, TERRITORY } from '../src/server/testing/factories.ts';

export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database `name` on the server (dropped first if a previous run left it); its URL and a drop. */
export async function freshDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // Called after the bench closed its pools; their connections may still be on their way out, and forcing
    // them would make the pools report errors after they ended. So: a few polite tries, then force.
    drop: async () => {
      for (let attempt = 0; attempt < 10; attempt++) {
        const dropped = await admin.query(`drop database if exists ${name}`).then(
          () => true,
          () => false,
        );
        if (dropped) return void (await admin.end());
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export interface BenchTown {
  /** The 环境卫生 › 暴露垃圾 matter class (06010), public. */
  category: { id: number; version: number };
  grids: { code: string; box: readonly [number, number, number, number] }[];
}

/** 河清 with one 综合网格 of four leaf grids side by side (112.94–112.96 E, 22.84–22.86 N), departments, categories. */
export async function seedBenchTown(services: Services, system: Actor): Promise<BenchTown> {
  await services.calendar.ensureSeeded();
  await services.territory.importDivisions(system, { csv: DIVISIONS_CSV });
  const grids = [0, 1, 2, 3].map((i) => ({
    code: `${TERRITORY.heqing}001${String(i + 1).padStart(3, '0')}`,
    box: [112.94 + i * 0.005, 22.84, 112.945 + i * 0.005, 22.86] as const,
  }));
  await services.territory.importBoundaries(system, {
    crs: 'wgs84',
    geojson: {
      type: 'FeatureCollection',
      features: [
        feature(TERRITORY.heqing, rectangle(112.94, 22.84, 112.96, 22.86)),
        feature(`${TERRITORY.heqing}001`, rectangle(112.94, 22.84, 112.96, 22.86), '综合网格'),
        ...grids.map((g, i) => feature(g.code, rectangle(...g.box), `第${i + 1}网格`)),
      ],
    },
  });
  for (const d of DEMO_DEPARTMENTS)
    await services.people.createDepartment(system, { ...d, regionCode: TERRITORY.town });
  const categoriesCsv = readFileSync(
    new URL('../src/server/db/seed/data/categories.csv', import.meta.url),
    'utf8',
  );
  await services.categories.importCategories(system, { csv: categoriesCsv });
  const category = (await services.categories.getCategoryTree())
    .flatMap((m) => m.children)
    .find((c) => c.kind === 'matter' && c.code === '06010');
  if (!category) throw new Error('category 06010 missing');
  return { category, grids };
}

/**
 * `count` open cases of the category spread over the grids, reported over the last month and due from 30 days ago
 * to 30 days ahead, the state cycling through registered, dispatched, accepted and handled; then `analyze` (the
 * cases, and the tables their triggers filled: ticket codes, timers). Loading a million rows is set-up, not a
 * request: its transaction lifts the server's statement timeout (in plain SQL, which older versions run too).
 */
export async function loadOpenCases(db: Db, town: BenchTown, count: number): Promise<number> {
  const t0 = performance.now();
  await db.transaction().execute(async (trx) => {
    await sql`set local statement_timeout = 0`.execute(trx);
    await sql`
    insert into cases (county_code, source, category_id, region_code, lon, lat, description, state, step,
      step_started_at, step_due_at, overdue, lead_department_id, created_at, updated_at)
    select '440605', 'gridWorker', ${town.category.id},
      (array[${sql.join(town.grids.map((g) => g.code))}])[1 + i % 4],
      112.94 + (i % 2000) / 100000.0, 22.84 + (i % 1999) / 100000.0, '存量案件 ' || i,
      (array['registered', 'dispatched', 'accepted', 'handled'])[1 + i % 4],
      (array['dispatch', 'handle', 'handle', 'verify'])[1 + i % 4],
      now() - interval '31 days', due, due < now(), null, now() - interval '31 days' + ((i * 104729) % 2592000) * interval '1 second', now()
    from (select i, now() + (((i * 7919) % 86400) - 43200) * interval '1 minute' as due
          from generate_series(1::bigint, ${count}::bigint) as i) as s`.execute(trx);
    await sql`analyze`.execute(trx);
  });
  return (performance.now() - t0) / 1000;
}
