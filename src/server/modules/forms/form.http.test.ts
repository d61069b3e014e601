/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm expressions name questions as ${name} */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormDefinitionInput, FormDetail } from '../../../shared/forms.ts';
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
import { SAMPLE_XLSFORM, xlsformOf } from '../../testing/xlsform.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const DEFINITION = {
  questions: [
    { name: 'lives_here', type: 'yesNo', label: { zh: '是否常住' }, required: true },
    {
      name: 'people',
      type: 'integer',
      label: { zh: '人数' },
      relevant: "${lives_here} = 'yes'",
      constraint: '. <= 20',
      constraintMessage: { zh: '最多 20 人', en: 'At most 20 people' },
    },
  ],
} satisfies FormDefinitionInput;

describe('HTTP: forms', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let leader: HttpSession;
  let heqingLeader: HttpSession;
  let heqingWorker: HttpSession;
  let yingmingWorker: HttpSession;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    app = await createApp(ctx);
    const login = async (role: 'leader' | 'gridWorker', regionCode: string) =>
      httpLogin(app, (await createUser(ctx, { role, regionCode })).username);
    leader = await login('leader', TERRITORY.town);
    heqingLeader = await login('leader', TERRITORY.heqing);
    heqingWorker = await login('gridWorker', TERRITORY.heqingGrids[0]);
    yingmingWorker = await login('gridWorker', TERRITORY.yingmingGrids[0]);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const call = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    session: HttpSession,
    options: { json?: object; file?: Buffer; query?: Record<string, string>; locale?: string } = {},
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      query: options.query ?? {},
      headers: {
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
        'accept-language': options.locale ?? 'zh-CN',
        ...(options.file ? { 'content-type': XLSX_TYPE } : {}),
      },
      ...(options.file ? { payload: options.file } : options.json ? { payload: options.json } : {}),
    });

  it('a town form is read by every village below it; a village form is not read by the next village', async () => {
    const town = await call('POST', '/forms', leader, {
      json: { code: 'town-form', title: { zh: '镇表单' }, definition: DEFINITION },
    });
    expect(town.statusCode).toBe(201);
    const village = await call('POST', '/forms', heqingLeader, {
      json: { code: 'heqing-form', title: { zh: '河清表单' }, definition: DEFINITION },
    });
    expect(village.statusCode).toBe(201);
    const villageId = village.json<FormDetail>().id;

    const codes = async (s: HttpSession) =>
      (await call('GET', '/forms', s)).json<{ code: string }[]>().map((f) => f.code);
    expect(await codes(heqingWorker)).toEqual(expect.arrayContaining(['town-form', 'heqing-form']));
    expect(await codes(yingmingWorker)).toContain('town-form');
    expect(await codes(yingmingWorker)).not.toContain('heqing-form');
    expect((await call('GET', `/forms/${villageId}`, yingmingWorker)).statusCode).toBe(404);
    const versionId = village.json<FormDetail>().current.id;
    expect((await call('GET', `/form-versions/${versionId}`, yingmingWorker)).statusCode).toBe(404);
    expect((await call('GET', `/form-versions/${versionId}`, heqingWorker)).statusCode).toBe(200);
  });

  it('grid workers fill forms in but cannot build them', async () => {
    const res = await call('POST', '/forms', heqingWorker, {
      json: { code: 'worker-form', title: { zh: 'x' }, definition: DEFINITION },
    });
    expect(res.statusCode).toBe(403);
  });

  it('a bad expression or an unknown case category is refused at save time, naming the field', async () => {
    const bad = await call('POST', '/forms', leader, {
      json: {
        code: 'bad-form',
        title: { zh: '坏表单' },
        definition: {
          questions: [{ name: 'age', type: 'integer', label: { zh: '年龄' }, constraint: '. >=' }],
        },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('definition.questions.0.constraint');
    expect(bad.json().error.message).toContain('题目 age');

    const category = await call('POST', '/forms', leader, {
      json: {
        code: 'bad-category',
        title: { zh: '坏类别' },
        definition: {
          questions: [
            {
              name: 'h',
              type: 'selectOne',
              label: { zh: '困难' },
              choices: [{ value: 'x', label: { zh: 'x' }, raisesCase: { categoryCode: '99999' } }],
            },
          ],
        },
      },
    });
    expect(category.statusCode).toBe(400);
    expect(category.json().error.details.issues[0].path).toBe('definition.questions.0.choices');
  });

  it('a published version never changes: the next save is a new draft version; a stale save gets 409', async () => {
    const created = (
      await call('POST', '/forms', leader, {
        json: { code: 'versioned', title: { zh: '版本' }, definition: DEFINITION },
      })
    ).json<FormDetail>();
    const published = await call('POST', `/forms/${created.id}/publish`, leader, {
      json: { rowVersion: created.rowVersion },
    });
    expect(published.statusCode).toBe(200);
    const v1 = published.json<FormDetail>();
    expect(v1.publishedVersion).toBe(1);

    const edited = {
      questions: [...DEFINITION.questions, { name: 'extra', type: 'text', label: { zh: '补充' } }],
    };
    const saved = await call('PUT', `/forms/${created.id}`, leader, {
      json: { definition: edited, rowVersion: v1.rowVersion },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json<FormDetail>()).toMatchObject({
      latestVersion: 2,
      publishedVersion: 1,
      questionCount: 3,
    });
    const first = await call('GET', `/form-versions/${v1.current.id}`, leader);
    expect(first.json().definition.questions).toHaveLength(2);

    const stale = await call('PUT', `/forms/${created.id}`, leader, {
      json: { definition: edited, rowVersion: v1.rowVersion },
    });
    expect(stale.statusCode).toBe(409);
  });

  it('imports an XLSForm with its conditions, constraints, languages and case-raising choice', async () => {
    const res = await call('POST', '/forms/import', leader, { file: await xlsformOf(SAMPLE_XLSFORM) });
    expect(res.statusCode).toBe(200);
    const form = res.json().form as FormDetail;
    expect(form.code).toBe('household-test');
    expect(form.title.zh).toBe('入户登记（测试）');
    const [livesHere, count, , hardship] = form.current.definition.questions;
    expect(livesHere).toMatchObject({ type: 'selectOne', required: true });
    expect(count).toMatchObject({
      type: 'integer',
      relevant: "${lives_here} = 'yes'",
      constraintMessage: { zh: '人数应在 1 到 20 之间', en: 'Between 1 and 20 people' },
      registryField: 'household.residentCount',
    });
    expect(hardship?.choices?.[1]).toMatchObject({
      value: 'bulky_rubbish',
      raisesCase: { categoryCode: '06011' },
    });

    const version = await ctx.services.forms.getFormVersion(form.current.id);
    const actor = (await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqingGrids[0] })).actor;
    expect(() =>
      ctx.services.forms.checkAnswers(actor, version, { lives_here: 'yes', resident_count: 30 }),
    ).toThrow(/answers.resident_count: 人数应在 1 到 20 之间/);
  });

  it('rejects every unsupported row with its row number and stores nothing', async () => {
    const survey = [
      ...SAMPLE_XLSFORM.survey.slice(0, 2),
      ['begin group', 'g1', '分组', '', '', '', '', '', '', ''],
      ['calculate', 'total', '', '', '', '', '', '', '', ''],
      ['integer', 'age', '年龄', '', '', '', "regex(., '^1')", '', '', ''],
      ...SAMPLE_XLSFORM.survey.slice(2),
    ];
    const file = await xlsformOf({
      ...SAMPLE_XLSFORM,
      survey,
      settings: [
        ['form_title', 'form_id'],
        ['坏', 'rejected-form'],
      ],
    });
    const res = await call('POST', '/forms/import', leader, { file, locale: 'en-US' });
    expect(res.statusCode).toBe(422);
    const errors = res.json().error.details.errors as { line: number; code: string; reason: string }[];
    expect(errors.map((e) => [e.code, e.line])).toEqual([
      ['survey', 3],
      ['survey', 4],
      ['survey', 5],
    ]);
    expect(errors[0]?.reason).toContain('groups and repeats');
    expect(errors[2]?.reason).toContain('"regex" is not supported');
    const list = (await call('GET', '/forms', leader, { query: { q: 'rejected' } })).json();
    expect(list).toEqual([]);
  });

  it('a question reading a later one is reported on its own row', async () => {
    const survey = [
      SAMPLE_XLSFORM.survey[0] as (string | number)[],
      ['text', 'a', 'A', '', '', "${b} = 'x'", '', '', '', ''],
      ['text', 'b', 'B', '', '', '', '', '', '', ''],
    ];
    const file = await xlsformOf({
      survey,
      settings: [
        ['form_title', 'form_id'],
        ['后引', 'later-ref'],
      ],
    });
    const res = await call('POST', '/forms/import', leader, { file });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.errors).toEqual([
      { line: 2, code: 'survey', reason: expect.stringContaining('引用了后面的题目 b') },
    ]);
  });
});
