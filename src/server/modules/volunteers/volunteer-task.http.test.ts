import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '../../../shared/dashboard.ts';
import { EVALUATION_SOURCE_LABELS } from '../../../shared/indicators.ts';
import {
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { insertPublishedForm, seedVisitRegistry } from '../../testing/household-visit-fixtures.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';
import { testPhone } from './volunteer.fixtures.ts';

/** Points in 河清 grid 1 and in 英明 (test territory: 河清 lon 112.94–112.96, 英明 112.96–112.98). */
const HEQING = { lon: 112.945, lat: 22.85 };
const YINGMING = { lon: 112.965, lat: 22.85 };

/**
 * Issue 18 item 4: a volunteer signed in to a request acts with its tool, in its community, while signed in —
 * and nowhere, with nothing, otherwise.
 */
describe('a volunteer’s signed-in task', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let staff: HttpSession;
  let admin: HttpSession;
  let volunteer: HttpSession;
  let rubbish = 0;
  let heqingCheckpoint = 0;
  let yingmingCheckpoint = 0;
  let assignmentId = 0;
  let unitId = 0;

  const call = async (session: HttpSession, method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, body: response.json() };
  };
  const report = (clientKey: string, point: { lon: number; lat: number }) =>
    call(volunteer, 'POST', '/cases', {
      clientKey,
      categoryId: rubbish,
      description: '志愿者发现路边垃圾堆放',
      ...point,
    });
  const logEntry = (checkpointId: number, clientKey: string) =>
    call(volunteer, 'POST', `/checkpoints/${checkpointId}/entries`, {
      entries: [
        {
          clientKey,
          at: '2026-11-23T01:30:00Z',
          direction: 'in',
          subject: 'vehicle',
          plate: '粤E12345',
          outcome: 'passed',
        },
      ],
    });
  const request = (body: object) =>
    call(staff, 'POST', '/volunteer-requests', {
      regionCode: TERRITORY.heqing,
      kind: 'checkpoint',
      title: '卡点值守',
      place: '河清路口',
      day: '2026-11-23',
      startTime: '08:00',
      endTime: '16:00',
      wanted: 2,
      ...body,
    });

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    const minors = (await ctx.services.categories.getCategoryTree()).flatMap((m) => m.children);
    rubbish = minors.find((c) => c.kind === 'matter' && c.code === '06010')?.id ?? 0;
    app = await createApp(ctx);
    admin = await httpLogin(
      app,
      (await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town })).username,
    );
    staff = await httpLogin(
      app,
      (await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing })).username,
    );
    heqingCheckpoint = (
      await call(admin, 'POST', '/checkpoints', { name: '河清卡点', kind: 'road', ...HEQING })
    ).body.id;
    yingmingCheckpoint = (
      await call(admin, 'POST', '/checkpoints', { name: '英明卡点', kind: 'road', ...YINGMING })
    ).body.id;

    const account = await createUser(ctx, { role: 'volunteer', regionCode: TERRITORY.town });
    const system = systemActor();
    const unit = await ctx.services.volunteers.createUnit(system, {
      name: '九江供电所',
      kind: 'enterprise',
      regionCode: TERRITORY.town,
    });
    unitId = unit.id;
    const person = await ctx.services.volunteers.addVolunteer(system, unit.id, {
      name: '志愿者甲',
      phone: testPhone(),
      partyMember: true,
      userId: account.id,
    });
    const asked = await request({ checkpointId: heqingCheckpoint });
    expect(asked.status).toBe(201);
    expect(asked.body.checkpointId).toBe(heqingCheckpoint);
    const sent = await ctx.services.volunteers.sendVolunteers(system, asked.body.id, {
      unitId: unit.id,
      volunteerIds: [person.id],
    });
    assignmentId = sent.assignments[0]?.id ?? 0;
    volunteer = await httpLogin(app, account.username);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('refuses a tool that is not of the request’s kind or not in its community, naming the field', async () => {
    const elsewhere = await request({ checkpointId: yingmingCheckpoint });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.details.issues[0].path).toBe('checkpointId');
    const wrongKind = await request({ kind: 'cleanUp', checkpointId: heqingCheckpoint });
    expect(wrongKind.status).toBe(400);
    expect(JSON.stringify(wrongKind.body.error.details)).toContain('checkpointId');
  });

  it('gives a volunteer not signed in nothing: no report, no checkpoint log', async () => {
    expect((await report('vol-before', HEQING)).status).toBe(403);
    expect((await logEntry(heqingCheckpoint, 'vol-entry-before')).status).toBe(403);
    expect((await call(volunteer, 'GET', '/checkpoints')).body.checkpoints).toEqual([]);
  });

  it('lets a signed-in volunteer report in the community and log at the named checkpoint only', async () => {
    expect((await call(volunteer, 'POST', `/volunteer-assignments/${assignmentId}/sign-in`, {})).status).toBe(
      200,
    );

    const reported = await report('vol-report-1', HEQING);
    expect(reported.status).toBe(200);
    expect(reported.body).toMatchObject({ source: 'volunteer' });
    const away = await report('vol-report-2', YINGMING);
    expect(away.status).toBe(403);
    expect(away.body.error.code).toBe('FORBIDDEN_SCOPE');

    const logged = await logEntry(heqingCheckpoint, 'vol-entry-1');
    expect(logged.status).toBe(200);
    expect(logged.body.stored).toBe(1);
    expect((await logEntry(yingmingCheckpoint, 'vol-entry-2')).status).toBe(403);

    // The field view's checkpoint list is the shift's checkpoint; its entries stay the staff's to read.
    const list = await call(volunteer, 'GET', '/checkpoints');
    expect(list.body.checkpoints.map((c: { id: number }) => c.id)).toEqual([heqingCheckpoint]);
    expect((await call(volunteer, 'GET', '/checkpoint-entries')).status).toBe(403);
  });

  it('lets a volunteer signed in to a door-to-door request visit its campaign’s households in the community only', async () => {
    const system = systemActor();
    await seedVisitRegistry(ctx, 3);
    const formId = await insertPublishedForm(ctx, { code: 'vol-visit-test', regionCode: TERRITORY.town });
    const campaign = await ctx.services.householdVisits.createCampaign(system, {
      name: '三询问一完善',
      formId,
      regionCodes: [TERRITORY.heqing, TERRITORY.yingming],
      unit: 'household',
      startsOn: '2026-11-01',
      endsOn: '2026-11-30',
    });
    const account = await createUser(ctx, { role: 'volunteer', regionCode: TERRITORY.town });
    const person = await ctx.services.volunteers.addVolunteer(system, unitId, {
      name: '志愿者乙',
      phone: testPhone(),
      partyMember: false,
      userId: account.id,
    });
    const asked = await request({ kind: 'doorToDoor', visitCampaignId: campaign.id });
    expect(asked.status).toBe(201);
    const sent = await ctx.services.volunteers.sendVolunteers(system, asked.body.id, {
      unitId,
      volunteerIds: [person.id],
    });
    const query = { status: 'unvisited' as const, page: 1, pageSize: 2000 };
    const visits = ctx.services.householdVisits;
    const before = await ctx.services.auth.actorByUsername(account.username, 'zh-CN');
    await expect(visits.listHouseholds(before, campaign.id, query)).rejects.toMatchObject({
      code: 'FORBIDDEN_ROLE',
    });

    await ctx.services.volunteers.signIn(system, sent.assignments[0]?.id ?? 0);
    const actor = await ctx.services.auth.actorByUsername(account.username, 'zh-CN');
    const mine = (await visits.listHouseholds(actor, campaign.id, query)).items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((h) => h.gridCode.startsWith(TERRITORY.heqing))).toBe(true);
    const answer = (key: string, household: { key: string; residents: number }) =>
      visits.recordVisit(actor, campaign.id, {
        clientKey: key,
        household: household.key,
        visitedAt: '2026-11-23T01:00:00Z',
        answers: { residents: household.residents, safe: 'yes', hardship: ['none'] },
      });
    const visited = await answer('vol-visit-1', mine[0] as { key: string; residents: number });
    expect(visited.campaignId).toBe(campaign.id);
    const yingming = (await visits.listHouseholds(system, campaign.id, query)).items.find((h) =>
      h.gridCode.startsWith(TERRITORY.yingming),
    );
    await expect(answer('vol-visit-2', yingming as { key: string; residents: number })).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
    // Coverage and answers stay the readers'.
    await expect(visits.coverage(actor, campaign.id)).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
  });

  it('keeps the reach of a volunteer signed in late in the day past midnight, until they sign out', async () => {
    const system = systemActor();
    const account = await createUser(ctx, { role: 'volunteer', regionCode: TERRITORY.town });
    const person = await ctx.services.volunteers.addVolunteer(system, unitId, {
      name: '志愿者丙',
      phone: testPhone(),
      partyMember: true,
      userId: account.id,
    });
    const evening = await request({ startTime: '20:00', endTime: '23:30', checkpointId: heqingCheckpoint });
    expect(evening.status).toBe(201);
    const sent = await ctx.services.volunteers.sendVolunteers(system, evening.body.id, {
      unitId,
      volunteerIds: [person.id],
    });
    const shift = sent.assignments[0]?.id ?? 0;
    const reportAs = async (session: HttpSession, clientKey: string) =>
      (
        await call(session, 'POST', '/cases', {
          clientKey,
          categoryId: rubbish,
          description: '夜间卡点旁发现垃圾堆放',
          ...HEQING,
        })
      ).status;
    try {
      // Signed in at 22:00 on the 23rd, Beijing time.
      ctx.clock.set(new Date('2026-11-23T22:00:00+08:00'));
      const late = await httpLogin(app, account.username);
      expect((await call(late, 'POST', `/volunteer-assignments/${shift}/sign-in`, {})).status).toBe(200);
      expect(await reportAs(late, 'vol-night-1')).toBe(200);

      // Half past midnight, still signed in: the task still reaches, and its buttons still show.
      ctx.clock.set(new Date('2026-11-24T00:30:00+08:00'));
      const night = await httpLogin(app, account.username);
      expect(await reportAs(night, 'vol-night-2')).toBe(200);
      const entry = await call(night, 'POST', `/checkpoints/${heqingCheckpoint}/entries`, {
        entries: [
          {
            clientKey: 'vol-night-entry-2',
            at: '2026-11-23T16:20:00Z',
            direction: 'in',
            subject: 'vehicle',
            plate: '粤E54321',
            outcome: 'passed',
          },
        ],
      });
      expect(entry.status, JSON.stringify(entry.body)).toBe(200);
      const tasks = (await call(night, 'GET', '/volunteers/my-tasks')).body;
      expect(tasks.map((t: { assignment: { id: number } }) => t.assignment.id)).toContain(shift);

      // Signed out at 00:45: the reach ends at once.
      ctx.clock.set(new Date('2026-11-24T00:45:00+08:00'));
      expect((await call(night, 'POST', `/volunteer-assignments/${shift}/sign-out`, {})).status).toBe(200);
      expect(await reportAs(night, 'vol-night-3')).toBe(403);
    } finally {
      ctx.clock.set(new Date('2026-11-23T02:00:00Z'));
    }
  });

  it('lets a sign-in nobody closed lapse at the end of the day after its request', async () => {
    const system = systemActor();
    const account = await createUser(ctx, { role: 'volunteer', regionCode: TERRITORY.town });
    const person = await ctx.services.volunteers.addVolunteer(system, unitId, {
      name: '志愿者丁',
      phone: testPhone(),
      partyMember: false,
      userId: account.id,
    });
    const asked = await request({ checkpointId: heqingCheckpoint });
    const sent = await ctx.services.volunteers.sendVolunteers(system, asked.body.id, {
      unitId,
      volunteerIds: [person.id],
    });
    await ctx.services.volunteers.signIn(system, sent.assignments[0]?.id ?? 0);
    const reach = async (at: string) => {
      ctx.clock.set(new Date(at));
      return (await ctx.services.auth.actorByUsername(account.username, 'zh-CN')).volunteerTask?.requestId;
    };
    try {
      expect(await reach('2026-11-24T23:50:00+08:00')).toBe(asked.body.id);
      expect(await reach('2026-11-25T00:10:00+08:00')).toBeUndefined();
    } finally {
      ctx.clock.set(new Date('2026-11-23T02:00:00Z'));
    }
  });

  it('ends the volunteer’s reach when they sign out', async () => {
    const out = await call(volunteer, 'POST', `/volunteer-assignments/${assignmentId}/sign-out`, {});
    expect(out.status).toBe(200);
    expect((await report('vol-after', HEQING)).status).toBe(403);
    expect((await logEntry(heqingCheckpoint, 'vol-entry-after')).status).toBe(403);
  });

  it('counts the volunteers’ reports under 志愿者上报 in the dashboard’s sources, the ranking and the drill-down', async () => {
    ctx.clock.set(new Date('2026-11-24T12:00:00+08:00'));
    try {
      await ctx.services.caseFacts.refreshQueued();
      const leader = await httpLogin(
        app,
        (await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town })).username,
      );
      // Three were taken: one in the morning, two on the evening shift (one after midnight).
      const { sources } = (await call(leader, 'GET', '/dashboard')).body as Dashboard;
      const volunteers = sources.find((s) => s.source === 'volunteer');
      expect(volunteers?.reported).toBe(3);
      expect(EVALUATION_SOURCE_LABELS[volunteers?.source ?? 'api'].zh).toBe('志愿者上报');
      const period = 'from=2026-11-01&to=2026-11-24&unit=village';
      const ranking = (await call(leader, 'GET', `/indicators/ranking?${period}&source=volunteer`)).body;
      expect(ranking.rows.find((r: { key: string }) => r.key === TERRITORY.heqing)?.counts.reported).toBe(3);
      const drill = await call(leader, 'GET', `/indicators/cases?${period}&count=reported&source=volunteer`);
      expect(drill.body.total).toBe(3);
    } finally {
      ctx.clock.set(new Date('2026-11-23T02:00:00Z'));
    }
  });
});
