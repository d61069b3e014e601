/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm expressions name questions as ${name} */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../../../shared/registry-validation.ts';
import {
  createApp,
  createUser,
  type HttpSession,
  httpLogin,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { insertPublishedForm } from '../../testing/household-visit-fixtures.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';

// 09:00 in Shanghai on Monday 23 November 2026: the early shift.
const NOW = new Date('2026-11-23T01:00:00Z');
const iso = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
const first17 = '44060519900101123';
const ID = `${first17}${idNumberCheckChar(first17)}`;
const BAD_ID = `${first17}${idNumberCheckChar(first17) === '0' ? '1' : '0'}`;
/** In 河清 grid 1 (lon 112.94–112.95, lat 22.84–22.86). */
const HEQING = { lon: 112.945, lat: 22.85 };

describe('HTTP: checkpoints', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: HttpSession;
  let worker: TestUser;
  let workerSession: HttpSession;
  let leader: HttpSession;
  let otherWorker: HttpSession;
  let otherUser: TestUser;
  let checkpointId = 0;
  let version = 0;

  const call = async (
    session: HttpSession,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    url: string,
    payload?: object,
  ) => {
    const response = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'accept-language': 'en-US' },
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, body: response.body, json: () => response.json() };
  };
  const entry = (key: string, extra: object = {}) => ({
    clientKey: `entry-key-${key}`,
    at: iso(10),
    direction: 'in',
    subject: 'person',
    idNumber: ID,
    temperature: 36.5,
    outcome: 'passed',
    ...extra,
  });

  beforeAll(async () => {
    ctx = await createTestContext({ now: NOW });
    await seedTerritory(ctx);
    app = await createApp(ctx);
    admin = await httpLogin(
      app,
      (await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.heqing })).username,
    );
    worker = await createUser(ctx, {
      role: 'gridWorker',
      regionCode: TERRITORY.heqing,
      displayName: '值守甲',
    });
    workerSession = await httpLogin(app, worker.username);
    leader = await httpLogin(
      app,
      (await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town })).username,
    );
    otherUser = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.yingming });
    otherWorker = await httpLogin(app, otherUser.username);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('places a checkpoint in the grid its point lies in, and refuses a point outside every grid', async () => {
    const created = await call(admin, 'POST', '/checkpoints', {
      name: '河清北卡点',
      kind: 'road',
      ...HEQING,
    });
    expect(created.status).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ gridCode: TERRITORY.heqingGrids[0], villageName: '河清社区居委会' });
    checkpointId = body.id;
    version = body.version;

    const outside = await call(admin, 'POST', '/checkpoints', {
      name: '海上',
      kind: 'road',
      lon: 113.5,
      lat: 22,
    });
    expect(outside.status).toBe(400);
    expect(outside.body).toContain('lon');
    const wrongRole = await call(workerSession, 'POST', '/checkpoints', {
      name: 'x',
      kind: 'road',
      ...HEQING,
    });
    expect(wrongRole.status).toBe(403);
  });

  it('keeps a roster of the village’s users and outside staff, and says who is on duty now', async () => {
    const refused = await call(admin, 'PUT', `/checkpoints/${checkpointId}/roster`, {
      version,
      duties: [{ weekday: 1, shift: 'early', userId: otherUser.id, name: null }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('duties.0.userId');

    const saved = await call(admin, 'PUT', `/checkpoints/${checkpointId}/roster`, {
      version,
      duties: [
        { weekday: 1, shift: 'early', userId: worker.id, name: null },
        { weekday: 1, shift: 'early', userId: null, name: '派出所民警王某' },
        { weekday: 2, shift: 'night', userId: worker.id, name: null },
      ],
    });
    expect(saved.status).toBe(200);
    expect(saved.json().roster).toHaveLength(3);
    expect(saved.json().onDutyNow).toEqual(['值守甲', '派出所民警王某']);
    version = saved.json().version;
    const stale = await call(admin, 'PUT', `/checkpoints/${checkpointId}/roster`, { version: 1, duties: [] });
    expect(stale.status).toBe(409);
  });

  it('stores each entry once by its client key, however often the batch is sent', async () => {
    const batch = {
      entries: [
        entry('a'),
        entry('b', { direction: 'out' }),
        entry('c', { subject: 'vehicle', plate: '粤e·12345', idNumber: null }),
      ],
    };
    const first = await call(workerSession, 'POST', `/checkpoints/${checkpointId}/entries`, batch);
    expect(first.status).toBe(200);
    expect(first.json()).toMatchObject({ stored: 3, duplicates: 0, rejected: 0 });
    const again = await call(workerSession, 'POST', `/checkpoints/${checkpointId}/entries`, batch);
    expect(again.json()).toMatchObject({ stored: 0, duplicates: 3, rejected: 0 });
    expect(again.json().results.map((r: { id: number }) => r.id)).toEqual(
      first.json().results.map((r: { id: number }) => r.id),
    );
    const rows = await ctx.database.db.selectFrom('checkpoint_entries').select('plate').execute();
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.plate)).toContain('粤E12345');
  });

  it('answers a bad entry on its own, naming its field, and stores the rest of the batch', async () => {
    const response = await call(workerSession, 'POST', `/checkpoints/${checkpointId}/entries`, {
      entries: [
        entry('d', { idNumber: BAD_ID }),
        entry('e', { outcome: 'stopped', reason: '' }),
        entry('f', { subject: 'vehicle', idNumber: null }),
        entry('g', { outcome: 'stopped', reason: '体温异常', temperature: 38.2 }),
      ],
    });
    expect(response.status).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ stored: 1, rejected: 3 });
    expect(body.results[0].issues[0]).toMatchObject({ path: 'entries.0.idNumber' });
    expect(body.results[0].issues[0].message).toMatch(/check/i);
    expect(body.results[1].issues[0].path).toBe('entries.1.reason');
    expect(body.results[2].issues[0].path).toBe('entries.2.plate');
  });

  it('refuses another user’s client key and any write from another village', async () => {
    const admins = await call(admin, 'POST', `/checkpoints/${checkpointId}/entries`, {
      entries: [entry('a')],
    });
    expect(admins.json().results[0]).toMatchObject({ status: 'rejected', id: null });
    const outsider = await call(otherWorker, 'POST', `/checkpoints/${checkpointId}/entries`, {
      entries: [entry('zz')],
    });
    expect(outsider.status).toBe(404);
    expect((await call(otherWorker, 'GET', `/checkpoints/${checkpointId}`)).status).toBe(404);
    expect((await call(otherWorker, 'GET', '/checkpoints')).json().checkpoints).toEqual([]);
    expect((await call(otherWorker, 'GET', '/checkpoint-entries')).json().total).toBe(0);
  });

  it('masks ID numbers in lists and exports, and logs each reveal', async () => {
    const list = (await call(leader, 'GET', '/checkpoint-entries')).json();
    expect(list.total).toBe(4);
    expect(list.body ?? JSON.stringify(list)).not.toContain(ID);
    const person = list.entries.find((e: { idNumber: string | null }) => e.idNumber);
    expect(person).toMatchObject({
      idNumberMasked: true,
      idNumber: `${ID.slice(0, 6)}********${ID.slice(-4)}`,
    });

    expect((await call(leader, 'POST', `/checkpoint-entries/${person.id}/reveal`)).status).toBe(403);
    const revealed = await call(workerSession, 'POST', `/checkpoint-entries/${person.id}/reveal`);
    expect(revealed.json()).toEqual({ field: 'idNumber', value: ID });
    const log = await ctx.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'entity_id'])
      .where('action', '=', 'checkpoint.reveal')
      .execute();
    expect(log).toEqual([{ actor_id: worker.id, entity_id: String(person.id) }]);
    expect((await call(otherWorker, 'POST', `/checkpoint-entries/${person.id}/reveal`)).status).toBe(404);

    const csv = await call(workerSession, 'GET', '/checkpoint-entries/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.body).toContain('粤E12345');
    expect(csv.body).not.toContain(ID);
    expect(csv.body.split('\n').filter((l) => l.trim()).length).toBe(5);
  });

  it('counts people and vehicles in and out, stops and fevers per checkpoint and day', async () => {
    const counts = (await call(leader, 'GET', '/checkpoints/daily-counts')).json();
    expect(counts.to).toBe('2026-11-23');
    expect(counts.rows).toEqual([
      {
        checkpointId,
        checkpointName: '河清北卡点',
        villageName: '河清社区居委会',
        day: '2026-11-23',
        peopleIn: 2,
        peopleOut: 1,
        vehiclesIn: 1,
        vehiclesOut: 0,
        stopped: 1,
        fever: 1,
        total: 4,
      },
    ]);
    const list = (await call(leader, 'GET', '/checkpoints')).json();
    expect(list.checkpoints[0].today).toEqual({ total: 4, stopped: 1 });
    const xlsx = await app.inject({
      method: 'GET',
      url: '/api/v1/checkpoints/daily-counts/export',
      headers: { cookie: leader.cookie },
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const backwards = await call(leader, 'GET', '/checkpoints/daily-counts?from=2026-11-23&to=2026-11-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body).toContain('from');
  });

  it("checks an entry's checks as the checkpoint's form says, stores the clean answers and exports them by label", async () => {
    const formId = await insertPublishedForm(ctx, {
      code: 'checkpoint-checks',
      regionCode: TERRITORY.heqing,
      definition: {
        questions: [
          {
            name: 'code',
            type: 'selectOne',
            label: { zh: '健康码', en: 'Health code' },
            required: true,
            choices: [
              { value: 'green', label: { zh: '绿码', en: 'Green' } },
              { value: 'yellow', label: { zh: '黄码', en: 'Yellow' } },
            ],
          },
          {
            name: 'why',
            type: 'text',
            label: { zh: '黄码原因', en: 'Why yellow' },
            relevant: "${code} = 'yellow'",
          },
        ],
      },
    });
    const created = await call(admin, 'POST', '/checkpoints', {
      name: '河清南卡点',
      kind: 'community',
      ...HEQING,
      formId,
    });
    expect(created.status).toBe(201);
    expect(created.json().formVersionId).toEqual(expect.any(Number));
    const id = created.json().id;
    const noForm = await call(admin, 'POST', '/checkpoints', {
      name: '无表单',
      kind: 'road',
      ...HEQING,
      formId: 999_999,
    });
    expect(noForm.status).toBe(404);

    const logged = await call(workerSession, 'POST', `/checkpoints/${id}/entries`, {
      entries: [
        entry('form-ok', { checks: { code: 'green', why: 'not asked' } }),
        entry('form-missing', { checks: {} }),
        entry('form-bad', { checks: { code: 'purple' } }),
      ],
    });
    expect(logged.status).toBe(200);
    const results = logged.json().results;
    expect(results.map((r: { status: string }) => r.status)).toEqual(['stored', 'rejected', 'rejected']);
    expect(results[1].issues.map((i: { path: string }) => i.path)).toEqual(['entries.1.checks.code']);
    expect(results[2].issues.map((i: { path: string }) => i.path)).toEqual(['entries.2.checks.code']);

    const list = await call(leader, 'GET', `/checkpoint-entries?checkpointId=${id}`);
    // The hidden question's answer is dropped, as the form says.
    expect(list.json().entries[0].checks).toEqual({ code: 'green' });
    expect(list.json().entries[0]).toMatchObject({
      formVersionId: created.json().formVersionId,
      formVersion: 1,
    });
    const file = await call(leader, 'GET', `/checkpoint-entries/export?format=csv&checkpointId=${id}`);
    expect(file.status).toBe(200);
    expect(file.body).toContain('Form version');
    expect(file.body).toContain('Health code：Green');
  });

  it('keeps the form version each entry was checked against when the form gets a new one', async () => {
    // The form as an administrator makes it: version 1 saved, then published.
    const made = await call(admin, 'POST', '/forms', {
      code: 'checkpoint-versions',
      title: { zh: '卡点检查', en: 'Checkpoint checks' },
      regionCode: TERRITORY.heqing,
      definition: {
        questions: [{ name: 'masked', type: 'yesNo', label: { zh: '是否佩戴口罩', en: 'Wearing a mask' } }],
      },
    });
    expect(made.status, made.body).toBe(201);
    const formId = made.json().id;
    const v1 = await call(admin, 'POST', `/forms/${formId}/publish`, { rowVersion: made.json().rowVersion });
    expect(v1.status, v1.body).toBe(200);
    const created = (
      await call(admin, 'POST', '/checkpoints', { name: '河清西卡点', kind: 'road', ...HEQING, formId })
    ).json();
    const first = await call(workerSession, 'POST', `/checkpoints/${created.id}/entries`, {
      entries: [entry('version-1', { checks: { masked: 'yes' } })],
    });
    expect(first.json().stored).toBe(1);

    // Version 2 renames the question and asks a new one, required.
    const draft = await call(admin, 'PUT', `/forms/${formId}`, {
      rowVersion: v1.json().rowVersion,
      definition: {
        questions: [
          { name: 'masked', type: 'yesNo', label: { zh: '口罩', en: 'Mask on' } },
          { name: 'from', type: 'text', label: { zh: '从何处来', en: 'Coming from' }, required: true },
        ],
      },
    });
    expect(draft.status, draft.body).toBe(200);
    const published = await call(admin, 'POST', `/forms/${formId}/publish`, {
      rowVersion: draft.json().rowVersion,
    });
    expect(published.json().current).toMatchObject({ version: 2 });
    const second = await call(workerSession, 'POST', `/checkpoints/${created.id}/entries`, {
      entries: [entry('version-2', { at: iso(5), checks: { masked: 'no', from: '江门' } })],
    });
    expect(second.json().stored).toBe(1);

    const list = (await call(leader, 'GET', `/checkpoint-entries?checkpointId=${created.id}`)).json();
    expect(list.entries.map((e: { formVersion: number }) => e.formVersion)).toEqual([2, 1]);
    expect(list.entries[1].formVersionId).toBe(created.formVersionId);
    // Each entry's answers read by the questions it was asked.
    const file = await call(
      leader,
      'GET',
      `/checkpoint-entries/export?format=csv&checkpointId=${created.id}`,
    );
    const rows = file.body.split('\n').filter((line) => line.trim());
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain('Mask on：No；Coming from：江门');
    expect(rows[1]).toMatch(/,v2\r?$/);
    expect(rows[2]).toContain('Wearing a mask：Yes');
    expect(rows[2]).toMatch(/,v1\r?$/);
    // The console's list reads the same answers by the same versions.
    expect(list.entries.map((e: { checkAnswers: unknown }) => e.checkAnswers)).toEqual([
      [
        { name: 'masked', question: 'Mask on', answer: 'No' },
        { name: 'from', question: 'Coming from', answer: '江门' },
      ],
      [{ name: 'masked', question: 'Wearing a mask', answer: 'Yes' }],
    ]);
  });

  it('checks an entry queued offline by the version its phone asked, though a newer one was published since', async () => {
    const question = (name: string, zh: string, required = false) => ({
      name,
      type: 'text',
      label: { zh, en: name },
      required,
    });
    const made = await call(admin, 'POST', '/forms', {
      code: 'checkpoint-offline',
      title: { zh: '卡点离线检查', en: 'Offline checks' },
      regionCode: TERRITORY.heqing,
      definition: { questions: [question('origin', '从何处来', true)] },
    });
    const formId = made.json().id;
    const v1 = (
      await call(admin, 'POST', `/forms/${formId}/publish`, { rowVersion: made.json().rowVersion })
    ).json();
    const checkpoint = (
      await call(admin, 'POST', '/checkpoints', { name: '河清东卡点', kind: 'road', ...HEQING, formId })
    ).json();
    // The phone took version 1 with the checkpoint; then version 2 asks a new required question …
    const asked = checkpoint.formVersionId;
    const v2draft = await call(admin, 'PUT', `/forms/${formId}`, {
      rowVersion: v1.rowVersion,
      definition: {
        questions: [question('origin', '从何处来', true), question('plateSeen', '随行车辆', true)],
      },
    });
    const v2 = (
      await call(admin, 'POST', `/forms/${formId}/publish`, { rowVersion: v2draft.json().rowVersion })
    ).json();
    expect(v2.current.version).toBe(2);
    // … and a version 3 is still a draft.
    const v3 = (
      await call(admin, 'PUT', `/forms/${formId}`, {
        rowVersion: v2.rowVersion,
        definition: { questions: [question('origin', '来源地', true)] },
      })
    ).json();
    expect(v3.current.publishedAt).toBeNull();
    const otherForm = (await call(leader, 'GET', '/checkpoints'))
      .json()
      .checkpoints.find(
        (c: { formVersionId: number | null; id: number }) =>
          c.formVersionId !== null && c.id !== checkpoint.id,
      );

    // The queue reaches the server now.
    const sent = await call(workerSession, 'POST', `/checkpoints/${checkpoint.id}/entries`, {
      entries: [
        entry('offline-v1', { at: iso(40), checks: { origin: '江门' }, formVersionId: asked }),
        entry('offline-unnamed', { at: iso(40), checks: { origin: '江门' } }),
        entry('offline-draft', { checks: { origin: '江门' }, formVersionId: v3.current.id }),
        entry('offline-other', { checks: { origin: '江门' }, formVersionId: otherForm.formVersionId }),
        entry('offline-gone', { checks: { origin: '江门' }, formVersionId: 2_000_000_000 }),
      ],
    });
    expect(sent.status).toBe(200);
    const results = sent.json().results;
    expect(results.map((r: { status: string }) => r.status)).toEqual([
      'stored',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    // Without the version it named, an entry is checked by the newest, as before.
    expect(results[1].issues.map((i: { path: string }) => i.path)).toEqual(['entries.1.checks.plateSeen']);
    for (const [index, result] of results.slice(2).entries()) {
      expect(result.issues).toEqual([
        { path: `entries.${index + 2}.formVersionId`, message: expect.stringContaining('published version') },
      ]);
    }
    const stored = (await call(leader, 'GET', `/checkpoint-entries?checkpointId=${checkpoint.id}`)).json();
    expect(stored.entries).toHaveLength(1);
    expect(stored.entries[0]).toMatchObject({
      formVersionId: asked,
      formVersion: 1,
      checks: { origin: '江门' },
      checkAnswers: [{ name: 'origin', question: 'origin', answer: '江门' }],
    });
  });
});
