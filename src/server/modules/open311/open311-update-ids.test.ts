import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, seedCaseReference, seedTerritory, TERRITORY } from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import type { Open311Client } from './api-key.service.ts';
import type { Open311Params } from './open311.service.ts';

const params = (args: Record<string, string>): Open311Params =>
  new Map(Object.entries(args).map(([name, value]) => [name, [value]]));

/**
 * A client's update_id names an update of one request: the same id on another request is another update,
 * written to that request's timeline — never answered with the first request's update while nothing is written.
 */
describe('Open311 client updates by update_id', () => {
  let ctx: TestContext;
  let client: Open311Client;
  const requests: string[] = [];

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    const admin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    const { key } = await ctx.services.apiKeys.createKey(admin.actor, {
      name: '随手拍',
      rateLimitPerMinute: 60,
    });
    client = (await ctx.services.apiKeys.authenticate(key)) as Open311Client;
    for (const description of ['第一处垃圾', '第二处垃圾']) {
      const answer = await ctx.services.open311.postRequest(
        client,
        params({ service_code: '06011', lat: '22.85', long: '112.945', description }),
        'zh-CN',
      );
      requests.push((answer.body as { service_request_id: string }[])[0]?.service_request_id ?? '');
    }
  });
  afterAll(async () => {
    await ctx.close();
  });

  const postUpdate = async (
    serviceRequestId: string,
    updateId: string,
    description: string,
    status = 'OPEN',
  ) =>
    (
      (
        await ctx.services.open311.postUpdate(
          client,
          params({
            service_request_id: serviceRequestId,
            update_id: updateId,
            status,
            updated_datetime: '2026-11-23T10:00:00+08:00',
            description,
          }),
        )
      ).body as { update_id: string }[]
    )[0]?.update_id;

  const clientNotes = async (caseNumber: string) => {
    const { id } = await ctx.database.db
      .selectFrom('cases')
      .select('id')
      .where('case_number', '=', caseNumber)
      .executeTakeFirstOrThrow();
    return ctx.database.db
      .selectFrom('case_events')
      .select(['id', 'note'])
      .where('case_id', '=', id)
      .where('note', 'is not', null)
      .orderBy('id')
      .execute();
  };

  it('writes an update_id reused on another request to that request, answering its own update', async () => {
    const [first = '', second = ''] = requests;
    const onFirst = await postUpdate(first, '1', '居民补充：垃圾更多了');
    const onSecond = await postUpdate(second, '1', '居民补充：有异味');
    expect(onSecond).not.toBe(onFirst);
    const notes = await clientNotes(second);
    expect(notes.map((n) => String(n.id))).toContain(onSecond);
    expect(notes.some((n) => n.note?.includes('有异味'))).toBe(true);
    expect((await clientNotes(first)).some((n) => n.note?.includes('有异味'))).toBe(false);
  });

  it('still answers a repeat on the same request with the update already made, writing nothing', async () => {
    const [first = ''] = requests;
    const before = (await clientNotes(first)).length;
    const again = await postUpdate(first, '1', '居民补充：垃圾更多了');
    const notes = await clientNotes(first);
    expect(notes).toHaveLength(before);
    expect(notes.map((n) => String(n.id))).toContain(again);
  });

  it('takes every status current FixMyStreet sends, CANCELLED included', async () => {
    const [, second = ''] = requests;
    const id = await postUpdate(second, '2', '上报人已撤销', 'CANCELLED');
    expect((await clientNotes(second)).map((n) => String(n.id))).toContain(id);
  });
});
