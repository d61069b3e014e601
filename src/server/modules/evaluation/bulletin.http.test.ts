import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bulletin } from '../../../shared/bulletins.ts';
import {
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  samplePhoto,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';
import { percentText } from './bulletin-text.ts';

const HEQING = { lon: 112.945, lat: 22.85 };
const YINGMING = { lon: 112.965, lat: 22.85 };
const HOUR = 3_600_000;
const WEEK = { from: '2026-11-23', to: '2026-11-29' };
const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).status === 0;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('bulletins (通报): generate, edit, publish, download', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let leaderUser: TestUser;
  let leader: HttpSession;
  const sessions: Record<string, HttpSession> = {};
  const caseNumbers: Record<string, string> = {};
  const system = systemActor();

  async function act(id: number, action: string, input: Record<string, unknown> = {}) {
    const current = await ctx.services.cases.getCase(system, id);
    await ctx.services.cases.actOnCase(system, {
      caseId: id,
      action: action as never,
      version: current.version,
      input: input as never,
    });
  }

  const call = (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    session: HttpSession,
    payload?: object,
    language = 'zh-CN',
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': language },
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    ctx = await createTestContext({ now: new Date('2026-11-20T10:00:00+08:00') });
    await seedTerritory(ctx);
    const departments = await seedCaseReference(ctx);
    const tree = await ctx.services.categories.getCategoryTree();
    const rubbish = tree.flatMap((m) => m.children).find((c) => c.code === '06010')?.id ?? 0;
    const evidence = [(await ctx.services.evidence.uploadEvidence(system, await samplePhoto())).id];
    // The week of 23–29 November: one case handled on time, one reworked, one late, one left pending past its deadline.
    const plan = [
      ['onTime', '2026-11-23', HEQING, 'JJ-HW'],
      ['reworked', '2026-11-24', HEQING, 'JJ-HW'],
      ['late', '2026-11-25', YINGMING, 'JJ-CG'],
      ['pendingPast', '2026-11-26', YINGMING, 'JJ-CG'],
    ] as const;
    for (const [outcome, day, where, department] of plan) {
      const at = (hh: string, days = 0) =>
        new Date(new Date(`${day}T${hh}:00+08:00`).getTime() + days * 24 * HOUR);
      ctx.clock.set(at('09:00'));
      const c = await ctx.services.cases.reportCase(
        system,
        { categoryId: rubbish, description: '路边有暴露垃圾', ...where },
        'gridWorker',
      );
      caseNumbers[outcome] = c.caseNumber;
      ctx.clock.set(at('09:10'));
      await act(c.id, 'register');
      ctx.clock.set(at('09:20'));
      await act(c.id, 'dispatch', { leadDepartmentId: departments[department] });
      ctx.clock.set(at('09:30'));
      await act(c.id, 'accept');
      if (outcome === 'pendingPast') continue;
      // Late: finished the next afternoon, past the four working hours of the class.
      const finishAt = outcome === 'late' ? at('16:00', 1) : at('10:00');
      ctx.clock.set(finishAt);
      await act(c.id, 'finish', { note: '已清运', evidence });
      if (outcome === 'reworked') {
        ctx.clock.set(at('10:20'));
        await act(c.id, 'verifyFail', { reason: '仍有垃圾' });
        ctx.clock.set(at('11:00'));
        await act(c.id, 'finish', { note: '已清运', evidence });
      }
      ctx.clock.set(new Date(ctx.clock.now().getTime() + HOUR / 2));
      await act(c.id, 'verifyPass');
    }
    // Wednesday of the next week: "last week" is 23–29 November.
    ctx.clock.set(new Date('2026-12-02T09:00:00+08:00'));
    await ctx.services.caseFacts.refreshQueued();
    app = await createApp(ctx);
    leaderUser = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    leader = await httpLogin(app, leaderUser.username);
    const users = {
      heqingLeader: ['leader', TERRITORY.heqing],
      yingmingLeader: ['leader', TERRITORY.yingming],
      inspector: ['inspector', TERRITORY.town],
      worker: ['gridWorker', TERRITORY.heqing],
    } as const;
    for (const [name, [role, regionCode]] of Object.entries(users))
      sessions[name] = await httpLogin(app, (await createUser(ctx, { role, regionCode })).username);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  let town: Bulletin;

  it("generates last week's bulletin whose prose carries the ranking's figures", async () => {
    const response = await call('POST', '/bulletins', leader, {});
    expect(response.statusCode, response.body).toBe(201);
    town = response.json();
    expect(town).toMatchObject({
      status: 'draft',
      year: 2026,
      seq: 1,
      content: { period: WEEK, unitKind: 'village' },
    });
    expect(town.text.title).toBe('九江镇网格化服务管理工作周通报');
    expect(town.text.office).toBe('九江镇网格化服务管理中心');

    const ranking = await ctx.services.rankings.getRanking(leaderUser.actor, {
      ...WEEK,
      unit: 'village',
      sortBy: 'composite',
    });
    const { counts, figures } = ranking.total;
    const match =
      /共上报问题 (\d+) 宗，已立案 (\d+) 宗，已办结 (\d+) 宗，办结率 ([\d.]+%)，按期处置率 ([\d.]+%)/.exec(
        town.text.headline,
      );
    expect(match, town.text.headline).not.toBeNull();
    expect(match?.slice(1)).toEqual([
      String(counts.reported),
      String(counts.registered),
      String(counts.closed),
      percentText(figures.closureRate),
      percentText(figures.onTimeHandlingRate),
    ]);
    expect(counts.reported).toBe(4);
    expect(town.text.headline).toContain('本周（2026年11月23日至2026年11月29日），全镇');
    expect(town.text.headline).toContain(`处置率 ${percentText(figures.handlingRate)}`);
    expect(town.text.headline).toContain(`超期待处置 ${counts.overduePending} 宗`);
    expect(town.content.total.composite).toBe(ranking.total.composite);
    // The tables are the ranking's rows.
    expect(town.content.units.map((u) => [u.name, u.rank, u.composite])).toEqual(
      ranking.rows.map((r) => [r.name, r.rank, r.composite]),
    );
    // The overdue and reworked cases, by village, with their numbers.
    const nameOf = (code: string) => ranking.rows.find((r) => r.key === code)?.name;
    expect(town.content.overdue).toEqual([
      { name: nameOf(TERRITORY.yingming), count: 1, caseNumbers: [caseNumbers.pendingPast] },
    ]);
    expect(town.content.reworked).toEqual([
      { name: nameOf(TERRITORY.heqing), count: 1, caseNumbers: [caseNumbers.reworked] },
    ]);
    expect(town.content.scheme.version).toBe(ranking.scheme.version);
  });

  it('writes the prose in English for an English reader, numbered next in the year', async () => {
    const response = await call('POST', '/bulletins', leader, { ...WEEK }, 'en-US');
    expect(response.statusCode, response.body).toBe(201);
    const english: Bulletin = response.json();
    expect(english.seq).toBe(2);
    expect(english.text.headline).toMatch(
      /^This week \(2026-11-23 to 2026-11-29\), 九江镇 reported 4 problems/,
    );
  });

  it('names the field at fault', async () => {
    const bad = await call('POST', '/bulletins', leader, { from: '2026-13-01', to: '2026-11-29' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('from');
    const half = await call('POST', '/bulletins', leader, { from: '2026-11-23' });
    expect(half.statusCode).toBe(400);
    expect(half.json().error.details.issues[0].path).toBe('to');
    const empty = await call('PATCH', `/bulletins/${town.id}`, leader, {
      version: town.version,
      headline: ' ',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details.issues[0].path).toBe('headline');
  });

  it('lets inspectors read but not write, and grid workers neither', async () => {
    expect((await call('GET', `/bulletins/${town.id}`, sessions.inspector as HttpSession)).statusCode).toBe(
      200,
    );
    expect((await call('POST', '/bulletins', sessions.inspector as HttpSession, {})).statusCode).toBe(403);
    expect((await call('GET', '/bulletins', sessions.worker as HttpSession)).statusCode).toBe(403);
  });

  it("keeps a village's bulletin from another village", async () => {
    const heqing = sessions.heqingLeader as HttpSession;
    const yingming = sessions.yingmingLeader as HttpSession;
    const made = await call('POST', '/bulletins', heqing, { ...WEEK });
    expect(made.statusCode, made.body).toBe(201);
    const village: Bulletin = made.json();
    expect(village).toMatchObject({ regionCode: TERRITORY.heqing, seq: 1, content: { unitKind: 'grid' } });
    expect(village.text.headline).toContain('全社区共上报问题 2 宗');
    expect(village.text.title).toBe('河清社区网格化服务管理工作周通报');
    expect((await call('GET', `/bulletins/${village.id}`, yingming)).statusCode).toBe(404);
    expect((await call('GET', `/bulletins/${village.id}/bulletin.pdf`, yingming)).statusCode).toBe(404);
    expect(
      (await call('PATCH', `/bulletins/${village.id}`, yingming, { version: 1, headline: 'x' })).statusCode,
    ).toBe(404);
    // The town's bulletin holds every village's figures: a village reader does not see it either.
    expect((await call('GET', `/bulletins/${town.id}`, yingming)).statusCode).toBe(404);
    expect((await call('GET', '/bulletins', yingming)).json().total).toBe(0);
    // The town sees its own and its villages'.
    const list = (await call('GET', '/bulletins', leader)).json();
    expect(list.items.map((b: Bulletin) => b.id)).toContain(village.id);
    expect((await call('POST', '/bulletins', yingming, { regionCode: TERRITORY.heqing })).statusCode).toBe(
      403,
    );
  });

  let published: Bulletin;

  it('edits the headline, publishes, and then refuses any change', async () => {
    const headline = `本周全镇网格化工作平稳有序。${town.text.headline}`;
    const edited = await call('PATCH', `/bulletins/${town.id}`, leader, { version: town.version, headline });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ version: 2, text: { headline } });
    const stale = await call('PATCH', `/bulletins/${town.id}`, leader, { version: 1, closing: '旧版本' });
    expect(stale.statusCode).toBe(409);

    const done = await call('POST', `/bulletins/${town.id}/publish`, leader, { version: 2 });
    expect(done.statusCode, done.body).toBe(200);
    published = done.json();
    expect(published).toMatchObject({
      status: 'published',
      issuedOn: '2026-12-02',
      publishedAt: '2026-12-02T01:00:00.000Z',
    });

    const again = await call('PATCH', `/bulletins/${town.id}`, leader, { version: 3, headline: '改写' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('已发布');
    expect((await call('POST', `/bulletins/${town.id}/publish`, leader, { version: 3 })).statusCode).toBe(
      409,
    );
    const list = (await call('GET', '/bulletins?status=published', leader)).json();
    expect(list.items.map((b: Bulletin) => b.id)).toEqual([town.id]);
  });

  it('downloads the published bulletin as the same bytes every time, whatever the hour', async () => {
    const hashes: Record<string, string[]> = { pdf: [], docx: [], xlsx: [] };
    const files: Record<string, Buffer> = {};
    for (const later of [0, 3 * HOUR]) {
      ctx.clock.set(new Date(Date.parse('2026-12-02T01:00:00Z') + HOUR + later));
      // Cases change in the meantime: a published bulletin does not move.
      await ctx.services.caseFacts.refreshQueued();
      for (const format of ['pdf', 'docx', 'xlsx']) {
        const response = await call('GET', `/bulletins/${town.id}/bulletin.${format}`, leader);
        expect(response.statusCode, response.body).toBe(200);
        files[format] = response.rawPayload;
        hashes[format]?.push(sha256(response.rawPayload));
      }
      // A second apart is not enough to show a timestamp creeping in; the hours between the two rounds are.
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    for (const [format, [first, second]] of Object.entries(hashes)) expect(second, format).toBe(first);
    expect(files.pdf?.subarray(0, 5).toString()).toBe('%PDF-');

    const dir = mkdtempSync(join(tmpdir(), 'bulletin-'));
    writeFileSync(join(dir, 'b.docx'), files.docx as Buffer);
    const xml = execFileSync('unzip', ['-p', join(dir, 'b.docx'), 'word/document.xml']).toString('utf8');
    expect(xml).toContain('本周全镇网格化工作平稳有序。');
    expect(xml).toContain('（2026年第1期）');
    expect(xml).toContain(caseNumbers.pendingPast);
    const core = execFileSync('unzip', ['-p', join(dir, 'b.docx'), 'docProps/core.xml']).toString('utf8');
    expect(core).toContain('2026-12-02T01:00:00Z');

    if (HAS_PDFTOTEXT) {
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: files.pdf }).toString(
        'utf8',
      );
      const flat = text.replace(/\s+/g, '');
      expect(flat).toContain('九江镇网格化服务管理工作周通报');
      expect(flat).toContain('本周全镇网格化工作平稳有序。');
      expect(flat).toContain(`共上报问题${published.content.total.reported}宗`);
    }
  });
});
