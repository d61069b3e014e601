import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenMediationInput } from '../../../shared/mediation.ts';
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

const PARTIES: OpenMediationInput['parties'] = [
  { side: 'applicant', name: '陈大文', phone: '13800138000', address: '河清社区河清大道8号' },
  { side: 'respondent', name: '李小明', phone: '13900139000', address: '河清社区河清大道10号' },
];

/**
 * A dispute case while its mediation is open (issue 18): the case's handling follows the mediation, so the case
 * page offers neither 办结 nor 退回 and the server refuses them, in the reader's language; the mediation's outcome
 * marks the case handled. And mediation numbers stay unique when two are opened at once.
 */
describe('HTTP: a dispute case held by its mediation', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let mediator: HttpSession;
  let worker: HttpSession;
  let dispatcher: HttpSession;
  let disputeCategory = 0;
  let departmentIds: number[] = [];

  const call = (
    session: HttpSession,
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    language = 'zh-CN',
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: {
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
        'accept-language': language,
      },
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    departmentIds = Object.values(await seedCaseReference(ctx));
    const ids = await markSeedDisputeCategories(ctx.services.categories, ctx.services.mediation.service);
    disputeCategory = ids.get('16001') ?? 0;
    app = await createApp(ctx);
    const login = async (role: 'mediator' | 'gridWorker' | 'dispatcher', regionCode: string) =>
      httpLogin(app, (await createUser(ctx, { role, regionCode })).username);
    mediator = await login('mediator', TERRITORY.heqing);
    worker = await login('gridWorker', TERRITORY.heqing);
    dispatcher = await login('dispatcher', TERRITORY.town);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('offers only 吹哨 and 督办 on the case while the mediation is open, refuses 办结 and 退回, and links the mediation', async () => {
    const reported = await call(worker, 'POST', '/cases', {
      categoryId: disputeCategory,
      description: '两户因共用楼道堆放杂物发生争执',
      lon: 112.945,
      lat: 22.85,
    });
    expect(reported.statusCode, reported.body).toBe(200);
    const caseId: number = reported.json().id;
    const opened = await call(mediator, 'POST', '/mediations', {
      caseId,
      disputeType: 'neighbour',
      source: 'screening',
      procedure: 'simplified',
      summary: '楼道杂物纠纷',
      parties: PARTIES,
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const mediation = opened.json();

    // The department the case was routed to, which would otherwise finish or return it.
    const inMediation = await ctx.services.cases.getCase(systemActor(), caseId);
    expect(inMediation.state).toBe('accepted');
    expect(inMediation.leadDepartmentId).not.toBeNull();
    const handler = await httpLogin(
      app,
      (
        await createUser(ctx, {
          role: 'departmentHandler',
          regionCode: TERRITORY.town,
          departmentId: inMediation.leadDepartmentId ?? 0,
        })
      ).username,
    );

    const seenByHandler = (await call(handler, 'GET', `/cases/${caseId}`)).json();
    expect(seenByHandler.allowedActions).toEqual([]);
    expect(seenByHandler.mediation).toEqual({ id: mediation.id, number: mediation.number });
    const seenByDispatcher = (await call(dispatcher, 'GET', `/cases/${caseId}`)).json();
    expect(seenByDispatcher.allowedActions).toEqual(['whistle']);

    const evidence = (await ctx.services.evidence.uploadEvidence(systemActor(), await samplePhoto())).id;
    const version: number = seenByHandler.version;
    const finish = await call(handler, 'POST', `/cases/${caseId}/actions/finish`, {
      version,
      note: '已调解',
      evidence: [evidence],
    });
    expect(finish.statusCode).toBe(409);
    expect(finish.json().error.message).toContain('案件正在人民调解中');
    expect(finish.json().error.message).toContain('不能执行「办结」');
    const returned = await call(
      handler,
      'POST',
      `/cases/${caseId}/actions/return`,
      { version, reason: '非本部门职责' },
      'en-US',
    );
    expect(returned.statusCode).toBe(409);
    expect(returned.json().error.message).toContain('The case is in mediation');
    expect(returned.json().error.message).toContain('"Return" is not possible');
    const recalled = await call(dispatcher, 'POST', `/cases/${caseId}/actions/recall`, {
      version,
      reason: '派错部门',
    });
    expect(recalled.statusCode).toBe(409);
    const still = await ctx.services.cases.getCase(systemActor(), caseId);
    expect({ state: still.state, returnCount: still.returnCount }).toEqual({
      state: 'accepted',
      returnCount: 0,
    });
    // What leaves the case as it is stays open: the dispatcher still summons another department.
    const whistle = await call(dispatcher, 'POST', `/cases/${caseId}/actions/whistle`, {
      version,
      departmentIds: [departmentIds.find((id) => id !== still.leadDepartmentId)],
    });
    expect(whistle.statusCode, whistle.body).toBe(200);

    // The mediation's outcome marks the case handled; the hold is gone with it.
    const referred = await call(mediator, 'POST', `/mediations/${mediation.id}/refer`, {
      referredTo: 'litigation',
      reason: '一方拒绝调解，引导诉讼',
      evidence: [evidence],
      version: mediation.version,
    });
    expect(referred.statusCode, referred.body).toBe(200);
    const after = (await call(handler, 'GET', `/cases/${caseId}`)).json();
    expect(after.state).toBe('handled');
    expect(after.mediation).toBeNull();
  });

  it('numbers two mediations opened at the same instant apart', async () => {
    const open = (summary: string) =>
      ctx.services.mediation.service.openMediation(systemActor(), {
        regionCode: TERRITORY.heqing,
        disputeType: 'neighbour',
        source: 'application',
        procedure: 'simplified',
        summary,
        parties: PARTIES,
      });
    const opened = await Promise.all([open('同时受理甲'), open('同时受理乙'), open('同时受理丙')]);
    const numbers = opened.map((m) => m.number).sort();
    expect(new Set(numbers).size).toBe(3);
    const sequence = numbers.map((n) => Number(/第(\d+)号/.exec(n)?.[1]));
    expect(sequence[1]).toBe((sequence[0] ?? 0) + 1);
    expect(sequence[2]).toBe((sequence[0] ?? 0) + 2);
    expect(numbers.every((n) => n.startsWith('(2026)调字第'))).toBe(true);
  });
});
