import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { all, field, parseXml, type XmlElement } from '../../testing/xml.ts';
import { systemActor } from '../people/actor.ts';

const IN_HEQING = { lat: '22.85', long: '112.945' };
const ANONYMOUS_DESCRIPTION = '河清路口有一堆暴露垃圾';
const NAMED = { first_name: '小明', last_name: '王', phone: '13800138000', email: 'wang@example.com' };

/** Every endpoint of the Open311 server, in both formats, read as a client in another language would. */
describe('Open311 GeoReport v2 server', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: HttpSession;
  let apiKey = '';
  let keyId = 0;
  let rubbishId = 0;
  let leadDepartment = 0;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    const system = systemActor();
    leadDepartment = (await seedCaseReference(ctx))['JJ-HW'] ?? 0;
    const tree = await ctx.services.categories.getCategoryTree();
    const rubbish = tree.flatMap((m) => m.children).find((c) => c.code === '06010');
    rubbishId = rubbish?.id ?? 0;
    await ctx.services.categories.setAttributes(system, rubbishId, {
      version: rubbish?.version ?? 0,
      attributes: [
        {
          code: 'VOLUME',
          datatype: 'number',
          variable: true,
          required: true,
          description: '大约几立方米',
          datatypeDescription: '数字',
          order: 1,
          values: [],
        },
        {
          code: 'KIND',
          datatype: 'singlevaluelist',
          variable: true,
          required: true,
          description: '垃圾种类',
          datatypeDescription: null,
          order: 2,
          values: [
            { key: 'household', name: '生活垃圾' },
            { key: 'building', name: '建筑垃圾' },
          ],
        },
        {
          code: 'SMELL',
          datatype: 'multivaluelist',
          variable: true,
          required: false,
          description: '气味',
          datatypeDescription: null,
          order: 3,
          values: [
            { key: 'rotten', name: '腐臭' },
            { key: 'chemical', name: '化学品' },
          ],
        },
        {
          code: 'SEEN',
          datatype: 'datetime',
          variable: true,
          required: false,
          description: '发现时间',
          datatypeDescription: null,
          order: 4,
          values: [],
        },
        {
          code: 'PLATE',
          datatype: 'string',
          variable: true,
          required: false,
          description: '车牌',
          datatypeDescription: null,
          order: 5,
          values: [],
        },
        {
          code: 'NOTE',
          datatype: 'text',
          variable: false,
          required: false,
          description: '请勿在描述中填写他人个人信息',
          datatypeDescription: null,
          order: 6,
          values: [],
        },
      ],
    });
    app = await createApp(ctx);
    const adminUser = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    admin = await httpLogin(app, adminUser.username);
    const created = await api('POST', '/open311/keys', { name: '市民随手拍', rateLimitPerMinute: 30 });
    expect(created.statusCode).toBe(200);
    apiKey = created.json().key;
    keyId = created.json().id;
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const api = (method: 'GET' | 'POST', url: string, payload?: object, session = admin) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      ...(payload ? { payload } : {}),
    });
  const get = (path: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url: `/open311/v2/${path}`, headers });
  const post = (path: string, form: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    return app.inject({
      method: 'POST',
      url: `/open311/v2/${path}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      payload: body.toString(),
    });
  };
  const xml = (response: { body: string; headers: Record<string, unknown> }): XmlElement => {
    expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
    return parseXml(response.body);
  };
  const json = (response: { body: string; headers: Record<string, unknown> }) => {
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    return JSON.parse(response.body);
  };
  const validReport = (extra: Record<string, string | string[]> = {}) => ({
    api_key: apiKey,
    service_code: '06010',
    ...IN_HEQING,
    description: ANONYMOUS_DESCRIPTION,
    'attribute[VOLUME]': '2.5',
    'attribute[KIND]': 'household',
    ...extra,
  });
  const expectErrors = (
    response: { statusCode: number; body: string; headers: Record<string, unknown> },
    status: number,
    format: 'xml' | 'json' = 'xml',
  ) => {
    expect(response.statusCode).toBe(status);
    if (format === 'json') {
      const body = json(response);
      expect(Array.isArray(body)).toBe(true);
      expect(body[0]).toMatchObject({ code: status, description: expect.any(String) });
      return body[0].description as string;
    }
    const root = xml(response);
    expect(root.name).toBe('errors');
    const [error] = all(root, 'error');
    expect(error && field(error, 'code')).toBe(String(status));
    return (error && field(error, 'description')) ?? '';
  };

  it('answers discovery in both formats, naming the v2 endpoint and its formats', async () => {
    const asXml = await app.inject({ method: 'GET', url: '/open311/discovery.xml' });
    const root = xml(asXml);
    expect(root.declaration).toEqual({ version: '1.0', encoding: 'UTF-8' });
    expect(root.name).toBe('discovery');
    for (const name of ['changeset', 'contact', 'key_service']) expect(field(root, name)).toBeTruthy();
    const [endpoints] = all(root, 'endpoints');
    const [endpoint] = endpoints ? all(endpoints, 'endpoint') : [];
    expect(endpoint && field(endpoint, 'specification')).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(endpoint && field(endpoint, 'url')).toMatch(/\/open311\/v2$/);
    const formats = endpoint
      ? all(all(endpoint, 'formats')[0] as XmlElement, 'format').map((f) => f.text)
      : [];
    expect(formats).toEqual(['text/xml', 'application/json']);
    const asJson = json(await app.inject({ method: 'GET', url: '/open311/v2/discovery.json' }));
    expect(asJson.endpoints[0]).toMatchObject({
      type: 'production',
      formats: ['text/xml', 'application/json'],
    });
  });

  it('lists public minor classes as services: group = major class, metadata when there are extra fields', async () => {
    const root = xml(await get('services.xml'));
    expect(root.name).toBe('services');
    const services = all(root, 'service');
    const rubbish = services.find((s) => field(s, 'service_code') === '06010');
    expect(rubbish && field(rubbish, 'service_name')).toBe('暴露垃圾');
    expect(rubbish && field(rubbish, 'group')).toBe('市容环境类');
    expect(rubbish && field(rubbish, 'metadata')).toBe('true');
    expect(rubbish && field(rubbish, 'type')).toBe('realtime');
    const other = services.find((s) => field(s, 'service_code') === '06011');
    expect(other && field(other, 'metadata')).toBe('false');
    const list = json(await get('services.json'));
    expect(Array.isArray(list)).toBe(true);
    expect(list).toHaveLength(services.length);
    expect(list.find((s: { service_code: string }) => s.service_code === '06010')).toMatchObject({
      service_name: '暴露垃圾',
      metadata: true,
      type: 'realtime',
      group: '市容环境类',
    });
  });

  it('leaves categories that are not public out of the service list', async () => {
    const tree = await ctx.services.categories.getCategoryTree();
    const spoil = tree.flatMap((m) => m.children).find((c) => c.code === '06012');
    if (!spoil) throw new Error('no 06012 in the seed categories');
    const hidden = await ctx.services.categories.updateCategory(systemActor(), spoil.id, {
      version: spoil.version,
      public: false,
    });
    const codes = json(await get('services.json')).map((s: { service_code: string }) => s.service_code);
    expect(codes).not.toContain(hidden.code);
    expectErrors(await get(`services/${hidden.code}.xml`), 404);
  });

  it('gives the service definition with all six datatypes, their values, required flags and order', async () => {
    const root = xml(await get('services/06010.xml'));
    expect(root.name).toBe('service_definition');
    expect(field(root, 'service_code')).toBe('06010');
    const attributes = all(all(root, 'attributes')[0] as XmlElement, 'attribute');
    expect(attributes.map((a) => field(a, 'datatype'))).toEqual([
      'number',
      'singlevaluelist',
      'multivaluelist',
      'datetime',
      'string',
      'text',
    ]);
    expect(attributes.map((a) => field(a, 'order'))).toEqual(['1', '2', '3', '4', '5', '6']);
    const kind = attributes[1] as XmlElement;
    expect(field(kind, 'required')).toBe('true');
    expect(field(kind, 'variable')).toBe('true');
    expect(field(kind, 'datatype_description')).toBe('');
    const values = all(all(kind, 'values')[0] as XmlElement, 'value');
    expect(values.map((v) => [field(v, 'key'), field(v, 'name')])).toEqual([
      ['household', '生活垃圾'],
      ['building', '建筑垃圾'],
    ]);
    expect(field(attributes[5] as XmlElement, 'variable')).toBe('false');
    const definition = json(await get('services/06010.json'));
    expect(Array.isArray(definition)).toBe(false);
    expect(definition.attributes[0]).toMatchObject({
      code: 'VOLUME',
      datatype: 'number',
      required: true,
      order: 1,
    });
    expect(definition.attributes[1].values).toEqual([
      { key: 'household', name: '生活垃圾' },
      { key: 'building', name: '建筑垃圾' },
    ]);
    expectErrors(await get('services/99999.json'), 404, 'json');
  });

  it('creates a request from a form with attributes and multi-value attributes, answering its id (XML)', async () => {
    const response = await post(
      'requests.xml',
      validReport({
        'attribute[SMELL][]': ['rotten', 'chemical'],
        'attribute[SEEN]': '2026-11-22T08:00:00+08:00',
        media_url: 'https://example.com/p/1.jpg',
        account_id: 'acc-7',
      }),
    );
    expect(response.statusCode).toBe(200);
    const root = xml(response);
    expect(root.name).toBe('service_requests');
    const [request] = all(root, 'request');
    const id = request && field(request, 'service_request_id');
    expect(id).toMatch(/^\d+$/);
    expect(request && field(request, 'token')).toBeUndefined();
    expect(request && field(request, 'account_id')).toBe('acc-7');
    expect(request && field(request, 'service_notice')).toBeTruthy();
    const fetched = xml(await get(`requests/${id}.xml`));
    const [one] = all(fetched, 'request');
    expect(one && field(one, 'status')).toBe('open');
    expect(one && field(one, 'service_code')).toBe('06010');
    expect(one && field(one, 'media_url')).toBe('https://example.com/p/1.jpg');
    expect(one && field(one, 'lat')).toBe('22.85');
    expect(one && field(one, 'long')).toBe('112.945');
    expect(one && field(one, 'requested_datetime')).toBe('2026-11-23T02:00:00Z');
    // The report is audited with its key, and keeps the attributes in its history.
    const detail = await ctx.services.cases.getCase(systemActor(), Number((await caseIdOf(id ?? '')) ?? 0));
    expect(detail.source).toBe('api');
    expect(detail.events[0]?.data).toMatchObject({
      open311KeyId: keyId,
      attributes: {
        VOLUME: '2.5',
        KIND: 'household',
        SMELL: ['rotten', 'chemical'],
        SEEN: '2026-11-22T08:00:00+08:00',
      },
    });
  });

  const caseIdOf = async (caseNumber: string) =>
    (
      await ctx.database.db
        .selectFrom('cases')
        .select('id')
        .where('case_number', '=', caseNumber)
        .executeTakeFirst()
    )?.id;

  it('answers a POST in JSON as a top-level array', async () => {
    const response = await post('requests.json', validReport());
    expect(response.statusCode).toBe(200);
    const body = json(response);
    expect(Array.isArray(body)).toBe(true);
    expect(body[0].service_request_id).toMatch(/^\d+$/);
    expect(body[0]).not.toHaveProperty('token');
  });

  it('refuses writes without a valid api_key with 403, and a revoked key at once', async () => {
    const { api_key: _unused, ...withoutKey } = validReport();
    expect(await expectErrors(await post('requests.xml', withoutKey), 403)).toMatch(/api_key/);
    expectErrors(await post('requests.json', { ...validReport(), api_key: 'g311_nonsense' }), 403, 'json');
    const spare = (await api('POST', '/open311/keys', { name: '临时' })).json();
    expect((await post('requests.json', { ...validReport(), api_key: spare.key })).statusCode).toBe(200);
    const revoked = await api('POST', `/open311/keys/${spare.id}/revoke`);
    expect(revoked.json().revokedAt).toBeTruthy();
    expectErrors(await post('requests.json', { ...validReport(), api_key: spare.key }), 403, 'json');
    const keys = (await api('GET', '/open311/keys')).json();
    expect(keys.map((k: { prefix: string }) => k.prefix)).toContain(spare.prefix);
    expect(JSON.stringify(keys)).not.toContain(spare.key);
  });

  it('answers the spec errors for bad reports: 400 for missing or invalid arguments, 404 for unknown codes', async () => {
    const { service_code: _code, ...noService } = validReport();
    expect(await expectErrors(await post('requests.xml', noService), 400)).toMatch(/service_code/);
    expectErrors(await post('requests.xml', { ...validReport(), service_code: '99999' }), 404);
    const { lat: _lat, long: _long, ...noPlace } = validReport();
    expect(await expectErrors(await post('requests.xml', noPlace), 400)).toMatch(/lat & long|address/);
    expectErrors(await post('requests.xml', { ...validReport(), long: '' }), 400);
    const { 'attribute[KIND]': _kind, ...noKind } = validReport();
    expect(await expectErrors(await post('requests.xml', noKind), 400)).toMatch(/KIND/);
    expectErrors(await post('requests.xml', { ...validReport(), 'attribute[KIND]': 'nuclear' }), 400);
    expectErrors(await post('requests.xml', { ...validReport(), 'attribute[VOLUME]': 'lots' }), 400);
    expectErrors(await post('requests.xml', { ...validReport(), 'attribute[SEEN]': 'yesterday' }), 400);
    expectErrors(await post('requests.xml', { ...validReport(), 'attribute[PLATE]': 'A\nB' }), 400);
    expectErrors(
      await post('requests.xml', { ...validReport(), 'attribute[SMELL][]': ['rotten', 'roses'] }),
      400,
    );
    expectErrors(await post('requests.xml', { ...validReport(), media_url: 'javascript:alert(1)' }), 400);
    // Outside every grid.
    expectErrors(await post('requests.json', { ...validReport(), lat: '40.0', long: '116.4' }), 400, 'json');
    expectErrors(await post('requests.xml', { ...validReport(), jurisdiction_id: '999999' }), 404);
    expectErrors(await app.inject({ method: 'GET', url: '/open311/v2/services.html' }), 404);
    expectErrors(await app.inject({ method: 'GET', url: '/open311/v2/nothing.json' }), 404, 'json');
  });

  it('treats empty arguments as missing', async () => {
    const response = await post(
      'requests.json',
      validReport({ email: '', phone: '', 'attribute[PLATE]': '', jurisdiction_id: '' }),
    );
    expect(response.statusCode).toBe(200);
    expect((await get('services.json?jurisdiction_id=')).statusCode).toBe(200);
  });

  it('queues a report placed by address_string only, and resolves its token once a dispatcher places it', async () => {
    const { lat: _lat, long: _long, ...rest } = validReport();
    const response = await post('requests.xml', { ...rest, address_string: '九江镇河清大道 3 号对面' });
    expect(response.statusCode).toBe(200);
    const [request] = all(xml(response), 'request');
    const token = (request && field(request, 'token')) ?? '';
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(request && field(request, 'service_request_id')).toBeUndefined();
    const waiting = xml(await get(`tokens/${token}.xml`));
    const [entry] = all(waiting, 'request');
    expect(entry && field(entry, 'token')).toBe(token);
    expect(entry && field(entry, 'service_request_id')).toBe('');
    const queue = (await api('GET', '/open311/pending')).json();
    expect(queue.map((p: { token: string }) => p.token)).toContain(token);
    const placed = await api('POST', `/open311/pending/${token}/place`, { lon: 112.945, lat: 22.85 });
    expect(placed.statusCode).toBe(200);
    const resolved = json(await get(`tokens/${token}.json`));
    expect(resolved).toEqual([{ service_request_id: placed.json().caseNumber, token }]);
    expectErrors(await get('tokens/0123456789abcdef0123456789abcdef.json'), 404, 'json');
  });

  it('lists requests: the id list overrides the rest; service_code, status and dates filter; 90 days at most', async () => {
    const first = json(await post('requests.json', validReport()))[0].service_request_id;
    const second = json(
      await post(
        'requests.json',
        validReport({ service_code: '06011', 'attribute[VOLUME]': '', 'attribute[KIND]': '' }),
      ),
    )[0].service_request_id;
    const byIds = json(
      await get(`requests.json?service_request_id=${first},${second}&status=closed&service_code=01001`),
    );
    expect(byIds.map((r: { service_request_id: string }) => r.service_request_id).sort()).toEqual(
      [first, second].sort(),
    );
    const rubbishOnly = json(await get('requests.json?service_code=06010'));
    expect(rubbishOnly.length).toBeGreaterThan(0);
    expect(rubbishOnly.every((r: { service_code: string }) => r.service_code === '06010')).toBe(true);
    expect(json(await get('requests.json?status=closed'))).toEqual([]);
    const open = xml(await get('requests.xml?status=open'));
    expect(all(open, 'request').length).toBeGreaterThanOrEqual(2);
    expect(
      json(await get('requests.json?start_date=2026-11-24T00:00:00Z&end_date=2026-11-25T00:00:00Z')),
    ).toEqual([]);
    expect(
      json(
        await get(
          'requests.json?start_date=2026-11-23T00:00:00%2B08:00&end_date=2026-11-24T00:00:00%2B08:00',
        ),
      ).length,
    ).toBeGreaterThan(0);
    expectErrors(
      await get('requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z'),
      400,
      'json',
    );
    expectErrors(await get('requests.xml?start_date=last-week'), 400);
    expectErrors(await get('requests.xml?status=pending'), 400);
    expectErrors(await get('requests/19000101999999.xml'), 404);
    // Nothing from more than 90 days back by default.
    ctx.clock.advance(91 * 24 * 3_600_000);
    expect(json(await get('requests.json'))).toEqual([]);
    ctx.clock.advance(-91 * 24 * 3_600_000);
  });

  it('maps the fields: status notes, agency = lead department, expected = the deadline, address', async () => {
    const id = json(await post('requests.json', validReport({ address_string: '河清大道 3 号' })))[0]
      .service_request_id;
    const caseId = Number(await caseIdOf(id));
    const act = async (action: string, input: Record<string, unknown> = {}) => {
      const current = await ctx.services.cases.getCase(systemActor(), caseId);
      await ctx.services.cases.actOnCase(systemActor(), {
        caseId,
        action: action as never,
        version: current.version,
        input: input as never,
      });
    };
    await act('register');
    await act('dispatch', { leadDepartmentId: leadDepartment });
    const detail = await ctx.services.cases.getCase(systemActor(), caseId);
    const [request] = json(await get(`requests/${id}.json`));
    expect(request).toMatchObject({
      service_request_id: id,
      status: 'open',
      status_notes: '已派遣至责任部门',
      service_name: '暴露垃圾',
      service_code: '06010',
      description: ANONYMOUS_DESCRIPTION,
      agency_responsible: detail.leadDepartmentName,
      address: '河清大道 3 号',
      address_id: null,
      zipcode: null,
      lat: 22.85,
      long: 112.945,
    });
    expect(request.expected_datetime).toBe(detail.stepDueAt?.replace(/\.\d{3}Z$/, 'Z'));
    expect(Object.keys(request)).toEqual([
      'service_request_id',
      'status',
      'status_notes',
      'service_name',
      'service_code',
      'description',
      'agency_responsible',
      'service_notice',
      'requested_datetime',
      'updated_datetime',
      'expected_datetime',
      'address',
      'address_id',
      'zipcode',
      'lat',
      'long',
      'media_url',
    ]);
    const english = json(await get(`requests/${id}.json`, { 'accept-language': 'en-US' }));
    expect(english[0].status_notes).toBe('Dispatched to the responsible department');
    await act('accept');
    await act('return', { reason: '不属于本部门' });
    const rejectedId = json(await post('requests.json', validReport()))[0].service_request_id;
    const rejectedCase = Number(await caseIdOf(rejectedId));
    await ctx.services.cases.actOnCase(systemActor(), {
      caseId: rejectedCase,
      action: 'reject',
      version: 1,
      input: { reason: 'notOurs' },
    });
    const closed = xml(await get(`requests/${rejectedId}.xml`));
    const [closedRequest] = all(closed, 'request');
    expect(closedRequest && field(closedRequest, 'status')).toBe('closed');
    expect(closedRequest && field(closedRequest, 'expected_datetime')).toBe('');

    // The updates of these steps, oldest first, with extended statuses.
    const updates = json(await get('servicerequestupdates.json'));
    const ofCase = updates.filter((u: { service_request_id: string }) => u.service_request_id === id);
    expect(ofCase.map((u: { status: string }) => u.status)).toEqual([
      'investigating',
      'action_scheduled',
      'in_progress',
      'internal_referral',
    ]);
    expect(Object.keys(ofCase[0])).toEqual([
      'update_id',
      'service_request_id',
      'status',
      'updated_datetime',
      'description',
      'media_url',
    ]);
    expect(
      updates.find((u: { service_request_id: string }) => u.service_request_id === rejectedId)?.status,
    ).toBe('not_councils_responsibility');
    const asXml = xml(
      await get('servicerequestupdates.xml?start_date=2026-11-01T00:00:00Z&end_date=2026-11-30T00:00:00Z'),
    );
    expect(asXml.name).toBe('service_request_updates');
    const first = all(asXml, 'request_update')[0] as XmlElement;
    expect(field(first, 'update_id')).toMatch(/^\d+$/);
    expect(field(first, 'media_url')).toBe('');
    expect(field(first, 'updated_datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('takes updates from a client into the timeline, once per update_id, audited with the key', async () => {
    const id = json(await post('requests.json', validReport()))[0].service_request_id;
    const update = {
      api_key: apiKey,
      service_request_id: id,
      update_id: 'fms-501',
      status: 'REOPEN',
      updated_datetime: '2026-11-23T10:00:00+08:00',
      description: '问题又出现了',
      media_url: 'https://example.com/u/501.jpg',
    };
    const response = await post('servicerequestupdates.xml', update);
    expect(response.statusCode).toBe(200);
    const root = xml(response);
    expect(root.name).toBe('service_request_updates');
    const updateId = field(all(root, 'request_update')[0] as XmlElement, 'update_id');
    expect(updateId).toMatch(/^\d+$/);
    const again = json(await post('servicerequestupdates.json', update));
    expect(again[0].update_id).toBe(updateId);
    const detail = await ctx.services.cases.getCase(systemActor(), Number(await caseIdOf(id)));
    const entries = detail.events.filter((e) => e.action === 'clientUpdate');
    expect(entries).toHaveLength(1);
    expect(entries[0]?.data).toMatchObject({
      open311KeyId: keyId,
      clientUpdateId: 'fms-501',
      status: 'reopen',
    });
    expect(detail.state).toBe('reported');
    const audit = await ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name', 'details'])
      .where('entity_type', '=', 'case')
      .where('entity_id', '=', String(detail.id))
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['case.report', 'case.clientUpdate']);
    expect(
      audit.every(
        (a) =>
          a.actor_name.includes('市民随手拍') &&
          (a.details as { open311KeyId?: number }).open311KeyId === keyId,
      ),
    ).toBe(true);
    // A client's own updates are not served back to it as the authority's updates.
    const served = json(await get('servicerequestupdates.json'));
    expect(served.some((u: { update_id: string }) => u.update_id === updateId)).toBe(false);

    // FixMyStreet names its own id of the update update_id_ext; it counts the same way.
    const { update_id: _, ...withoutId } = update;
    const fms = { ...withoutId, update_id_ext: '502', service_request_id_ext: '7' };
    const fromFms = xml(await post('servicerequestupdates.xml', fms));
    const fmsUpdateId = field(all(fromFms, 'request_update')[0] as XmlElement, 'update_id');
    expect(fmsUpdateId).not.toBe(updateId);
    expect(json(await post('servicerequestupdates.json', fms))[0].update_id).toBe(fmsUpdateId);
    const missing = await post('servicerequestupdates.json', withoutId);
    expectErrors(missing, 400, 'json');
    expect(missing.body).toContain('update_id');
    for (const [name, value] of [
      ['status', 'MAYBE'],
      ['service_request_id', '19000101999999'],
      ['updated_datetime', 'now'],
      ['description', ''],
    ] as const) {
      const bad = await post('servicerequestupdates.xml', {
        ...update,
        update_id: `fms-${name}`,
        [name]: value,
      });
      expectErrors(bad, name === 'service_request_id' ? 404 : 400);
    }
    expectErrors(await post('servicerequestupdates.json', { ...update, api_key: 'nope' }), 403, 'json');
  });

  it('never shows the name, phone or email of a reporter in any public answer', async () => {
    const named = json(await post('requests.json', validReport(NAMED)))[0].service_request_id;
    const anonymous = json(await post('requests.json', validReport()))[0].service_request_id;
    const caseId = Number(await caseIdOf(named));
    const detail = await ctx.services.cases.getCase(systemActor(), caseId);
    expect(detail.reporterName).toBe('王 小明');
    expect(detail.reporterPhone).toBe('13800138000');
    const anonymousDetail = await ctx.services.cases.getCase(
      systemActor(),
      Number(await caseIdOf(anonymous)),
    );
    expect(anonymousDetail.reporterName).toBeNull();
    expect(anonymousDetail.reporterPhone).toBeNull();
    for (const path of [
      `requests/${named}.xml`,
      `requests/${named}.json`,
      'requests.xml',
      'requests.json',
      `requests.json?service_request_id=${named},${anonymous}`,
      'servicerequestupdates.xml',
      'servicerequestupdates.json',
    ]) {
      const body = (await get(path)).body;
      for (const secret of ['小明', '13800138000', 'wang@example.com', '市民随手拍'])
        expect(body).not.toContain(secret);
    }
  });

  it('limits writes per key and answers 429 in the spec error form', async () => {
    const limited = (await api('POST', '/open311/keys', { name: '限流测试', rateLimitPerMinute: 2 })).json();
    const form = { ...validReport(), api_key: limited.key };
    expect((await post('requests.json', form)).statusCode).toBe(200);
    expect((await post('requests.json', form)).statusCode).toBe(200);
    const refused = await post('requests.json', form);
    expectErrors(refused, 429, 'json');
    expect(refused.headers['retry-after']).toBeDefined();
    // Another key is not held back by this one.
    expect((await post('requests.json', validReport())).statusCode).toBe(200);
  });

  it('lets only administrators manage keys', async () => {
    const dispatcherUser = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town });
    const dispatcher = await httpLogin(app, dispatcherUser.username);
    expect((await api('GET', '/open311/keys', undefined, dispatcher)).statusCode).toBe(403);
    expect((await api('POST', '/open311/keys', { name: 'x' }, dispatcher)).statusCode).toBe(403);
  });
});

describe('Open311 jurisdictions: several on one server', () => {
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    ctx = await createTestContext({
      config: { open311Jurisdictions: [TERRITORY.town, TERRITORY.otherTown] },
    });
    await seedTerritory(ctx);
    app = await createApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('requires jurisdiction_id (400), refuses an unknown one (404), and accepts each region code served', async () => {
    const missing = await app.inject({ method: 'GET', url: '/open311/v2/services.xml' });
    expect(missing.statusCode).toBe(400);
    expect(field(all(parseXml(missing.body), 'error')[0] as XmlElement, 'description')).toMatch(
      /jurisdiction_id/,
    );
    const unknown = await app.inject({
      method: 'GET',
      url: `/open311/v2/requests.json?jurisdiction_id=${TERRITORY.heqing}`,
    });
    expect(unknown.statusCode).toBe(404);
    for (const code of [TERRITORY.town, TERRITORY.otherTown]) {
      const ok = await app.inject({
        method: 'GET',
        url: `/open311/v2/services.json?jurisdiction_id=${code}`,
      });
      expect(ok.statusCode).toBe(200);
    }
  });
});
