import type { FastifyInstance } from 'fastify';
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
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { all, field, parseXml } from '../../testing/xml.ts';
import { systemActor } from '../people/actor.ts';
import { createPortalService } from './portal.service.ts';

const IN_HEQING = { lon: 112.945, lat: 22.85 };
const NAME = '王小明';
const PHONE = '13800138000';
const REPORTS_PER_HOUR = 4;

describe('public resident portal', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let dispatcher: HttpSession;
  let handler: HttpSession;
  let rubbishId = 0;
  let privateCategoryId = 0;
  let leadDepartment = 0;
  let ipCount = 0;

  beforeAll(async () => {
    ctx = await createTestContext({ config: { portalReportsPerHour: REPORTS_PER_HOUR } });
    await seedTerritory(ctx);
    leadDepartment = (await seedCaseReference(ctx))['JJ-HW'] ?? 0;
    const minors = (await ctx.services.categories.getCategoryTree()).flatMap((m) => m.children);
    rubbishId = minors.find((c) => c.code === '06010')?.id ?? 0;
    privateCategoryId = minors.find((c) => c.code === '05001')?.id ?? 0;
    app = await createApp(ctx);
    dispatcher = await httpLogin(
      app,
      (await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town })).username,
    );
    handler = await httpLogin(
      app,
      (
        await createUser(ctx, {
          role: 'departmentHandler',
          regionCode: TERRITORY.town,
          departmentId: leadDepartment,
        })
      ).username,
    );
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  /** Each test its own client address, so the per-IP limits of one do not touch another. */
  const newIp = () => `203.0.113.${++ipCount}`;
  const pub = (
    method: 'GET' | 'POST',
    path: string,
    options: { payload?: object | Buffer; ip?: string; headers?: Record<string, string> } = {},
  ) =>
    app.inject({
      method,
      url: `/api/v1/public${path}`,
      remoteAddress: options.ip ?? '198.51.100.1',
      headers: {
        ...(Buffer.isBuffer(options.payload) ? { 'content-type': 'image/jpeg' } : {}),
        ...options.headers,
      },
      ...(options.payload ? { payload: options.payload } : {}),
    });
  const staff = (method: 'GET' | 'POST', url: string, session: HttpSession, payload?: object) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      ...(payload ? { payload } : {}),
    });

  /** A form token as the page fetches it, aged past the minimum fill time. */
  const formToken = async (ip: string) => {
    const token = (await pub('GET', '/form-token', { ip })).json().token as string;
    ctx.clock.advance(5_000);
    return token;
  };
  const report = async (ip: string, extra: Record<string, unknown> = {}) =>
    pub('POST', '/reports', {
      ip,
      payload: {
        categoryId: rubbishId,
        description: '河清路口有一堆暴露垃圾，气味很大',
        ...IN_HEQING,
        formToken: await formToken(ip),
        ...extra,
      },
    });
  const caseOf = (ticketNo: string) =>
    ctx.database.db
      .selectFrom('cases')
      .innerJoin('case_tickets', 'case_tickets.case_id', 'cases.id')
      .select(['id', 'case_number'])
      .where('ticket_code', '=', ticketNo)
      .executeTakeFirstOrThrow();
  const caseIdOf = async (ticketNo: string) => Number((await caseOf(ticketNo)).id);
  /** The case number: what staff and Open311 name the case by, never the public ticket page. */
  const caseNumberOf = async (ticketNo: string) => (await caseOf(ticketNo)).case_number;
  const act = async (ticketNo: string, action: string, input: Record<string, unknown> = {}) => {
    const caseId = await caseIdOf(ticketNo);
    const current = await ctx.services.cases.getCase(systemActor(), caseId);
    await ctx.services.cases.actOnCase(systemActor(), {
      caseId,
      action: action as never,
      version: current.version,
      input: input as never,
    });
  };
  const close = async (ticketNo: string) => {
    const photo = (await pub('POST', '/photos', { payload: await samplePhoto({ colour: '#123' }) })).json()
      .id;
    await act(ticketNo, 'register');
    await act(ticketNo, 'dispatch', { leadDepartmentId: leadDepartment });
    await act(ticketNo, 'accept');
    await act(ticketNo, 'finish', { note: '已清运', evidence: [photo] });
    await act(ticketNo, 'verifyPass');
  };

  it('offers public, active minor classes only', async () => {
    const categories = (await pub('GET', '/categories')).json();
    expect(categories.some((c: { id: number }) => c.id === rubbishId)).toBe(true);
    expect(categories.some((c: { id: number }) => c.id === privateCategoryId)).toBe(false);
    expect(categories[0]).toEqual({
      id: expect.any(Number),
      code: expect.any(String),
      name: expect.any(String),
      group: expect.any(String),
      attributes: expect.any(Array),
    });
    const ip = newIp();
    expect((await report(ip, { categoryId: privateCategoryId })).statusCode).toBe(400);
  });

  it('asks for a category’s extra fields, refuses a missing required one in the resident’s language, never shows them', async () => {
    const dirt = (await ctx.services.categories.getCategoryTree())
      .flatMap((m) => m.children)
      .find((c) => c.kind === 'matter' && c.code === '06012');
    const field = {
      code: 'SURFACE',
      datatype: 'singlevaluelist' as const,
      variable: true,
      required: true,
      description: '路面类型',
      datatypeDescription: null,
      order: 1,
      values: [
        { key: 'road', name: '车行道' },
        { key: 'walk', name: '人行道' },
      ],
    };
    await ctx.services.categories.setAttributes(systemActor(), dirt?.id ?? 0, {
      version: dirt?.version ?? 0,
      attributes: [field],
    });
    const offered = (await pub('GET', '/categories')).json();
    expect(offered.find((c: { id: number }) => c.id === dirt?.id).attributes).toEqual([field]);
    const ip = newIp();
    const english = { 'accept-language': 'en-US' };
    const refused = await pub('POST', '/reports', {
      ip,
      headers: english,
      payload: {
        categoryId: dirt?.id,
        description: '人行道上满是泥浆',
        ...IN_HEQING,
        formToken: await formToken(ip),
      },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toBe('Invalid input: “路面类型” is required');
    expect(refused.json().error.details.issues).toEqual([
      { path: 'attributes.SURFACE', message: '“路面类型” is required' },
    ]);
    const sent = await report(ip, { categoryId: dirt?.id, attributes: { SURFACE: 'walk' } });
    expect(sent.statusCode).toBe(200);
    const { ticketNo } = sent.json();
    const detail = await ctx.services.cases.getCase(systemActor(), await caseIdOf(ticketNo));
    expect(detail.attributes.map((a) => a.shown)).toEqual([['人行道']]);
    // Extra fields may hold anything a resident typed: the public ticket shows none of them.
    expect((await pub('GET', `/tickets/${ticketNo}`)).body).not.toMatch(/walk|人行道|SURFACE/);
  });

  it('serves the grids for the map without the people responsible', async () => {
    const grids = (await pub('GET', '/grids')).json();
    expect(grids.features.length).toBe(4);
    for (const f of grids.features) expect(f.properties.gridWorkers).toEqual([]);
  });

  it('refuses a filled-in honeypot and forged, hurried or stale form tokens', async () => {
    const ip = newIp();
    const honeypot = await report(ip, { website: 'http://spam.example' });
    expect(honeypot.statusCode).toBe(400);
    expect(honeypot.json().error.message).toContain('提交未被接受');
    const forged = await report(ip, { formToken: `${Date.now()}.forged` });
    expect(forged.statusCode).toBe(400);
    const token = (await pub('GET', '/form-token', { ip })).json().token;
    const hurried = await pub('POST', '/reports', {
      ip,
      payload: { categoryId: rubbishId, description: '太快了太快了', ...IN_HEQING, formToken: token },
    });
    expect(hurried.statusCode).toBe(400);
    expect(hurried.json().error.message).toContain('提交过快');
    ctx.clock.advance(3 * 3_600_000);
    const stale = await pub('POST', '/reports', {
      ip,
      headers: { 'accept-language': 'en-US' },
      payload: { categoryId: rubbishId, description: 'too late to send', ...IN_HEQING, formToken: token },
    });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().error.message).toContain('open too long');
  });

  it('takes one report per form token, in every server process, and answers a resend of that report', async () => {
    const ip = newIp();
    const token = await formToken(ip);
    const send = (clientKey: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/public/reports',
        remoteAddress: ip,
        payload: {
          categoryId: rubbishId,
          description: '同一张表单提交两次',
          ...IN_HEQING,
          formToken: token,
          clientKey,
        },
      });
    const first = await send('form-once-1');
    expect(first.statusCode).toBe(200);
    // The same form sent again as another report: refused.
    const again = await send('form-once-2');
    expect(again.statusCode).toBe(400);
    expect(again.json().error.message).toContain('已经提交过');
    // Another server process on the same database (its own portal service, nothing shared in memory) too.
    const otherProcess = createPortalService({ ...ctx.services, db: ctx.database.db, clock: ctx.clock });
    const elsewhere = await otherProcess
      .report(
        { categoryId: rubbishId, description: '另一个进程', ...IN_HEQING, formToken: token, photos: [] },
        'zh-CN',
      )
      .catch((error: unknown) => error);
    expect(elsewhere).toMatchObject({ code: 'VALIDATION_FAILED' });
    // The same report resent (its answer was lost on the way): the ticket it made, not a second case.
    const resent = await send('form-once-1');
    expect(resent.statusCode).toBe(200);
    expect(resent.json().ticketNo).toBe(first.json().ticketNo);
  });

  it('answers malformed input with 4xx, never 5xx', async () => {
    const ip = newIp();
    const token = await formToken(ip);
    const base = { categoryId: rubbishId, description: '路灯坏了', ...IN_HEQING, formToken: token };
    const bodies: object[] = [
      { ...base, categoryId: 99_999_999_999 },
      { ...base, categoryId: 2_147_483_648 },
      { ...base, lon: 1e308 },
      { ...base, description: '路灯\u0000坏了' },
      { ...base, description: '路灯\ud800坏了' },
      { ...base, name: '\udfff' },
      { ...base, photos: ['f'.repeat(64)] },
      { ...base, formToken: '1.\u0000.x' },
      { ...base, formToken: `${'9'.repeat(15)}.a.b` },
      { ...base, clientKey: '\u0000' },
    ];
    const answers = [
      ...(await Promise.all(bodies.map((payload) => pub('POST', '/reports', { ip: newIp(), payload })))),
      await pub('GET', '/tickets/99999999999999999999'),
      await pub('GET', '/tickets/%00'),
      await pub('GET', '/tickets/%ED%A0%80'),
      await pub('GET', `/tickets/20261123000001/photos/${'a'.repeat(64)}`),
      await pub('POST', '/tickets/20261123000001/rating', {
        payload: { score: 5, ratingKey: 'x'.repeat(22) },
      }),
      await pub('POST', '/tickets/20261123000001/rating', { payload: { score: 1e300, ratingKey: '\u0000' } }),
    ];
    for (const answer of answers) {
      expect(answer.statusCode, answer.body).toBeGreaterThanOrEqual(400);
      expect(answer.statusCode, answer.body).toBeLessThan(500);
    } // Far more than any report: refused by its size, before it is parsed.
    const huge = await pub('POST', '/reports', {
      ip: newIp(),
      payload: { ...base, description: 'x'.repeat(300_000) },
    });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().error.message).toContain('too large');
  });

  it('takes an anonymous report with a photo and shows its ticket without anything personal', async () => {
    const ip = newIp();
    const photo = await pub('POST', '/photos', {
      ip,
      payload: await samplePhoto({ lon: 112.9451, lat: 22.8501, takenAt: '2026:11:23 09:00:00' }),
    });
    expect(photo.statusCode).toBe(200);
    const notAPhoto = await pub('POST', '/photos', { ip, payload: Buffer.from('not an image at all') });
    expect(notAPhoto.statusCode).toBe(400);
    const created = await report(ip, { photos: [photo.json().id] });
    expect(created.statusCode).toBe(200);
    const { ticketNo, ratingKey } = created.json();
    expect(ticketNo).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(ratingKey).toMatch(/^[\w-]{22}$/);
    const detail = await ctx.services.cases.getCase(systemActor(), await caseIdOf(ticketNo));
    expect(detail).toMatchObject({ source: 'resident', reporterName: null, reporterPhone: null });

    const ticket = (await pub('GET', `/tickets/${ticketNo}`)).json();
    expect(ticket).toMatchObject({
      ticketNo,
      stage: 'received',
      outcome: null,
      categoryName: '暴露垃圾',
      departmentName: null,
      descriptionHidden: false,
      photos: [{ id: photo.json().id, kind: 'report' }],
      hiddenPhotos: 0,
      rateable: false,
    });
    expect(ticket.timeline).toEqual([
      { id: 0, at: expect.any(String), stage: 'received', text: '已收到您的反映' },
    ]);
    // The public copy of the photo has no EXIF: not where, not when, not with what.
    const image = await pub('GET', `/tickets/${ticketNo}/photos/${photo.json().id}`);
    expect(image.statusCode).toBe(200);
    expect(image.rawPayload.includes(Buffer.from('Exif'))).toBe(false);
    const thumbnail = await pub('GET', `/tickets/${ticketNo}/photos/${photo.json().id}?variant=thumbnail`);
    expect(thumbnail.headers['content-type']).toBe('image/jpeg');
    expect((await pub('GET', '/tickets/20000101000001')).statusCode).toBe(404);
    // Typed loosely — lower case, in groups — the code still finds the ticket.
    const typed = (ticketNo.toLowerCase().match(/.{4}/g) ?? []).join('-');
    expect((await pub('GET', `/tickets/${typed}`)).json().ticketNo).toBe(ticketNo);
  });

  it('finds a ticket by its random code only: the sequential case number is not found', async () => {
    const ip = newIp();
    const { ticketNo } = (await report(ip)).json();
    const caseNumber = await caseNumberOf(ticketNo);
    expect(caseNumber).toMatch(/^\d{14}$/);
    expect((await pub('GET', `/tickets/${ticketNo}`, { ip })).statusCode).toBe(200);
    const byNumber = await pub('GET', `/tickets/${caseNumber}`, { ip });
    expect(byNumber.statusCode).toBe(404);
    expect(byNumber.body).not.toContain('暴露垃圾');
    // Its neighbours in the sequence are not found either.
    const next = String(BigInt(caseNumber) + 1n);
    expect((await pub('GET', `/tickets/${next}`, { ip })).statusCode).toBe(404);
    expect((await pub('GET', `/tickets/${caseNumber}/photos/${'a'.repeat(64)}`, { ip })).statusCode).toBe(
      404,
    );
    const otherCode = (await report(newIp())).json().ticketNo;
    expect(otherCode).not.toBe(ticketNo);
  });

  it('never shows an inspection or a hotline case on the ticket page or over Open311, by code or number', async () => {
    const inspector = await createUser(ctx, { role: 'inspector', regionCode: TERRITORY.town });
    const covert = await ctx.services.cases.reportCase(inspector.actor, {
      categoryId: rubbishId,
      description: '暗访发现：河清市场后巷垃圾堆放',
      ...IN_HEQING,
    });
    expect(covert.source).toBe('inspector');
    const hotline = await ctx.services.cases.reportCase(
      systemActor(),
      { categoryId: rubbishId, description: '12345 来电：河清路垃圾无人清运', ...IN_HEQING },
      'hotline',
    );
    const rows = await ctx.database.db
      .selectFrom('cases')
      .innerJoin('case_tickets', 'case_tickets.case_id', 'cases.id')
      .select(['case_number', 'ticket_code'])
      .where('id', 'in', [covert.id, hotline.id])
      .execute();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      for (const id of [row.case_number, row.ticket_code]) {
        expect((await pub('GET', `/tickets/${id}`)).statusCode, id).toBe(404);
      }
      for (const format of ['json', 'xml']) {
        const one = await app.inject({
          method: 'GET',
          url: `/open311/v2/requests/${row.case_number}.${format}`,
        });
        expect(one.statusCode, `${row.case_number}.${format}`).toBe(404);
      }
      const listed = await app.inject({
        method: 'GET',
        url: `/open311/v2/requests.json?service_request_id=${row.case_number}`,
      });
      expect(listed.json()).toEqual([]);
    }
    for (const url of ['/open311/v2/requests.json', '/open311/v2/servicerequestupdates.json']) {
      const body = (await app.inject({ method: 'GET', url })).body;
      for (const row of rows) expect(body, url).not.toContain(row.case_number);
      expect(body).not.toContain('暗访');
    }
  });

  it('masks a resident’s phone for the department handler, with a reveal that is audited', async () => {
    const ip = newIp();
    const { ticketNo } = (await report(ip, { name: NAME, phone: PHONE })).json();
    const caseId = await caseIdOf(ticketNo);
    await act(ticketNo, 'register');
    await act(ticketNo, 'dispatch', { leadDepartmentId: leadDepartment });

    const seen = (await staff('GET', `/cases/${caseId}`, handler)).json();
    expect(seen).toMatchObject({
      reporterPhone: '138****8000',
      reporterPhoneMasked: true,
      reporterPhoneRevealable: true,
    });
    expect(JSON.stringify(seen)).not.toContain(PHONE);
    expect((await staff('GET', `/cases?q=${caseId}`, handler)).body).not.toContain(PHONE);

    const wrongField = await staff('POST', `/cases/${caseId}/reveal`, handler, { field: 'reporterName' });
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.body).toContain('field');
    const revealed = await staff('POST', `/cases/${caseId}/reveal`, handler, { field: 'reporterPhone' });
    expect(revealed.statusCode).toBe(200);
    expect(revealed.json()).toEqual({ field: 'reporterPhone', value: PHONE });
    const entries = await ctx.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'case.reveal')
      .where('entity_id', '=', String(caseId))
      .execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ entity_type: 'case', details: { fields: ['reporterPhone'] } });
    // Administrators read it in the personal data log beside the registry's reveals.
    const admin = await httpLogin(
      app,
      (await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town })).username,
    );
    const log = await staff('GET', '/registry/personal-data-log?action=case.reveal', admin);
    expect(log.statusCode, log.body).toBe(200);
    expect(log.json()).toEqual([
      expect.objectContaining({
        action: 'case.reveal',
        entity: 'case',
        recordIds: [caseId],
        fields: ['reporterPhone'],
      }),
    ]);

    // A leader sees the mask only, and may not reveal it.
    const leader = await httpLogin(
      app,
      (await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town })).username,
    );
    expect((await staff('GET', `/cases/${caseId}`, leader)).json()).toMatchObject({
      reporterPhone: '138****8000',
      reporterPhoneRevealable: false,
    });
    expect(
      (await staff('POST', `/cases/${caseId}/reveal`, leader, { field: 'reporterPhone' })).statusCode,
    ).toBe(403);
  });

  it('keeps a named reporter private: staff see them, the ticket, Open311 JSON and XML never do', async () => {
    const ip = newIp();
    const created = await report(ip, { name: NAME, phone: PHONE });
    const { ticketNo } = created.json();
    const caseId = await caseIdOf(ticketNo);
    const caseNumber = await caseNumberOf(ticketNo);
    const detail = (await staff('GET', `/cases/${caseId}`, dispatcher)).json();
    expect(detail).toMatchObject({ reporterName: NAME, reporterPhone: PHONE, source: 'resident' });
    await act(ticketNo, 'register');
    await act(ticketNo, 'dispatch', { leadDepartmentId: leadDepartment, note: `请联系${NAME} ${PHONE}` });

    const answers = [
      await pub('GET', `/tickets/${ticketNo}`),
      await pub('GET', `/tickets/${ticketNo}`, { headers: { 'accept-language': 'en-US' } }),
      await app.inject({ method: 'GET', url: `/open311/v2/requests/${caseNumber}.json` }),
      await app.inject({ method: 'GET', url: `/open311/v2/requests/${caseNumber}.xml` }),
      await app.inject({ method: 'GET', url: '/open311/v2/requests.json' }),
      await app.inject({ method: 'GET', url: '/open311/v2/requests.xml' }),
      await app.inject({ method: 'GET', url: '/open311/v2/servicerequestupdates.json' }),
      await app.inject({ method: 'GET', url: '/open311/v2/servicerequestupdates.xml' }),
    ];
    for (const [index, answer] of answers.entries()) {
      expect(answer.statusCode).toBe(200);
      // The ticket page names the case by its code, Open311 by its number.
      expect(answer.body).toContain(index < 2 ? ticketNo : caseNumber);
      expect(answer.body).not.toContain(NAME);
      expect(answer.body).not.toContain(PHONE);
      expect(answer.body).not.toContain('小明');
    }
    const ticket = answers[0]?.json();
    expect(ticket.stage).toBe('dispatched');
    expect(ticket.departmentName).toBeTruthy();
    expect(ticket.timeline.map((e: { text: string }) => e.text)).toEqual([
      '已收到您的反映',
      '已受理立案，等待派遣',
      `已派遣至${ticket.departmentName}`,
    ]);
    expect(answers[1]?.json().timeline[2].text).toBe(`Dispatched to ${ticket.departmentName}`);
    const [request] = all(parseXml(answers[3]?.body ?? ''), 'request');
    expect(request && field(request, 'status_notes')).toBe('已派遣至责任部门');
  });

  it('lets the reporter rate once, only after closure, only with the key', async () => {
    const ip = newIp();
    const { ticketNo, ratingKey } = (await report(ip)).json();
    const rate = (body: object, headers: Record<string, string> = {}) =>
      pub('POST', `/tickets/${ticketNo}/rating`, { ip, payload: body, headers });
    const early = await rate({ score: 5, ratingKey });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.message).toContain('结案后才能评价');

    await close(ticketNo);
    const closed = (await pub('GET', `/tickets/${ticketNo}`)).json();
    expect(closed).toMatchObject({ stage: 'closed', outcome: 'fixed', rateable: true, satisfaction: null });
    expect(closed.timeline.map((e: { stage: string }) => e.stage)).toEqual([
      'received',
      'registered',
      'dispatched',
      'dispatched',
      'handled',
      'closed',
    ]);
    expect(closed.photos).toEqual([{ id: expect.any(String), kind: 'handled' }]);

    expect((await rate({ score: 5, ratingKey: 'x'.repeat(22) })).statusCode).toBe(400);
    expect((await rate({ score: 6, ratingKey })).statusCode).toBe(400);
    const rated = await rate({ score: 4, comment: '处理及时', ratingKey });
    expect(rated.statusCode).toBe(200);
    expect(rated.json()).toMatchObject({ satisfaction: 4, rateable: false });
    const again = await rate({ score: 1, ratingKey }, { 'accept-language': 'en-US' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('This case has been rated already');

    const detail = await ctx.services.cases.getCase(systemActor(), await caseIdOf(ticketNo));
    expect(detail.satisfaction).toBe(4);
    expect(detail.events.at(-1)).toMatchObject({ action: 'rate', note: '处理及时' });
    // The rating is internal: the public timeline still ends with the closure.
    expect(rated.json().timeline.at(-1).text).toBe('经现场核查，已办结');
  });

  it('hides a description or photo on staff request, audited with the reason, in the portal and Open311', async () => {
    const ip = newIp();
    const photo = (
      await pub('POST', '/photos', { ip, payload: await samplePhoto({ colour: '#a44' }) })
    ).json().id;
    const { ticketNo } = (await report(ip, { photos: [photo] })).json();
    const caseId = await caseIdOf(ticketNo);
    const moderate = (session: HttpSession, body: object) =>
      staff('POST', `/cases/${caseId}/moderation`, session, body);

    expect((await moderate(handler, { target: 'description', reason: '含他人隐私' })).statusCode).toBe(403);
    expect((await moderate(dispatcher, { target: 'a'.repeat(64), reason: '不是本案照片' })).statusCode).toBe(
      400,
    );
    const hidden = await moderate(dispatcher, { target: 'description', reason: '含他人住址' });
    expect(hidden.statusCode).toBe(200);
    expect((await moderate(dispatcher, { target: photo, reason: '照片拍到人脸' })).json().moderation).toEqual(
      [
        {
          target: 'description',
          reason: '含他人住址',
          hiddenByName: expect.any(String),
          hiddenAt: expect.any(String),
        },
        {
          target: photo,
          reason: '照片拍到人脸',
          hiddenByName: expect.any(String),
          hiddenAt: expect.any(String),
        },
      ],
    );

    const ticket = (await pub('GET', `/tickets/${ticketNo}`)).json();
    expect(ticket).toMatchObject({
      description: '内容已隐藏',
      descriptionHidden: true,
      photos: [],
      hiddenPhotos: 1,
    });
    expect(JSON.stringify(ticket)).not.toContain('暴露垃圾，气味很大');
    expect((await pub('GET', `/tickets/${ticketNo}/photos/${photo}`)).statusCode).toBe(404);
    const [request] = (
      await app.inject({ method: 'GET', url: `/open311/v2/requests/${await caseNumberOf(ticketNo)}.json` })
    ).json();
    expect(request.description).toBe('内容已隐藏');
    // Staff still see the description.
    expect((await staff('GET', `/cases/${caseId}`, dispatcher)).json().description).toContain('气味很大');

    const entries = await ctx.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'case.moderate')
      .where('entity_id', '=', String(caseId))
      .execute();
    expect(entries.map((e) => (e.details as { reason: string }).reason)).toEqual([
      '含他人住址',
      '照片拍到人脸',
    ]);

    // Shown again, on second thoughts, with that reason audited too.
    const restored = await staff('POST', `/cases/${caseId}/moderation/restore`, dispatcher, {
      target: 'description',
      reason: '住址系公共场所，可公开',
    });
    expect(restored.json().moderation.map((m: { target: string }) => m.target)).toEqual([photo]);
    expect((await pub('GET', `/tickets/${ticketNo}`)).json()).toMatchObject({
      description: expect.stringContaining('气味很大'),
      descriptionHidden: false,
      hiddenPhotos: 1,
    });
    const restoreEntries = await ctx.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'case.moderate.restore')
      .where('entity_id', '=', String(caseId))
      .execute();
    expect(restoreEntries.map((e) => (e.details as { reason: string }).reason)).toEqual([
      '住址系公共场所，可公开',
    ]);
  });

  it('limits reports per IP address with a 429 in the reader’s language', async () => {
    const ip = newIp();
    for (let i = 0; i < REPORTS_PER_HOUR; i++) expect((await report(ip)).statusCode).toBe(200);
    const limited = await report(ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.json().error).toMatchObject({
      code: 'RATE_LIMITED',
      message: '请求过于频繁，请稍后再试。',
    });
    const english = await pub('POST', '/reports', {
      ip,
      headers: { 'accept-language': 'en-US' },
      payload: {},
    });
    expect(english.statusCode).toBe(429);
    expect(english.json().error.message).toBe('Too many requests. Try again later.');
    expect((await report(newIp())).statusCode).toBe(200);
  });

  it('ignores a staff session on public routes and needs no CSRF token', async () => {
    const ip = newIp();
    const token = await formToken(ip);
    const answer = await app.inject({
      method: 'POST',
      url: '/api/v1/public/reports',
      remoteAddress: ip,
      headers: { cookie: dispatcher.cookie },
      payload: { categoryId: rubbishId, description: '路灯不亮已经三天', ...IN_HEQING, formToken: token },
    });
    expect(answer.statusCode).toBe(200);
    const detail = await ctx.services.cases.getCase(systemActor(), await caseIdOf(answer.json().ticketNo));
    expect(detail).toMatchObject({ reporterName: null, source: 'resident' });
    const crossSite = await app.inject({
      method: 'POST',
      url: '/api/v1/public/reports',
      remoteAddress: ip,
      headers: { origin: 'https://evil.example' },
      payload: {},
    });
    expect(crossSite.statusCode).toBe(403);
  });
});
