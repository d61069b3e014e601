import { CompiledQuery, type KyselyPlugin, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeStaleTables, REGISTRY_TABLES } from '../../db/analyze.ts';
import type { Db } from '../../db/database.ts';
import { createUser, seedTerritory, TERRITORY, type TestUser } from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import type { Actor } from '../people/actor.ts';
import { createRegistryService } from './registry.service.ts';

/*
 * A registry filled in bulk and never analysed (the embedded database runs no autovacuum): the planner believes
 * the tables nearly empty. A leader's search for a common surname was then planned as a nested loop comparing
 * every resident with every match, and held the database for minutes. These tests fill the tables the same way
 * and measure the work the search's statements do.
 */

const HOUSES = 8_000;
const RESIDENTS = HOUSES * 3;

/** Rows each plan node produced or threw away, over all its loops: the work a statement did. */
function rowsTouched(plan: Record<string, unknown>): number {
  const loops = Number(plan['Actual Loops'] ?? 1);
  const own =
    (Number(plan['Actual Rows'] ?? 0) +
      Number(plan['Rows Removed by Filter'] ?? 0) +
      Number(plan['Rows Removed by Join Filter'] ?? 0)) *
    loops;
  const children = (plan.Plans as Record<string, unknown>[] | undefined) ?? [];
  return own + children.reduce((sum, child) => sum + rowsTouched(child), 0);
}

/** A registry service whose statements are recorded, to be explained afterwards. */
function recording(ctx: TestContext) {
  const statements: CompiledQuery[] = [];
  const db = ctx.database.db;
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      statements.push(db.getExecutor().compileQuery(args.node, args.queryId));
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const registry = createRegistryService({
    db: db.withPlugin(plugin) as Db,
    clock: ctx.clock,
    audit: ctx.services.audit,
    territory: ctx.services.territory,
  });
  return { registry, statements };
}

/** The rows each of the registry's statements on residents touched, run again under EXPLAIN ANALYZE. */
async function workOf(db: Db, statements: readonly CompiledQuery[]): Promise<number[]> {
  const work: number[] = [];
  for (const statement of statements) {
    if (!/^\s*select/i.test(statement.sql) || !statement.sql.includes('registry_residents')) continue;
    const result = await db.executeQuery<{ 'QUERY PLAN': [{ Plan: Record<string, unknown> }] }>(
      CompiledQuery.raw(`explain (analyze, format json) ${statement.sql}`, [...statement.parameters]),
    );
    const [row] = result.rows;
    const plan = row?.['QUERY PLAN'];
    const parsed = typeof plan === 'string' ? JSON.parse(plan) : plan;
    work.push(rowsTouched(parsed[0].Plan));
  }
  return work;
}

describe('registry search on tables filled in bulk and never analysed', () => {
  let ctx: TestContext;
  let leader: TestUser;
  let dispatcher: TestUser;
  let chenShown: number;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    leader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    dispatcher = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town });
    const { db } = ctx.database;
    // One address and house per dwelling in 河清's first grid; every 40th on 陈村路, so the address search finds some.
    await sql`
      insert into registry_addresses (county_code, village_code, region_code, road, number, canonical_text,
        search_text, search_grams, created_at, updated_at)
      select '440605', ${TERRITORY.heqing}, ${TERRITORY.heqingGrids[0]}, t.road, g::text, t.road || g || '号',
        '河清社区' || t.road || g || '号',
        array(select distinct substr('河清社区' || t.road || g || '号', i, 2)
              from generate_series(1, length('河清社区' || t.road || g || '号') - 1) i),
        now(), now()
      from generate_series(1, ${HOUSES}) g
      cross join lateral (select case when g % 40 = 0 then '陈村路' else '河清大道' end as road) t`.execute(
      db,
    );
    await sql`
      insert into registry_houses (county_code, region_code, address_id, use, created_at, updated_at)
      select county_code, region_code, id, 'selfOccupied', now(), now() from registry_addresses`.execute(db);
    // Three residents a house; one in ten a 陈, one in twenty with a care tag.
    await sql`
      insert into registry_residents (county_code, region_code, id_number, name, sex, birth_date, kind, house_id,
        care_tags, created_at, updated_at)
      select h.county_code, h.region_code, '440605' || lpad((h.id * 3 + k)::text, 12, '0'),
        case when (h.id * 3 + k) % 10 = 0 then '陈' else '李' end || '某' || (h.id * 3 + k),
        'male', '1980-01-01', 'registered', h.id,
        case when (h.id * 3 + k) % 20 = 0 then array['elderlyAlone'] else '{}'::text[] end, now(), now()
      from registry_houses h cross join generate_series(0, 2) k`.execute(db);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from registry_residents
      where care_tags = '{}' and (name like '陈%' or house_id in (
        select h.id from registry_houses h join registry_addresses a on a.id = h.address_id
        where a.search_text like '%陈%'))`.execute(db);
    chenShown = rows[0]?.n ?? 0;
  }, 120_000);
  afterAll(() => ctx.close());

  it('finds a common surname for roles that may not see care-tagged residents without a nested loop over them', async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_class where relname = 'registry_residents' and reltuples >= 0`.execute(
      ctx.database.db,
    );
    // The premise: the planner has no statistics for the residents.
    expect(rows[0]?.n).toBe(0);
    for (const user of [leader, dispatcher]) {
      const { registry, statements } = recording(ctx);
      const list = await registry.listRecords(user.actor as Actor, 'resident', {
        q: '陈',
        page: 1,
        pageSize: 20,
      } as never);
      expect(list.total).toBe(chenShown);
      expect(list.items).toHaveLength(20);
      expect(list.items.every((r) => r.careTags.length === 0)).toBe(true);
      const search = await registry.search(user.actor as Actor, { q: '陈', page: 1, pageSize: 20 } as never);
      expect(search.items.filter((hit) => hit.entity === 'resident')).toHaveLength(20);
      // Each statement reads what its indexes find, at worst an index of the whole town: never residents ×
      // matches, which is what a nested loop over the unanalysed table does (tens of millions of rows here).
      const work = await workOf(ctx.database.db, statements);
      expect(Math.max(...work)).toBeLessThan(RESIDENTS * 2);
    }
  }, 120_000);

  it('analyses the tables filled since they were last analysed, and leaves them be once they are', async () => {
    // The counts of rows just written reach pg_stat_user_tables when their backend flushes its statistics (at
    // most once a second): flushed first, so that no late count of them follows the analysis below.
    await sql`select pg_stat_force_next_flush()`.execute(ctx.database.db);
    await sql`select 1`.execute(ctx.database.db);
    const analysed = await analyzeStaleTables(ctx.database.db, { tables: REGISTRY_TABLES });
    expect(analysed).toEqual(
      expect.arrayContaining(['registry_addresses', 'registry_houses', 'registry_residents']),
    );
    expect(await analyzeStaleTables(ctx.database.db, { tables: REGISTRY_TABLES })).toEqual([]);
  }, 60_000);
});
