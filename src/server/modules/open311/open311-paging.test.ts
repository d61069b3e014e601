import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, seedCaseReference, seedTerritory, TERRITORY } from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';
import type { Open311Client } from './api-key.service.ts';
import { createOpen311Service, type Open311Params } from './open311.service.ts';

type Row = { service_request_id: string; requested_datetime: string };
const START = Date.parse('2026-11-23T02:00:00.100Z');

/**
 * Datetimes are printed to the second, so windows are compared to the second: a request lies in the window
 * that starts and ends at its own requested_datetime, and a client paging back with end_date = the oldest
 * datetime it saw (docs/open311.md) loses nothing, however many requests share the boundary second.
 */
describe('Open311 date windows and paging', () => {
  let ctx: TestContext;
  let client: Open311Client;
  const created: string[] = [];

  beforeAll(async () => {
    ctx = await createTestContext({ now: new Date(START) });
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    const admin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    const { key } = await ctx.services.apiKeys.createKey(admin.actor, {
      name: '批量上报',
      rateLimitPerMinute: 60,
    });
    client = (await ctx.services.apiKeys.authenticate(key)) as Open311Client;
    // Bulk intake: 20 requests 300 ms apart, three or four in each second, none on a whole second.
    for (let i = 0; i < 20; i++) {
      ctx.clock.set(new Date(START + i * 300));
      const [answer] = (await ctx.services.open311.postRequest(client, form(`批量上报 ${i}`), 'zh-CN'))
        .body as { service_request_id: string }[];
      created.push(answer?.service_request_id ?? '');
    }
    // Six of them registered 300 ms apart: public steps, served as updates.
    for (let i = 0; i < 6; i++) {
      ctx.clock.set(new Date(START + 30_000 + i * 300));
      const { id } = await ctx.database.db
        .selectFrom('cases')
        .select('id')
        .where('case_number', '=', created[i] ?? '')
        .executeTakeFirstOrThrow();
      const current = await ctx.services.cases.getCase(systemActor(), id);
      await ctx.services.cases.actOnCase(systemActor(), {
        caseId: id,
        action: 'register',
        version: current.version,
        input: {} as never,
      });
    }
    ctx.clock.set(new Date(START + 60_000));
  });
  afterAll(async () => {
    await ctx.close();
  });

  const form = (description: string): Open311Params =>
    new Map([
      ['service_code', ['06011']],
      ['lat', ['22.85']],
      ['long', ['112.945']],
      ['description', [description]],
    ]);
  const search = async (open311: typeof ctx.services.open311, args: Record<string, string>) =>
    (await open311.listRequests(new Map(Object.entries(args).map(([k, v]) => [k, [v]])), 'en-US'))
      .body as Row[];

  it('finds each request in the window that starts and ends at its own requested_datetime', async () => {
    const all = await search(ctx.services.open311, {});
    expect(all).toHaveLength(20);
    for (const row of all) {
      const at = row.requested_datetime;
      const found = await search(ctx.services.open311, { start_date: at, end_date: at });
      expect(found.map((r) => r.service_request_id)).toContain(row.service_request_id);
      expect(found.every((r) => r.requested_datetime === at)).toBe(true);
    }
  });

  it('pages back with end_date = the oldest requested_datetime seen without losing any request', async () => {
    // Pages of five: every page ends inside a second whose other requests are on the next page.
    const { services } = ctx;
    const paged = createOpen311Service({
      db: ctx.database.db,
      clock: ctx.clock,
      cases: services.cases,
      categories: services.categories,
      territory: services.territory,
      registry: services.registry,
      keys: services.apiKeys,
      evidence: services.evidence,
      jurisdictions: ctx.config.open311Jurisdictions,
      publicSources: ctx.config.open311PublicSources,
      pageSize: 5,
    });
    const seen = new Set<string>();
    let endDate: string | undefined;
    for (let page = 0; page < 20; page++) {
      const rows = await search(paged, endDate ? { end_date: endDate } : {});
      expect(rows.length).toBeLessThanOrEqual(5);
      const fresh = rows.filter((r) => !seen.has(r.service_request_id));
      if (fresh.length === 0) break;
      for (const row of fresh) seen.add(row.service_request_id);
      endDate = rows.at(-1)?.requested_datetime;
    }
    expect([...seen].sort()).toEqual([...created].sort());
  });

  it('finds each update in the window that starts and ends at its own updated_datetime', async () => {
    const updates = async (args: Record<string, string>) =>
      (
        await ctx.services.open311.listUpdates(
          new Map(Object.entries(args).map(([k, v]) => [k, [v]])),
          'en-US',
        )
      ).body as { update_id: string; updated_datetime: string }[];
    const all = await updates({});
    expect(all).toHaveLength(6);
    for (const update of all) {
      const at = update.updated_datetime;
      const found = await updates({ start_date: at, end_date: at });
      expect(found.map((u) => u.update_id)).toContain(update.update_id);
      expect(found).toHaveLength(all.filter((u) => u.updated_datetime === at).length);
    }
  });
});
