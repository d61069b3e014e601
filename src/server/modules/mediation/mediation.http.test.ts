import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../../../shared/registry-validation.ts';
import {
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  samplePhoto,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';
import { markSeedDisputeCategories } from './dispute-categories.ts';

const NOW = new Date('2026-11-23T02:00:00Z');
const DAY = 86_400_000;
const civil = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const first17 = '44060519800101123';
const ID_NUMBER = `${first17}${idNumberCheckChar(first17)}`;
const PARTIES = [
  {
    side: 'applicant',
    name: '陈大文',
    idNumber: ID_NUMBER,
    phone: '13800138000',
    address: '河清社区河清大道8号',
  },
  { side: 'respondent', name: '李小明', phone: '13900139000', address: '河清社区河清大道10号' },
];

describe('HTTP: mediation', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let mediator: HttpSession;
  let mediatorId = 0;
  let mediatorUsername = '';
  let outsider: HttpSession;
  let leader: HttpSession;
  let worker: HttpSession;
  let disputeCategory = 0;

  const call = (session: HttpSession, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      ...(payload ? { payload } : {}),
    });
  const photo = async (session: HttpSession) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'image/jpeg' },
      body: await samplePhoto({}),
    });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json().id as string;
  };

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    const ids = await markSeedDisputeCategories(ctx.services.categories, ctx.services.mediation.service);
    disputeCategory = ids.get('16001') ?? 0;
    app = await createApp(ctx);
    const m = await createUser(ctx, {
      role: 'mediator',
      regionCode: TERRITORY.heqing,
      displayName: '王调解',
    });
    mediatorId = m.id;
    mediatorUsername = m.username;
    mediator = await httpLogin(app, m.username);
    outsider = await httpLogin(
      app,
      (await createUser(ctx, { role: 'mediator', regionCode: TERRITORY.yingming })).username,
    );
    leader = await httpLogin(
      app,
      (await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town })).username,
    );
    worker = await httpLogin(
      app,
      (await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing })).username,
    );
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('takes a dispute case through mediation to an agreement, and the case to handled', async () => {
    const reported = await call(worker, 'POST', '/cases', {
      categoryId: disputeCategory,
      description: '两户因排水沟堵塞发生争执',
      lon: 112.945,
      lat: 22.85,
    });
    expect(reported.statusCode, reported.body).toBe(200);
    const caseId = reported.json().id;

    const opened = await call(mediator, 'POST', '/mediations', {
      caseId,
      disputeType: 'neighbour',
      source: 'screening',
      summary: '排水沟堵塞引发邻里纠纷',
      parties: PARTIES,
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const mediation = opened.json();
    expect(mediation.mediatorId).toBe(mediatorId);
    expect(mediation.state).toBe('open');
    expect(mediation.light).toBe('green');
    expect(Date.parse(mediation.dueAt) - Date.parse(mediation.acceptedAt)).toBe(30 * DAY);
    // The mediator sees names, and ID numbers and phones masked but revealable.
    expect(mediation.parties[0].name).toBe('陈大文');
    expect(mediation.parties[0].idNumber).toBe(`440605********${ID_NUMBER.slice(-4)}`);
    expect(mediation.parties[0].revealable).toEqual(['idNumber', 'phone']);
    expect((await ctx.services.cases.getCase(systemActor(), caseId)).state).toBe('accepted');

    // A leader supervises without knowing who the parties are.
    const seenByLeader = (await call(leader, 'GET', `/mediations/${mediation.id}`)).json();
    expect(JSON.stringify(seenByLeader)).not.toContain('陈大文');
    expect(JSON.stringify(seenByLeader)).not.toContain('13800138000');
    expect(seenByLeader.parties[0].name).toBe('陈**');
    expect(
      (
        await call(leader, 'POST', `/mediations/${mediation.id}/reveal`, {
          partyId: mediation.parties[0].id,
          field: 'phone',
        })
      ).statusCode,
    ).toBe(403);

    const revealed = await call(mediator, 'POST', `/mediations/${mediation.id}/reveal`, {
      partyId: mediation.parties[0].id,
      field: 'idNumber',
    });
    expect(revealed.json()).toEqual({ field: 'idNumber', value: ID_NUMBER });
    const log = await ctx.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'mediation.reveal')
      .execute();
    expect(log).toHaveLength(1);

    // Another village's mediator learns nothing of it.
    const foreign = await call(outsider, 'GET', `/mediations/${mediation.id}`);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.body).not.toContain('陈大文');

    const noTranscript = await call(mediator, 'POST', `/mediations/${mediation.id}/sessions`, {
      heldAt: NOW.toISOString(),
      place: '河清社区调解室',
      matter: '排水沟清理责任',
      result: '双方同意共同清理',
      version: mediation.version,
    });
    expect(noTranscript.statusCode).toBe(400);
    expect(noTranscript.body).toContain('transcript');
    const session = await call(mediator, 'POST', `/mediations/${mediation.id}/sessions`, {
      heldAt: NOW.toISOString(),
      place: '河清社区调解室',
      matter: '排水沟清理责任',
      result: '双方同意共同清理',
      transcript: '调解员：请双方陈述。陈大文：……',
      version: mediation.version,
    });
    expect(session.statusCode, session.body).toBe(200);

    const agreement = {
      facts: '2026年11月，双方因房屋之间排水沟堵塞发生争执。',
      terms: '一、双方于11月30日前共同清理排水沟，费用各半。\n二、今后轮流每季度清理一次。',
      performanceMethod: '双方共同出工清理，费用现金结清',
      performancePlace: '河清社区河清大道8号与10号之间',
      performBy: '2026-11-30',
      version: session.json().version,
    };
    const withoutPhoto = await call(mediator, 'POST', `/mediations/${mediation.id}/settle`, agreement);
    expect(withoutPhoto.statusCode).toBe(400);
    expect(withoutPhoto.body).toContain('evidence');
    const settled = await call(mediator, 'POST', `/mediations/${mediation.id}/settle`, {
      ...agreement,
      evidence: [await photo(mediator)],
    });
    expect(settled.statusCode, settled.body).toBe(200);
    const done = settled.json();
    expect(done.state).toBe('settled');
    expect(done.agreement.number).toBe('(2026)调协字第0001号');
    expect(done.followUpDueOn).toBe('2026-12-08');
    expect(done.confirmationDueOn).toBe('2026-12-23');
    expect((await ctx.services.cases.getCase(systemActor(), caseId)).state).toBe('handled');

    const pdf = await call(mediator, 'GET', `/mediations/${mediation.id}/agreement.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'mediation-'));
    writeFileSync(join(dir, 'a.pdf'), pdf.rawPayload);
    const text = execFileSync('pdftotext', [join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('人民调解协议书');
    expect(text).toContain('河清社区人民调解委员会');
    expect(text).toContain('陈大文');
    const docx = await call(mediator, 'GET', `/mediations/${mediation.id}/agreement.docx`);
    expect(docx.statusCode).toBe(200);
    writeFileSync(join(dir, 'a.docx'), docx.rawPayload);
    const xml = execFileSync('unzip', ['-p', join(dir, 'a.docx'), 'word/document.xml'], { encoding: 'utf8' });
    expect(xml).toContain('人民调解协议书');
    expect(xml).toContain('人民调解员（签名）');
    // Leaders read the record, not the document with the parties' particulars.
    expect((await call(leader, 'GET', `/mediations/${mediation.id}/agreement.pdf`)).statusCode).toBe(403);
  });

  it('refers an application that was not settled, with the reason', async () => {
    const opened = await call(mediator, 'POST', '/mediations', {
      regionCode: TERRITORY.heqing,
      disputeType: 'labour',
      source: 'petition',
      procedure: 'simplified',
      summary: '工资拖欠',
      parties: PARTIES,
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const referred = await call(mediator, 'POST', `/mediations/${opened.json().id}/refer`, {
      referredTo: 'arbitration',
      reason: '双方对工资数额分歧较大，引导申请劳动仲裁',
      version: opened.json().version,
    });
    expect(referred.statusCode, referred.body).toBe(200);
    expect(referred.json().state).toBe('unsettled');
    expect(referred.json().referral).toEqual({
      referredTo: 'arbitration',
      department: null,
      reason: '双方对工资数额分歧较大，引导申请劳动仲裁',
    });
  });

  it('turns a mediation open past 30 days red and escalates it once, until an agreed extension', async () => {
    const opened = await call(mediator, 'POST', '/mediations', {
      regionCode: TERRITORY.heqing,
      disputeType: 'housing',
      source: 'application',
      summary: '宅基地边界争议',
      acceptedOn: '2026-10-20',
      parties: PARTIES,
    });
    const id = opened.json().id;
    expect(opened.json().light).toBe('red');
    expect(await ctx.services.mediation.sweep()).toBe(1);
    expect(await ctx.services.mediation.sweep()).toBe(0);
    const told = await ctx.database.db
      .selectFrom('notifications')
      .innerJoin('users', 'users.id', 'notifications.user_id')
      .select(['users.role', 'notifications.text'])
      .where('notifications.kind', '=', 'overdue')
      .execute();
    expect(told.map((t) => t.role).sort()).toEqual(['leader', 'mediator']);
    const escalated = (await call(mediator, 'GET', `/mediations/${id}`)).json();
    expect(escalated.escalated).toBe(true);
    const overdueList = (await call(leader, 'GET', '/mediations?task=overdue')).json();
    expect(overdueList.items.map((m: { id: number }) => m.id)).toContain(id);

    const extended = await call(mediator, 'POST', `/mediations/${id}/extensions`, {
      days: 15,
      reason: '需实地测量',
      consent: '双方当事人书面同意延期',
      version: escalated.version,
    });
    expect(extended.statusCode, extended.body).toBe(200);
    expect(extended.json().light).toBe('green');
    expect(extended.json().escalated).toBe(false);
    expect(extended.json().extensions[0].newDueAt).toBe('2026-12-04T01:00:00.000Z');
  });

  it('counts handled, settled and the settlement rate for the scope', async () => {
    const figures = (await call(leader, 'GET', '/mediations/figures')).json();
    expect(figures.total).toMatchObject({ handled: 2, settled: 1, settlementRate: 50, onTime: 2 });
    expect(figures.byVillage[0]).toMatchObject({ key: TERRITORY.heqing, handled: 2 });
    expect(figures.open).toBe(1);
    const outside = (await call(outsider, 'GET', '/mediations/figures')).json();
    expect(outside.total.handled).toBe(0);
  });

  it('holds the dispute case to the mediation’s limit, not its own few working days', async () => {
    const reported = await call(worker, 'POST', '/cases', {
      categoryId: disputeCategory,
      description: '楼上装修噪音引发争执',
      lon: 112.945,
      lat: 22.85,
    });
    const caseId = reported.json().id;
    const opening = await call(mediator, 'POST', '/mediations', {
      caseId,
      disputeType: 'neighbour',
      source: 'screening',
      procedure: 'simplified',
      summary: '装修噪音纠纷',
      parties: PARTIES,
    });
    expect(opening.statusCode, opening.body).toBe(201);
    const opened = opening.json();
    const caseView = () => ctx.services.cases.getCase(systemActor(), caseId);
    expect((await caseView()).stepDueAt).toBe(opened.dueAt);
    try {
      // Twelve days on — past any working-day handling limit — the case is neither red nor escalated.
      ctx.clock.advance(12 * DAY);
      // The session of twelve days ago has expired.
      const later = await httpLogin(app, mediatorUsername);
      const swept = await ctx.services.cases.sweepOverdue();
      expect(swept.map((c) => c.id)).not.toContain(caseId);
      expect((await caseView()).deadline).not.toBe('overdue');

      // An extension the parties agreed to moves the case's due time with the mediation's.
      const extending = await call(later, 'POST', `/mediations/${opened.id}/extensions`, {
        days: 15,
        reason: '等待装修队出具整改方案',
        consent: '双方当事人口头同意，记入笔录',
        version: opened.version,
      });
      expect(extending.statusCode, extending.body).toBe(200);
      const extended = extending.json();
      const moved = await caseView();
      expect(moved.stepDueAt).toBe(extended.dueAt);
      expect(Date.parse(moved.stepDueAt ?? '') - Date.parse(opened.dueAt)).toBe(15 * DAY);
      const timeline = moved.events;
      expect(
        JSON.stringify(timeline).match(/handlingDeadline/g)?.length,
        'one timeline entry at opening, one at the extension',
      ).toBe(2);

      // Past the extended limit the case runs late with the mediation, and is escalated then.
      ctx.clock.advance(34 * DAY);
      expect((await ctx.services.cases.sweepOverdue()).map((c) => c.id)).toContain(caseId);
      const last = await httpLogin(app, mediatorUsername);

      // Once settled, the case lets go of the mediation's limit: a rework would get its category's again.
      const settled = await call(last, 'POST', `/mediations/${opened.id}/settle`, {
        facts: '装修噪音',
        terms: '晚八时后不施工',
        performanceMethod: '自行履行',
        performancePlace: '河清社区',
        performBy: civil(ctx.clock.now()),
        signedOn: civil(ctx.clock.now()),
        evidence: [await photo(last)],
        version: extended.version,
      });
      expect(settled.statusCode, settled.body).toBe(200);
      const row = await ctx.database.db
        .selectFrom('cases')
        .select(['state', 'handling_deadline'])
        .where('id', '=', caseId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ state: 'handled', handling_deadline: null });
    } finally {
      ctx.clock.set(NOW);
    }
  });
});
