import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';

describe('notifyAll: many messages, each written once per user its audiences name', () => {
  let ctx: TestContext;
  let departments: Record<string, number> = {};
  let first: TestUser;
  let second: TestUser;
  let leader: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    departments = await seedCaseReference(ctx);
    const department = departments['JJ-HW'] ?? 0;
    first = await createUser(ctx, {
      role: 'departmentHandler',
      regionCode: TERRITORY.town,
      departmentId: department,
    });
    second = await createUser(ctx, {
      role: 'departmentHandler',
      regionCode: TERRITORY.town,
      departmentId: department,
    });
    leader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.heqing });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const texts = async (user: TestUser) =>
    (await ctx.services.notifications.listInbox(user.actor, { limit: 50 })).items.map((n) => n.text).sort();

  it('gives each recipient the text of their own message, past messages nobody hears and a left-out actor', async () => {
    const department = { department: departments['JJ-HW'] ?? 0 };
    const nobody = { department: departments['JJ-PCS'] ?? 0 };
    const leaders = { role: 'leader' as const, coveringRegion: `${TERRITORY.heqing}001` };
    const message = (n: number) => ({ zh: `消息 ${n}`, en: `message ${n}` });
    await ctx.database.db.transaction().execute((trx) =>
      ctx.services.notifications.notifyAll(trx, [
        { audience: [nobody], kind: 'overdue', caseId: null, text: message(1) },
        { audience: [department, leaders], kind: 'overdue', caseId: null, text: message(2) },
        { audience: [nobody], kind: 'overdue', caseId: null, text: message(3) },
        { audience: [department], kind: 'overdue', caseId: null, text: message(4), except: first.id },
        { audience: [leaders, leaders], kind: 'overdue', caseId: null, text: message(5) },
      ]),
    );
    expect(await texts(first)).toEqual(['消息 2']);
    expect(await texts(second)).toEqual(['消息 2', '消息 4']);
    // The inbox lists them newest first, as they were told.
    const inbox = await ctx.services.notifications.listInbox(second.actor, { limit: 50 });
    expect(inbox.items.map((n) => n.text)).toEqual(['消息 4', '消息 2']);
    // Named twice by one message, told once.
    expect(await texts(leader)).toEqual(['消息 2', '消息 5']);
  });
});
