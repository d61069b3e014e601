import type { FastifyInstance } from 'fastify';
import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import type { ChecklistItemTable } from './inspection.table.ts';

/**
 * The issue's acceptance, through the API: a covert campaign over a market, a dry-goods shop, a bank and a
 * hospital; failures with photos become rectification cases due by the inspection's deadlines; the notice lists
 * them; re-inspection closes or reworks them. Campaign and checklist rows are written directly: this part is
 * about what happens once a campaign runs.
 */

// Monday 2026-11-23, 10:00 Beijing time.
const MONDAY_10 = new Date('2026-11-23T02:00:00Z');
const beijing = (local: string) => new Date(`${local}+08:00`).toISOString();
const answerOf = (visit: { answers: { itemKey: string; case: { id: number } | null }[] }, key: string) => {
  const answer = visit.answers.find((a) => a.itemKey === key);
  if (!answer) throw new Error(`no answer ${key}`);
  return answer;
};

describe('HTTP: visits, rectification and re-inspection', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let departments: Record<string, number>;
  let inspector: TestUser;
  let colleague: TestUser;
  let sessions: Record<'inspector' | 'colleague' | 'outsider' | 'worker', HttpSession>;
  let campaignId: number;
  let roundId: number;
  const targets: Record<'market' | 'shop' | 'bank' | 'hospital', number> = {
    market: 0,
    shop: 0,
    bank: 0,
    hospital: 0,
  };
  const photos: string[] = [];

  const send = (
    session: HttpSession,
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    locale = 'zh-CN',
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': locale },
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    ctx = await createTestContext({ now: MONDAY_10 });
    await seedTerritory(ctx);
    departments = await seedCaseReference(ctx);
    app = await createApp(ctx);
    const db = ctx.database.db;
    inspector = await createUser(ctx, {
      role: 'inspector',
      regionCode: TERRITORY.town,
      displayName: '督查员甲',
    });
    colleague = await createUser(ctx, {
      role: 'inspector',
      regionCode: TERRITORY.town,
      displayName: '督查员乙',
    });
    const outsider = await createUser(ctx, { role: 'inspector', regionCode: TERRITORY.town });
    const worker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    sessions = {
      inspector: await httpLogin(app, inspector.username),
      colleague: await httpLogin(app, colleague.username),
      outsider: await httpLogin(app, outsider.username),
      worker: await httpLogin(app, worker.username),
    };
    for (const colour of ['#a33', '#3a3', '#33a', '#aa3']) {
      photos.push(
        (await ctx.services.evidence.uploadEvidence(inspector.actor, await samplePhoto({ colour }))).id,
      );
    }

    const category = async (code: string) =>
      (await db.selectFrom('categories').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    const now = MONDAY_10;
    const template = await db
      .insertInto('checklist_templates')
      .values({
        code: 'wmcs-field',
        name: '文明城市实地测评表',
        region_code: TERRITORY.town,
        status: 'active',
        created_by: null,
        created_at: now,
        updated_at: now,
        site_types: [],
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const item = (
      position: number,
      fields: { key: string; question: string; points: number } & Record<string, unknown>,
    ) =>
      ({
        template_id: template.id,
        position,
        section: '实地测评',
        rule: 'passFail' as const,
        photo: 'onFail' as const,
        guidance: '',
        site_types: [] as string[],
        category_id: null,
        veto: false,
        immediate: false,
        rectify_limit: null,
        comparator: null,
        threshold: null,
        unit: null,
        ...fields,
      }) as Insertable<ChecklistItemTable>;
    await db
      .insertInto('checklist_items')
      .values([
        item(1, {
          key: '1.1',
          question: '设置分类垃圾桶',
          points: 10,
          site_types: ['market', 'shop'],
          category_id: await category('06052'),
          rectify_limit: JSON.stringify({ amount: 3, unit: 'workingDays' }),
          guidance: '每个出入口至少一组',
        }),
        item(2, {
          key: '1.2',
          question: '摊位不出店、不占道',
          points: 10,
          site_types: ['market', 'shop'],
          category_id: await category('09005'),
          immediate: true,
        }),
        item(3, {
          key: '2.1',
          question: '公益广告不少于 5 处',
          points: 5,
          rule: 'count',
          comparator: '>=',
          threshold: 5,
          photo: 'never',
        }),
        item(4, { key: '3.1', question: '设置志愿服务岗', points: 10, site_types: ['bank', 'hospital'] }),
        item(5, { key: '3.2', question: '设置母婴室', points: 10, site_types: ['hospital'] }),
        item(6, {
          key: '4.1',
          question: '消防通道畅通',
          points: 20,
          veto: true,
          category_id: await category('13001'),
        }),
      ])
      .execute();
    const organiser = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    const campaign = await db
      .insertInto('inspection_campaigns')
      .values({
        name: '文明城市创建暗访',
        template_id: template.id,
        region_code: TERRITORY.town,
        organiser_id: organiser.id,
        organiser_department_id: departments['JJ-WMB'] ?? null,
        covert: true,
        published_at: null,
        status: 'running',
        starts_on: '2026-11-01',
        ends_on: '2026-12-31',
        sample_size: null,
        rectify_limit: JSON.stringify({ amount: 5, unit: 'workingDays' }),
        rectify_by: null,
        signature_required: false,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    campaignId = campaign.id;
    await db
      .insertInto('campaign_inspectors')
      .values([inspector.id, colleague.id].map((user_id) => ({ campaign_id: campaignId, user_id })))
      .execute();
    roundId = (
      await db
        .insertInto('campaign_rounds')
        .values({ campaign_id: campaignId, number: 1, opens_on: '2026-11-01', due_on: '2026-12-31' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const target = async (name: string, site_type: string, lon: number, region_code: string) =>
      (
        await db
          .insertInto('campaign_targets')
          .values({
            campaign_id: campaignId,
            kind: 'manual',
            name,
            site_type,
            region_code,
            address: `${name}门口`,
            lon,
            lat: 22.85,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    targets.market = await target('九江农贸市场', 'market', 112.945, TERRITORY.heqingGrids[0]);
    targets.shop = await target('河清干货店', 'shop', 112.955, TERRITORY.heqingGrids[1]);
    targets.bank = await target('农商银行九江支行', 'bank', 112.965, TERRITORY.yingmingGrids[0]);
    targets.hospital = await target('九江医院', 'hospital', 112.975, TERRITORY.yingmingGrids[1]);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const pass = (itemKey: string) => ({ itemKey, outcome: 'pass' });
  const fail = (itemKey: string, photo?: string, note = '') => ({
    itemKey,
    outcome: 'fail',
    note,
    evidence: photo ? [photo] : [],
  });
  const count = (value: number) => ({ itemKey: '2.1', outcome: 'pass', value });

  const marketVisit = () => ({
    clientKey: 'phone-1-visit-market',
    roundId,
    targetId: targets.market,
    visitedAt: MONDAY_10.toISOString(),
    lon: 112.945,
    lat: 22.85,
    personInCharge: '市场管理员王某',
    answers: [
      fail('1.1', photos[0], '东门无分类垃圾桶'),
      fail('1.2', photos[1], '3 个摊位出线'),
      count(6),
      pass('4.1'),
    ],
  });

  let marketVisitId = 0;
  let bankVisitId = 0;

  it('refuses a failure without its photo, naming the answer, in the language asked', async () => {
    const body = {
      ...marketVisit(),
      clientKey: 'phone-1-no-photo',
      answers: [pass('1.1'), fail('1.2'), count(6), pass('4.1')],
    };
    const zh = await send(sessions.inspector, 'POST', `/campaigns/${campaignId}/visits`, body);
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error.details.issues).toEqual([{ path: 'answers[1].evidence', message: '须拍照' }]);
    const en = await send(sessions.inspector, 'POST', `/campaigns/${campaignId}/visits`, body, 'en-US');
    expect(en.json().error.message).toContain('answers[1].evidence: a photo is required');
  });

  it('lets only an inspector of the campaign record a visit', async () => {
    const response = await send(sessions.outsider, 'POST', `/campaigns/${campaignId}/visits`, marketVisit());
    expect(response.statusCode).toBe(403);
    const hidden = await send(sessions.worker, 'POST', `/campaigns/${campaignId}/visits`, marketVisit());
    expect(hidden.statusCode).toBe(404);
  });

  it('turns three failures into three rectification cases, the 立行立改 one due at the close of the day', async () => {
    const market = await send(sessions.inspector, 'POST', `/campaigns/${campaignId}/visits`, marketVisit());
    expect(market.statusCode).toBe(200);
    const visit = market.json();
    marketVisitId = visit.id;
    expect(visit.noticeNumber).toMatch(/^JC-2026-\d{6}$/);
    // 3.1 and 3.2 do not apply to a market: out of the denominator. 25 of 45 points.
    expect(visit).toMatchObject({ earned: 25, applicable: 45, rate: 55.56, vetoedBy: null });
    const cases = Object.fromEntries(
      visit.answers.map((a: { itemKey: string; case: unknown }) => [a.itemKey, a.case]),
    );
    expect(cases['1.2']).toMatchObject({ state: 'reported', dueAt: beijing('2026-11-23T17:30:00') });
    // The item's own limit: 3 working days from the finding.
    expect(cases['1.1']).toMatchObject({ dueAt: beijing('2026-11-26T10:00:00') });
    expect(cases['2.1']).toBeNull();

    const bank = await send(sessions.inspector, 'POST', `/campaigns/${campaignId}/visits`, {
      clientKey: 'phone-1-visit-bank',
      roundId,
      targetId: targets.bank,
      visitedAt: MONDAY_10.toISOString(),
      answers: [fail('3.1', photos[2], '志愿岗无人值守'), count(5), pass('4.1')],
    });
    expect(bank.statusCode).toBe(200);
    bankVisitId = bank.json().id;
    // The campaign's limit: 5 working days.
    expect(answerOf(bank.json(), '3.1').case).toMatchObject({ dueAt: beijing('2026-11-30T10:00:00') });
    const hospital = await send(sessions.colleague, 'POST', `/campaigns/${campaignId}/visits`, {
      clientKey: 'phone-2-visit-hospital',
      roundId,
      targetId: targets.hospital,
      visitedAt: MONDAY_10.toISOString(),
      answers: [pass('3.1'), pass('3.2'), count(9), pass('4.1')],
    });
    expect(hospital.json()).toMatchObject({ earned: 45, applicable: 45, rate: 100 });

    const reported = await ctx.database.db
      .selectFrom('cases')
      .select(['description', 'source'])
      .where('client_key', 'like', 'visit:%')
      .orderBy('id')
      .execute();
    expect(reported).toHaveLength(3);
    expect(reported[0]).toEqual({
      source: 'inspector',
      description: '【督查整改】设置分类垃圾桶 — 九江农贸市场\n东门无分类垃圾桶',
    });
  });

  it('answers a replayed visit with the visit its first try made, and no second case', async () => {
    const again = await send(sessions.inspector, 'POST', `/campaigns/${campaignId}/visits`, marketVisit());
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(marketVisitId);
    const count = await ctx.database.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('client_key', 'like', 'visit:%')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
    const twice = await send(sessions.inspector, 'POST', `/campaigns/${campaignId}/visits`, {
      ...marketVisit(),
      clientKey: 'phone-1-visit-market-2',
    });
    expect(twice.statusCode).toBe(409);
  });

  it('keeps a covert visit from the inspected until the campaign is published', async () => {
    expect((await send(sessions.worker, 'GET', `/visits/${marketVisitId}`)).statusCode).toBe(404);
    await ctx.database.db
      .updateTable('inspection_campaigns')
      .set({ published_at: MONDAY_10 })
      .where('id', '=', campaignId)
      .execute();
    const seen = await send(sessions.worker, 'GET', `/visits/${marketVisitId}`);
    expect(seen.statusCode).toBe(200);
    // A village sees its own targets only: the bank lies in 英明.
    expect((await send(sessions.worker, 'GET', `/visits/${bankVisitId}`)).statusCode).toBe(404);
    await ctx.database.db
      .updateTable('inspection_campaigns')
      .set({ published_at: null })
      .where('id', '=', campaignId)
      .execute();
  });

  it('prints one notice per visit listing its failed items with deadlines and case numbers', async () => {
    const notice = await ctx.services.inspections.visits.noticeData(inspector.actor, marketVisitId);
    expect(notice).toMatchObject({
      campaignName: '文明城市创建暗访',
      covert: true,
      unit: { name: '九江农贸市场', address: '九江农贸市场门口', typeLabel: '集贸市场' },
      inspectors: ['督查员甲'],
      personInCharge: '市场管理员王某',
      score: { earned: 25, applicable: 45, vetoedBy: null },
    });
    expect(
      notice.findings.map((f) => [f.key, f.immediate, f.deadline?.toISOString(), f.judgingRule]),
    ).toEqual([
      ['1.1', false, beijing('2026-11-26T10:00:00'), '每个出入口至少一组'],
      ['1.2', true, beijing('2026-11-23T17:30:00'), null],
    ]);
    expect(notice.findings.every((f) => f.caseNumber !== null)).toBe(true);
  });

  it('re-inspects: two pass and close, one fails back to rework', async () => {
    const market = (await send(sessions.inspector, 'GET', `/visits/${marketVisitId}`)).json();
    const bank = (await send(sessions.inspector, 'GET', `/visits/${bankVisitId}`)).json();
    const early = await send(sessions.colleague, 'POST', `/visits/${bankVisitId}/items/3.1/reinspect`, {
      outcome: 'pass',
    });
    expect(early.statusCode).toBe(409);

    const caseIds = [
      answerOf(market, '1.1').case?.id,
      answerOf(market, '1.2').case?.id,
      answerOf(bank, '3.1').case?.id,
    ];
    const toMake = async (session: HttpSession) => {
      const response = await send(session, 'GET', '/inspections/my-reinspections');
      expect(response.statusCode).toBe(200);
      return response.json() as { caseId: number; itemKey: string; noticeNumber: string }[];
    };
    expect(await toMake(sessions.colleague)).toEqual([]);
    for (const caseId of caseIds) await rectify(caseId ?? 0);
    const waiting = await toMake(sessions.colleague);
    expect(waiting.map((w) => w.caseId).sort()).toEqual([...caseIds].sort());
    const found = market.answers.find((a: { itemKey: string }) => a.itemKey === '1.1');
    expect(waiting.find((w) => w.itemKey === '1.1')).toMatchObject({
      visitId: marketVisitId,
      noticeNumber: market.noticeNumber,
      campaignName: market.campaignName,
      targetName: market.targetName,
      question: found.question,
      note: found.note,
      evidence: found.evidence,
      inspectorName: '督查员甲',
      handledAt: expect.any(String),
    });
    expect(await toMake(sessions.outsider)).toEqual([]);

    const passed = await send(sessions.colleague, 'POST', `/visits/${marketVisitId}/items/1.1/reinspect`, {
      outcome: 'pass',
      evidence: [photos[3]],
    });
    expect(passed.statusCode).toBe(200);
    await send(sessions.inspector, 'POST', `/visits/${marketVisitId}/items/1.2/reinspect`, {
      outcome: 'pass',
    });
    const noReason = await send(sessions.inspector, 'POST', `/visits/${bankVisitId}/items/3.1/reinspect`, {
      outcome: 'fail',
    });
    expect(noReason.json().error.details.issues[0].path).toBe('note');
    const failed = await send(sessions.inspector, 'POST', `/visits/${bankVisitId}/items/3.1/reinspect`, {
      outcome: 'fail',
      note: '志愿岗仍无人',
    });
    expect(failed.statusCode).toBe(200);

    const after = (await send(sessions.inspector, 'GET', `/visits/${marketVisitId}`)).json();
    expect(
      after.answers
        .filter((a: { case: unknown }) => a.case)
        .map((a: { case: { state: string } }) => a.case.state),
    ).toEqual(['closed', 'closed']);
    expect(
      after.reinspections.map((r: { itemKey: string; inspectorName: string }) => [
        r.itemKey,
        r.inspectorName,
      ]),
    ).toEqual([
      ['1.1', '督查员乙'],
      ['1.2', '督查员甲'],
    ]);
    expect(answerOf(failed.json(), '3.1').case).toMatchObject({ state: 'accepted', reworkCount: 1 });
    // Re-inspected, passed or failed back to rework: nothing left to re-inspect.
    expect(await toMake(sessions.inspector)).toEqual([]);
    const outsider = await send(sessions.outsider, 'POST', `/visits/${bankVisitId}/items/3.1/reinspect`, {
      outcome: 'pass',
    });
    expect(outsider.statusCode).toBe(403);
    const audit = await ctx.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'inspection.%')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'inspection.reinspect',
      'inspection.reinspect',
      'inspection.reinspect',
      'inspection.visit',
      'inspection.visit',
      'inspection.visit',
    ]);
  });

  it('after hours, a 立行立改 item is due at the close of the next working day; a failed veto item zeroes the score', async () => {
    ctx.clock.set(new Date(beijing('2026-11-23T18:40:00')));
    const shop = await send(sessions.inspector, 'POST', `/campaigns/${campaignId}/visits`, {
      clientKey: 'phone-1-visit-shop',
      roundId,
      targetId: targets.shop,
      visitedAt: beijing('2026-11-23T18:30:00'),
      answers: [pass('1.1'), fail('1.2', photos[0]), count(7), fail('4.1', photos[1], '通道堆放货物')],
    });
    expect(shop.statusCode).toBe(200);
    const visit = shop.json();
    expect(visit).toMatchObject({ earned: 15, applicable: 45, rawRate: 33.33, rate: 0, vetoedBy: '4.1' });
    expect(answerOf(visit, '1.2').case).toMatchObject({ dueAt: beijing('2026-11-24T17:30:00') });
    const notice = await ctx.services.inspections.visits.noticeData(inspector.actor, visit.id);
    expect(notice.score.vetoedBy).toEqual({ key: '4.1', section: '实地测评', question: '消防通道畅通' });
  });

  it("takes the answers of a re-inspection round as re-inspections of the items' cases", async () => {
    const bank = (await send(sessions.inspector, 'GET', `/visits/${bankVisitId}`)).json();
    const caseId = answerOf(bank, '3.1').case?.id ?? 0;
    const current = await ctx.services.cases.getCase(systemActor(), caseId);
    await ctx.services.cases.actOnCase(systemActor(), {
      caseId,
      action: 'finish',
      version: current.version,
      input: { note: '已安排专人值守', evidence: [photos[3] ?? ''] },
    });
    const round = await ctx.database.db
      .insertInto('campaign_rounds')
      .values({
        campaign_id: campaignId,
        number: 2,
        kind: 'reinspection',
        opens_on: '2026-11-23',
        due_on: '2026-12-31',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const response = await send(sessions.colleague, 'POST', `/campaigns/${campaignId}/visits`, {
      clientKey: 'phone-2-reinspect-bank',
      roundId: round.id,
      targetId: targets.bank,
      visitedAt: ctx.clock.now().toISOString(),
      answers: [pass('3.1')],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ roundKind: 'reinspection', earned: 10, applicable: 10 });
    expect(answerOf(response.json(), '3.1').case).toMatchObject({
      id: caseId,
      state: 'closed',
      reworkCount: 1,
    });
    expect(response.json().reinspections).toMatchObject([
      { itemKey: '3.1', outcome: 'pass', inspectorName: '督查员乙' },
    ]);
  });

  /** The department's side of the loop, up to awaiting verification. */
  async function rectify(caseId: number) {
    const system = systemActor();
    const act = async (action: string, input: object) => {
      const current = await ctx.services.cases.getCase(system, caseId);
      await ctx.services.cases.actOnCase(system, {
        caseId,
        action: action as never,
        version: current.version,
        input: input as never,
      });
    };
    await act('register', {});
    await act('dispatch', { leadDepartmentId: departments['JJ-CG'] });
    await act('accept', {});
    await act('finish', { note: '已整改', evidence: [photos[3]] });
  }
});
