import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, seedTerritory, TERRITORY } from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { sealAuditChain, verifyAuditChain } from './audit.service.ts';

describe('the hash-chained audit log', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    // Logins and user creation write entries: a chain of a realistic mix.
    await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    await sealAuditChain(ctx.database.db);
  });
  afterAll(() => ctx.close());

  const ids = async () =>
    (await ctx.database.db.selectFrom('audit_log').select('id').orderBy('seq').execute()).map((r) => r.id);

  it('records logins and user creation, and verifies a clean log', async () => {
    const actions = await ctx.database.db.selectFrom('audit_log').select('action').orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['divisions.import', 'user.create', 'login']),
    );
    const result = await verifyAuditChain(ctx.database.db);
    expect(result).toEqual({ ok: true, entries: actions.length, unsealed: 0 });
  });

  it('seals entries appended later onto the end of the chain', async () => {
    await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    const before = await verifyAuditChain(ctx.database.db);
    expect(before).toMatchObject({ ok: true, unsealed: 2 });
    expect(await sealAuditChain(ctx.database.db)).toBe(2);
    const after = await verifyAuditChain(ctx.database.db);
    expect(after).toMatchObject({ ok: true, unsealed: 0 });
    expect(after.entries).toBe(before.entries + 2);
  });

  it('names the first entry edited by a manual UPDATE', async () => {
    const [, , third] = await ids();
    await sql`update audit_log set details = '{"forged": true}' where id = ${third}`.execute(ctx.database.db);
    const result = await verifyAuditChain(ctx.database.db);
    expect(result).toMatchObject({ ok: false, brokenId: third, reason: 'edited', entries: 2 });
  });

  it('names the entry after one removed by a manual DELETE', async () => {
    const before = await ids();
    const [, , third, fourth] = before;
    // Remove the edited entry too, so the deletion is the first break.
    await sql`delete from audit_log where id = ${third}`.execute(ctx.database.db);
    const result = await verifyAuditChain(ctx.database.db);
    expect(result).toMatchObject({ ok: false, brokenId: fourth, reason: 'deletedOrReordered' });
  });
});
