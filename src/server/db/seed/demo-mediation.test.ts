import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../modules/people/actor.ts';
import { seedCaseReference, seedTerritory, TERRITORY } from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { loadDemoMediation } from './demo-mediation.ts';

describe('the demo mediations', () => {
  let ctx: TestContext;
  const system = systemActor();

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    await ctx.services.people.createUser(system, {
      username: 'heqing',
      displayName: '河清社区网格员',
      role: 'gridWorker',
      regionCode: TERRITORY.heqing,
    });
    const started = Date.now();
    await loadDemoMediation(ctx.database.db, ctx.services, {
      townCode: TERRITORY.town,
      now: ctx.clock.now(),
      seed: 1,
      password: 'Demo-pass-2026',
    });
    // The demo loads at first start and in every e2e run: it must stay quick (a few seconds on an idle machine).
    const ms = Date.now() - started;
    console.info(`demo mediations loaded in ${ms} ms`);
    expect(ms).toBeLessThan(60_000);
  }, 240_000);
  afterAll(() => ctx.close());

  it('reads 456 handled, 393 settled, a settlement rate of 86.18 %', async () => {
    const figures = await ctx.services.mediation.figures(system, {});
    expect(figures.total).toMatchObject({ handled: 456, settled: 393, settlementRate: 86.18 });
    expect(figures.byMonth.length).toBeGreaterThanOrEqual(12);
    expect(figures.open).toBe(3);
    expect(figures.overdue).toBe(1);
  });

  it('gives every settled mediation an agreement and a follow-up, every other one a referral', async () => {
    const db = ctx.database.db;
    const closed = await db
      .selectFrom('mediations as m')
      .leftJoin('mediation_agreements as a', 'a.mediation_id', 'm.id')
      .select(['m.state', 'm.follow_up_due_on', 'm.referred_to', 'm.referral_reason', 'a.number'])
      .where('m.state', '!=', 'open')
      .execute();
    const settled = closed.filter((m) => m.state === 'settled');
    expect(settled).toHaveLength(393);
    expect(settled.every((m) => m.number && m.follow_up_due_on)).toBe(true);
    const unsettled = closed.filter((m) => m.state === 'unsettled');
    expect(unsettled).toHaveLength(63);
    expect(unsettled.every((m) => m.referred_to && m.referral_reason && !m.number)).toBe(true);
  });

  it('shows the open mediation past 30 days red and escalated, and one from a dispute case', async () => {
    const overdue = await ctx.services.mediation.service.listMediations(system, {
      task: 'overdue',
      offset: 0,
      limit: 10,
    });
    expect(overdue.items).toHaveLength(1);
    expect(overdue.items[0]).toMatchObject({ light: 'red', escalated: true, source: 'petition' });
    const open = await ctx.services.mediation.service.listMediations(system, {
      state: 'open',
      offset: 0,
      limit: 10,
    });
    expect(open.items.some((m) => m.caseNumber !== null)).toBe(true);
  });

  it('prints a demo agreement with its Chinese text', async () => {
    const [first] = (
      await ctx.services.mediation.service.listMediations(system, { state: 'settled', offset: 0, limit: 1 })
    ).items;
    const file = await ctx.services.mediation.documents.agreement(system, first?.id ?? 0, 'pdf');
    const dir = mkdtempSync(join(tmpdir(), 'demo-agreement-'));
    writeFileSync(join(dir, 'a.pdf'), file.bytes);
    const text = execFileSync('pdftotext', [join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('人民调解协议书');
    expect(text).toContain('演示数据');
  });
});
