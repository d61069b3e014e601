import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { type Actor, systemActor } from '../people/actor.ts';

/**
 * Api keys, queued Open311 reports, outbound endpoints and sends, and webhooks are read through a scope made
 * from the actor: each administrator or dispatcher sees their region's, and a user whose scope is missing sees
 * nothing — never everything.
 */
describe('Open311 and webhook administration by data scope', () => {
  let ctx: TestContext;
  const users: Record<string, TestUser> = {};
  let scopeless: Record<'administrator' | 'dispatcher', Actor>;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    const departments = await seedCaseReference(ctx);
    users.townAdmin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    users.otherAdmin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.otherTown });
    users.townDispatcher = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town });
    users.villageDispatcher = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.heqing });
    users.otherDispatcher = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.otherTown });
    const admin = users.townAdmin.actor;
    // A signed-in user whose scope is empty (a broken import, a hand-edited row): not the system.
    scopeless = {
      administrator: { ...admin, scopeCode: '' },
      dispatcher: { ...(users.townDispatcher?.actor as Actor), scopeCode: '' },
    };

    const { key } = await ctx.services.apiKeys.createKey(admin, { name: '随手拍', rateLimitPerMinute: 60 });
    const client = await ctx.services.apiKeys.authenticate(key);
    if (!client) throw new Error('key not accepted');
    await ctx.services.open311.postRequest(
      client,
      new Map([
        ['service_code', ['06010']],
        ['address_string', ['河清村委会门口']],
        ['description', ['垃圾堆放']],
      ]),
      'zh-CN',
    );
    await ctx.services.webhooks.createWebhook(admin, {
      name: '区指挥中心',
      url: 'http://93.184.216.34/hook',
      events: ['case.reported'],
    });
    await ctx.services.open311Outbound.createEndpoint(admin, {
      name: '环卫系统',
      departmentId: departments['JJ-HW'] ?? 0,
      baseUrl: 'http://93.184.216.34/open311/v2',
      apiKey: 'k',
      jurisdictionId: null,
      categoryIds: [],
      active: true,
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  const administration = async (actor: Actor) => ({
    keys: (await ctx.services.apiKeys.listKeys(actor)).length,
    webhooks: (await ctx.services.webhooks.listWebhooks(actor)).length,
    endpoints: (await ctx.services.open311Outbound.listEndpoints(actor)).length,
  });

  it('shows a town’s keys, webhooks and endpoints to its administrator, and none to another town’s', async () => {
    expect(await administration(users.townAdmin?.actor as Actor)).toEqual({
      keys: 1,
      webhooks: 1,
      endpoints: 1,
    });
    expect(await administration(users.otherAdmin?.actor as Actor)).toEqual({
      keys: 0,
      webhooks: 0,
      endpoints: 0,
    });
  });

  it('shows an administrator whose scope is empty nothing at all', async () => {
    expect(await administration(scopeless.administrator)).toEqual({ keys: 0, webhooks: 0, endpoints: 0 });
    expect(await ctx.services.open311Outbound.listOutbound(scopeless.administrator, { limit: 100 })).toEqual(
      [],
    );
  });

  it('issues a key for one region inside the issuer’s scope, never for no region', async () => {
    const villageAdmin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.heqing });
    await expect(
      ctx.services.apiKeys.createKey(villageAdmin.actor, {
        name: '越权',
        rateLimitPerMinute: 60,
        regionCode: TERRITORY.town,
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_SCOPE' });
    await expect(
      ctx.services.apiKeys.createKey(systemActor(), { name: '无区划', rateLimitPerMinute: 60 }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const key = await ctx.services.apiKeys.createKey(systemActor(), {
      name: '命令行签发',
      rateLimitPerMinute: 60,
      regionCode: TERRITORY.heqing,
    });
    expect(key.regionCode).toBe(TERRITORY.heqing);
    expect((await ctx.services.apiKeys.listKeys(villageAdmin.actor)).map((k) => k.name)).toEqual([
      '命令行签发',
    ]);
  });

  it('queues a report without a place for the dispatchers inside its key’s jurisdiction only', async () => {
    const pending = async (actor: Actor) => (await ctx.services.open311.listPending(actor)).length;
    expect(await pending(users.townDispatcher?.actor as Actor)).toBe(1);
    // A village dispatcher places the reports that fall in their village.
    expect(await pending(users.villageDispatcher?.actor as Actor)).toBe(1);
    expect(await pending(users.otherDispatcher?.actor as Actor)).toBe(0);
    expect(await pending(scopeless.dispatcher)).toBe(0);
  });
});
