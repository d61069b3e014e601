import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../db/database.ts';
import { createServices } from '../deps.ts';
import { systemActor } from '../modules/people/actor.ts';
import { createUser, seedCaseReference, seedTerritory } from '../testing/factories.ts';
import { createTestContext, type TestContext } from '../testing/test-database.ts';
import { createJobRunner, type JobLog } from './job-runner.ts';

const DAY = 86_400_000;
const quiet: JobLog = { info: () => {}, error: () => {} };

describe('background jobs', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const runner = (db = ctx.database.db, clock = ctx.clock) =>
    createJobRunner({ db, backend: ctx.database.backend, clock, log: quiet });

  it('runs a job once per interval however many processes tick it', async () => {
    let runs = 0;
    const job = { name: 'count-once', intervalMs: 60_000, run: async () => runs++ };
    const [first, second] = [runner(), runner()];
    first.define(job);
    second.define(job);
    expect(await Promise.all([first.tick(job.name), second.tick(job.name)])).toContain(false);
    expect(runs).toBe(1);
    ctx.clock.advance(30_000);
    expect([await first.tick(job.name), await second.tick(job.name)]).toEqual([false, false]);
    ctx.clock.advance(30_000);
    expect(await second.tick(job.name)).toBe(true);
    expect(runs).toBe(2);
    await Promise.all([first.stop(), second.stop()]);
  });

  it('skips a tick while the previous run still goes on, and records failures', async () => {
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const jobs = runner();
    jobs.define({ name: 'slow', intervalMs: 60_000, once: false, run: () => slow });
    jobs.define({
      name: 'broken',
      intervalMs: 60_000,
      run: async () => {
        throw new Error('receiver unreachable');
      },
    });
    const pending = jobs.tick('slow');
    expect(await jobs.tick('slow')).toBe(false);
    release();
    expect(await pending).toBe(true);
    expect(await jobs.tick('broken')).toBe(true);
    const broken = (await jobs.list()).find((j) => j.name === 'broken');
    expect(broken).toMatchObject({ last_status: 'failed', last_error: 'receiver unreachable', failures: 1 });
    await jobs.stop();
  });

  it('escalates each overdue case once when two processes sweep together', async () => {
    await seedTerritory(ctx);
    const departments = await seedCaseReference(ctx);
    const worker = await createUser(ctx, { role: 'gridWorker', regionCode: '440605121015' });
    const system = systemActor();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const reported = await ctx.services.cases.reportCase(worker.actor, {
        categoryId: await firstMatter(ctx),
        description: `第${i + 1}处暴露垃圾`,
        lon: 112.945,
        lat: 22.85,
      });
      for (const [action, input] of [
        ['register', {}],
        ['dispatch', { leadDepartmentId: departments['JJ-HW'] }],
      ] as const) {
        const current = await ctx.services.cases.getCase(system, reported.id);
        await ctx.services.cases.actOnCase(system, {
          caseId: reported.id,
          action: action as never,
          version: current.version,
          input: input as never,
        });
      }
      ids.push(reported.id);
    }
    ctx.clock.advance(30 * DAY);

    // On the PostgreSQL server the second "process" has a connection pool of its own, as a second gridgov would.
    let other: DatabaseHandle | null = null;
    if (ctx.databaseUrl)
      other = await createDatabase({ databaseUrl: ctx.databaseUrl, dataDir: '', poolSize: 3 });
    const otherDb = other?.db ?? ctx.database.db;
    const otherServices = createServices({
      db: otherDb,
      backend: ctx.database.backend,
      clock: ctx.clock,
      config: ctx.config,
    });
    const processes = [
      { db: ctx.database.db, sweep: ctx.services.cases.sweepOverdue },
      { db: otherDb, sweep: otherServices.cases.sweepOverdue },
    ].map(({ db, sweep }) => {
      const jobs = runner(db);
      jobs.define({ name: 'overdue-sweep', intervalMs: 60_000, run: sweep });
      return jobs;
    });
    const ran = await Promise.all(processes.map((jobs) => jobs.tick('overdue-sweep')));
    expect(ran.filter(Boolean)).toHaveLength(1);
    for (const id of ids) {
      const events = (await ctx.services.cases.getCase(system, id)).events.filter(
        (e) => e.action === 'escalate',
      );
      expect(events, `case ${id}`).toHaveLength(1);
    }
    for (const jobs of processes) await jobs.stop();
    await other?.close();
  });
});

async function firstMatter(ctx: TestContext): Promise<number> {
  const row = await ctx.database.db
    .selectFrom('categories')
    .select('id')
    .where('parent_id', 'is not', null)
    .where('kind', '=', 'matter')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
