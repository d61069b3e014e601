import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../../shared/registry-validation.ts';
import { CHECKPOINT_MARKERS, seedCheckpointScope } from '../modules/forms/checkpoint.fixtures.ts';
import { FORM_MARKERS, seedFormScope } from '../modules/forms/form.fixtures.ts';
import { MEDIATION_MARKERS, seedMediationScope } from '../modules/mediation/mediation.fixtures.ts';
import { systemActor } from '../modules/people/actor.ts';
import { seedVolunteerScopeRecords, VOLUNTEER_MARKERS } from '../modules/volunteers/volunteer.fixtures.ts';
import {
  createActiveChecklist,
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  samplePhoto,
  seedCampaign,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
} from '../testing/factories.ts';
import { HOUSEHOLD_VISIT_MARKERS, seedHouseholdVisitScope } from '../testing/household-visit-fixtures.ts';
import { documentedOperations, fillPath, type Operation, sampleOf } from '../testing/openapi-walk.ts';
import { PARTY_MARKERS, seedPartyScope } from '../testing/party-fixtures.ts';
import { REGISTRATION_MARKERS, seedHeqingRegistration } from '../testing/registration-fixtures.ts';
import { createTestContext, type TestContext } from '../testing/test-database.ts';

/**
 * Walks every route of the OpenAPI document as three kinds of caller, so that a new route that forgets its
 * data scope fails here without anyone writing a test for it:
 * - nobody signed in: 401, except the routes meant for the public;
 * - an administrator and a grid worker of another village (英明): nothing of 河清's data in any answer, and no
 *   write to a 河清 record succeeds;
 * - a department handler of a department the 河清 case was not dispatched to: nothing of that case.
 * Records of 河清 carry marker strings; an answer that contains one has leaked.
 */

/** Routes anyone may call without signing in: each is public on purpose. */
const PUBLIC_ROUTES = [
  /^\/api\/health$/,
  /^\/api\/v1\/config$/,
  /^\/api\/v1\/auth\/login$/,
  /^\/api\/v1\/public\//,
  /^\/open311\//,
];
/** Routes that end or change the caller's own session: walking them would sign the walker out. */
const OWN_SESSION_ROUTES = [/^\/api\/v1\/auth\//];
/**
 * Public routes answer anyone, so what they show is public by design and not a leak of scope. Which cases the
 * public may read at all (not internal or covert sources) is the portal's and Open311's own rule.
 */
const isPublic = (operation: Operation) => PUBLIC_ROUTES.some((r) => r.test(operation.path));

function idNumber(birth: string, sequence: number): string {
  const first17 = `440605${birth}${String(sequence).padStart(3, '0')}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

const SECRET_ID = idNumber('19700302', 517);
const MARKERS = {
  resident: '甄河清',
  road: '河清秘巷',
  organisation: '河清秘密商店',
  facility: 'HQSECRET01',
  case: '河清机密案件描述',
  idNumber: SECRET_ID,
  phone: '13900001111',
  workerName: '河清网格员甄某',
  campaignTarget: '河清暗访对象甲',
  ...REGISTRATION_MARKERS,
  ...CHECKPOINT_MARKERS,
  ...HOUSEHOLD_VISIT_MARKERS,
  ...FORM_MARKERS,
  ...VOLUNTEER_MARKERS,
  ...MEDIATION_MARKERS,
  ...PARTY_MARKERS,
};
const HEQING_POINT = { lon: 112.945, lat: 22.85 };

describe('every documented route keeps its data scope', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let operations: Operation[];
  const ids: Record<string, string> = {};
  let caseId = 0;
  let heqingAdmin: HttpSession;
  const outsiders: Record<string, HttpSession> = {};
  let otherDepartment: HttpSession;

  const call = (operation: Operation, session: HttpSession | null, url: string, body?: unknown) =>
    app.inject({
      method: operation.method as 'GET',
      url,
      headers: session ? { cookie: session.cookie, 'x-csrf-token': session.csrfToken } : {},
      ...(body === undefined || operation.method === 'GET' ? {} : { payload: body as object }),
    });
  const post = async (session: HttpSession, url: string, payload: object) => {
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      payload,
    });
    if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    const departments = await seedCaseReference(ctx);
    app = await createApp(ctx);
    operations = await documentedOperations(app);

    const admin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.heqing });
    const worker = await createUser(ctx, {
      role: 'gridWorker',
      regionCode: TERRITORY.heqing,
      displayName: MARKERS.workerName,
    });
    heqingAdmin = await httpLogin(app, admin.username);
    const heqingWorker = await httpLogin(app, worker.username);
    ids.users = String(worker.id);

    // 河清's registry: a resident with an ID number and phone at a new address, a shop and a hydrant.
    const resident = await post(heqingAdmin, '/api/v1/registry/residents', {
      name: MARKERS.resident,
      idNumber: SECRET_ID,
      phone: MARKERS.phone,
      kind: 'registered',
      careTags: [],
      address: { road: MARKERS.road, number: '9', ...HEQING_POINT },
    });
    ids.residents = String(resident.id);
    ids.houses = String(resident.houseId ?? resident.house?.id ?? '');
    ids.addresses = String(resident.addressId ?? resident.address?.id ?? '');
    ids.organisations = String(
      (
        await post(heqingAdmin, '/api/v1/registry/organisations', {
          name: MARKERS.organisation,
          type: 'shop',
          contactPhone: MARKERS.phone,
          ...HEQING_POINT,
        })
      ).id,
    );
    ids.facilities = String(
      (
        await post(heqingAdmin, '/api/v1/registry/facilities', {
          code: MARKERS.facility,
          type: 'fireHydrant',
          ...HEQING_POINT,
        })
      ).id,
    );
    // An import with a rejected row: its error report holds the ID number and phone.
    const imported = await app.inject({
      method: 'POST',
      url: '/api/v1/registry/residents/import',
      headers: {
        cookie: heqingAdmin.cookie,
        'x-csrf-token': heqingAdmin.csrfToken,
        'content-type': 'text/csv',
      },
      body: `姓名,身份证号,联系电话,人口类型,街路巷,门牌号,经度,纬度\n${MARKERS.resident},${SECRET_ID.slice(0, 17)}X,${MARKERS.phone},户籍,${MARKERS.road},9,112.945,22.85\n`,
    });
    if (imported.statusCode < 300) ids.imports = String(imported.json().id ?? imported.json().importId ?? '');

    // 河清's case, with a photo, dispatched to sanitation.
    const photo = await app.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      headers: {
        cookie: heqingWorker.cookie,
        'x-csrf-token': heqingWorker.csrfToken,
        'content-type': 'image/jpeg',
      },
      body: await samplePhoto({ ...HEQING_POINT, takenAt: '2026:11:23 09:00:00' }),
    });
    if (photo.statusCode < 300) ids.evidence = String(photo.json().id);
    const categoryId = await firstLeafCategory(ctx);
    const reported = await post(heqingWorker, '/api/v1/cases', {
      categoryId,
      description: MARKERS.case,
      ...HEQING_POINT,
      clientKey: 'heqing-secret-0001',
      ...(ids.evidence ? { photos: [Number(ids.evidence)] } : {}),
    });
    caseId = reported.id;
    ids.cases = String(caseId);
    const act = async (action: string, input: object = {}) => {
      const current = await ctx.services.cases.getCase(systemActor(), caseId);
      await ctx.services.cases.actOnCase(systemActor(), {
        caseId,
        action: action as never,
        version: current.version,
        input: input as never,
      });
    };
    await act('register');
    await act('dispatch', { leadDepartmentId: departments['JJ-HW'] });

    // 河清's task book (任务书): its one task, dispatched to sanitation, names the case's marker and a person.
    const book = await post(heqingAdmin, '/api/v1/task-books', {
      title: '河清整改任务书',
      regionCode: TERRITORY.heqing,
      categoryId,
      deadline: '2026-11-30',
      tasks: [
        {
          description: `${MARKERS.case}（任务书）`,
          departmentId: departments['JJ-HW'],
          regionCode: TERRITORY.heqing,
          responsibleName: MARKERS.workerName,
        },
      ],
    });
    ids['task-books'] = String(book.id);

    // 河清's covert inspection campaign, with a target added by hand.
    const template = await createActiveChecklist(ctx, [{ key: '1', points: 10 }]);
    // The town's template: other villages' users may read it but neither edit, copy, activate nor retire it.
    ids.checklists = String(template.id);
    const campaign = await seedCampaign(ctx, admin.actor, {
      templateId: template.id,
      regionCode: TERRITORY.heqing,
      covert: true,
      targets: [{ name: MARKERS.campaignTarget, siteType: 'market', ...HEQING_POINT }],
    });
    ids.campaigns = String(campaign.id);
    // A visit of it (the organiser may visit), so the visit, notice and re-inspection routes meet a real row.
    const inspections = ctx.services.inspections;
    const started = await inspections.campaigns.startCampaign(admin.actor, campaign.id, campaign.rowVersion);
    const [round] = await inspections.campaigns.listRounds(admin.actor, started.id);
    const visit = await inspections.visits.recordVisit(admin.actor, campaign.id, {
      roundId: round?.id ?? 0,
      targetId: campaign.targets[0]?.id ?? 0,
      visitedAt: ctx.clock.now().toISOString(),
      note: MARKERS.campaignTarget,
      answers: [{ itemKey: '1', outcome: 'pass', note: '', evidence: [] }],
    });
    ids.visits = String(visit.id);

    // A patrol of 河清's grid worker (its answers carry the worker's name), with two points.
    const patrol = await post(heqingWorker, '/api/v1/patrols', {
      clientKey: 'heqing-patrol-0001',
      startedAt: '2026-11-23T01:00:00Z',
    });
    await post(heqingWorker, '/api/v1/patrols/heqing-patrol-0001/points', {
      points: [
        { seq: 0, ...HEQING_POINT, at: '2026-11-23T01:00:05Z' },
        { seq: 1, lon: 112.946, lat: 22.851, at: '2026-11-23T01:00:10Z' },
      ],
    });
    ids.patrols = String(patrol.id);
    ids.patrolKey = 'heqing-patrol-0001';

    // A public registration (报备) to 河清: the registrant's name, ID number, phone and origin are markers.
    ids.registrations = String(await seedHeqingRegistration(ctx, HEQING_POINT));

    // 河清's own form (表单): src/server/modules/forms/form.fixtures.ts.
    Object.assign(ids, await seedFormScope(ctx, TERRITORY.heqing));

    // A town-wide household-visit campaign and 河清's worker's visit to the marker resident's household.
    Object.assign(ids, await seedHouseholdVisitScope(ctx, worker.actor, Number(ids.houses)));

    // 河清's checkpoint (卡点), its roster and an entry: src/server/modules/forms/checkpoint.fixtures.ts.
    Object.assign(
      ids,
      await seedCheckpointScope(
        (who, url, body) => post(who === 'admin' ? heqingAdmin : heqingWorker, url, body),
        async (url, body) => {
          const response = await app.inject({
            method: 'PUT',
            url,
            headers: { cookie: heqingAdmin.cookie, 'x-csrf-token': heqingAdmin.csrfToken },
            payload: body,
          });
          if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
        },
      ),
    );

    // 河清's member unit, its volunteer, a request of 河清 and a sign-in: volunteer.fixtures.ts.
    Object.assign(ids, await seedVolunteerScopeRecords(ctx));

    // 河清's settled mediation, its parties and agreement naming markers: mediation.fixtures.ts.
    Object.assign(ids, await seedMediationScope(ctx));

    // 河清's party grids, branch, post and member, and the member's report: party.fixtures.ts.
    Object.assign(ids, await seedPartyScope(ctx, categoryId));

    // 河清's bulletin (通报), its issuing office naming a marker.
    ids.bulletins = String(
      (await post(heqingAdmin, '/api/v1/bulletins', { office: `${MARKERS.road}办公室` })).id,
    );

    const keys = await post(heqingAdmin, '/api/v1/open311/keys', { name: '河清的客户端' }).catch(() => null);
    if (keys?.id) ids.keys = String(keys.id);

    // A unit contact and a volunteer hold no region: they must see nothing of 河清 either.
    for (const role of [
      'administrator',
      'gridWorker',
      'leader',
      'dispatcher',
      'unitContact',
      'volunteer',
      'mediator',
      'partyMember',
    ] as const) {
      const user = await createUser(ctx, { role, regionCode: TERRITORY.yingming });
      outsiders[role] = await httpLogin(app, user.username);
    }
    const police = await createUser(ctx, {
      role: 'departmentHandler',
      regionCode: TERRITORY.town,
      departmentId: departments['JJ-PCS'],
    });
    otherDepartment = await httpLogin(app, police.username);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  /** The value a path parameter takes: the 河清 record the route's segment names. */
  function valueFor(operation: Operation, param: string): string {
    if (param === 'code' && operation.path.includes('/layer-grids/')) return ids['layer-grids'] ?? '1';
    if (param === 'code') return TERRITORY.heqing;
    if (param === 'year') return '2026';
    if (param === 'action') return 'accept';
    if (param === 'format') return 'json';
    if (param === 'key') return ids.patrolKey ?? '1';
    const segments = operation.path.split('/');
    const at = segments.indexOf(`{${param}}`);
    const owner = segments[at - 1] ?? '';
    return ids[owner] || '1';
  }
  const urlOf = (operation: Operation) =>
    fillPath(operation.path, Object.fromEntries(operation.params.map((p) => [p, valueFor(operation, p)])));
  const leaks = (response: LightMyRequestResponse, markers: readonly string[]) =>
    markers.filter((marker) => response.body.includes(marker));

  it('documents the routes the walk covers', () => {
    // The walk is only as good as the document: every module's routes are in it.
    const paths = new Set(operations.map((o) => o.path.split('/')[3]));
    for (const area of [
      'cases',
      'registry',
      'regions',
      'users',
      'webhooks',
      'open311',
      'evidence',
      'hotline',
      'campaigns',
    ]) {
      expect(paths, area).toContain(area);
    }
    expect(operations.length).toBeGreaterThan(100);
  });

  it('answers 401 to every non-public route without a session', async () => {
    const wrong: string[] = [];
    for (const operation of operations) {
      if (isPublic(operation)) continue;
      const response = await call(
        operation,
        null,
        urlOf(operation),
        sampleOf(operation.requestSchema ?? undefined),
      );
      if (response.statusCode !== 401)
        wrong.push(`${operation.method} ${operation.path} → ${response.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });

  it('shows users of another village nothing of 河清, and lets them change none of it', async () => {
    const before = await ownerView();
    const wrong: string[] = [];
    const statuses: Record<number, number> = {};
    let sent = 0;
    for (const [role, session] of Object.entries(outsiders)) {
      for (const operation of operations) {
        if (OWN_SESSION_ROUTES.some((r) => r.test(operation.path))) continue;
        const url = urlOf(operation);
        const body = sampleOf(operation.requestSchema ?? undefined, { version: 1 });
        const response = await call(operation, session, url, body);
        sent++;
        const label = `${role} ${operation.method} ${url} → ${response.statusCode}`;
        if (response.statusCode >= 500) wrong.push(`${label} (server error)`);
        statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
        const leaked = isPublic(operation) ? [] : leaks(response, Object.values(MARKERS));
        if (response.statusCode < 300 && leaked.length) wrong.push(`${label} shows ${leaked.join(', ')}`);
        const namesHeqingRecord = operation.params.some(
          (p) => valueFor(operation, p) !== '1' && p !== 'format',
        );
        if (operation.method !== 'GET' && namesHeqingRecord && response.statusCode < 300) {
          wrong.push(`${label} changed a record of 河清`);
        }
      }
      const still = await app.inject({
        method: 'GET',
        url: '/api/v1/auth/session',
        headers: { cookie: session.cookie },
      });
      expect(still.statusCode, `${role} still signed in after the walk`).toBe(200);
    }
    expect(wrong).toEqual([]);
    expect(await ownerView()).toEqual(before);
    console.info(
      `route-scope: ${sent} requests from other villages' users over ${operations.length} operations, answered ${JSON.stringify(statuses)}`,
    );
    // Eight roles walk every route: several thousand requests, longer than the default minute on a busy machine.
  }, 240_000);

  it('shows a department nothing of a case not dispatched to it', async () => {
    const wrong: string[] = [];
    const caseMarkers = [MARKERS.case, MARKERS.phone];
    for (const operation of operations) {
      if (OWN_SESSION_ROUTES.some((r) => r.test(operation.path))) continue;
      const url = urlOf(operation);
      const response = await call(
        operation,
        otherDepartment,
        url,
        sampleOf(operation.requestSchema ?? undefined),
      );
      const label = `${operation.method} ${url} → ${response.statusCode}`;
      if (response.statusCode >= 500) wrong.push(`${label} (server error)`);
      if (response.statusCode < 300 && !isPublic(operation) && leaks(response, caseMarkers).length)
        wrong.push(`${label} shows the case`);
      const namesCase = /^\/api\/v1\/(cases|evidence)\/\{/.test(operation.path);
      if (namesCase && response.statusCode < 300) wrong.push(`${label} reached the case`);
    }
    expect(wrong).toEqual([]);
  });

  it('shows the public nothing of a grid worker’s case, by its number or by its ticket code', async () => {
    // Internal sources (a grid worker's report here; inspections, hotline orders) are never public, whatever
    // id a client guesses or learns: the public ticket routes and Open311 answer as if the case did not exist.
    const row = await ctx.database.db
      .selectFrom('cases')
      .innerJoin('case_tickets', 'case_tickets.case_id', 'cases.id')
      .select(['case_number', 'ticket_code'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    const wrong: string[] = [];
    for (const id of [row.case_number, row.ticket_code]) {
      for (const operation of operations.filter((o) => isPublic(o) && o.method === 'GET')) {
        const url = fillPath(
          operation.path,
          Object.fromEntries(
            operation.params.map((p) => [p, p === 'ticketNo' ? id : valueFor(operation, p)]),
          ),
        );
        const response = await call(operation, null, url);
        if (response.statusCode >= 500) wrong.push(`GET ${url} → ${response.statusCode}`);
        if (leaks(response, [MARKERS.case]).length) wrong.push(`GET ${url} shows the case`);
      }
    }
    for (const url of [
      `/open311/v2/requests/${row.case_number}.json`,
      `/open311/v2/requests/${row.case_number}.xml`,
      `/open311/v2/requests.json?service_request_id=${row.case_number}`,
      '/open311/v2/requests.json',
      '/open311/v2/servicerequestupdates.json',
    ]) {
      const response = await app.inject({ method: 'GET', url });
      if (response.statusCode >= 500) wrong.push(`GET ${url} → ${response.statusCode}`);
      // A 404 may name the id asked for; an answer must not hold the case.
      const markers = response.statusCode < 300 ? [MARKERS.case, row.case_number] : [MARKERS.case];
      if (leaks(response, markers).length) wrong.push(`GET ${url} shows the case`);
    }
    expect(wrong).toEqual([]);
  });

  /** What 河清's administrator sees of its records: must not change while others walk the routes. */
  async function ownerView() {
    const read = async (url: string) => {
      const response = await app.inject({ method: 'GET', url, headers: { cookie: heqingAdmin.cookie } });
      const body = response.json();
      return { status: response.statusCode, version: body.version, state: body.state };
    };
    return {
      case: await read(`/api/v1/cases/${ids.cases}`),
      resident: await read(`/api/v1/registry/residents/${ids.residents}`),
      organisation: await read(`/api/v1/registry/organisations/${ids.organisations}`),
      facility: await read(`/api/v1/registry/facilities/${ids.facilities}`),
      user: await read(`/api/v1/users/${ids.users}`),
    };
  }
});

/** A minor class of matter to report in: the first leaf of the seed tree. */
async function firstLeafCategory(ctx: TestContext): Promise<number> {
  const row = await ctx.database.db
    .selectFrom('categories')
    .select('id')
    .where('parent_id', 'is not', null)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
