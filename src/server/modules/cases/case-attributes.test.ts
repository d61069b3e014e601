import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMessage } from '../../../shared/errors.ts';
import { AppError } from '../../errors.ts';
import {
  createApp,
  createUser,
  httpLogin,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';
import type { ReportCaseInput } from './case.service.ts';

describe('extra fields of a report made in the console, the field app or the portal', () => {
  let ctx: TestContext;
  let worker: TestUser;
  let rubbish = 0;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    const system = systemActor();
    await seedCaseReference(ctx);
    const category = (await ctx.services.categories.getCategoryTree())
      .flatMap((m) => m.children)
      .find((c) => c.kind === 'matter' && c.code === '06010');
    rubbish = category?.id ?? 0;
    await ctx.services.categories.setAttributes(system, rubbish, {
      version: category?.version ?? 0,
      attributes: [
        {
          code: 'KIND',
          datatype: 'singlevaluelist',
          variable: true,
          required: true,
          description: '垃圾种类',
          datatypeDescription: null,
          order: 1,
          values: [
            { key: 'household', name: '生活垃圾' },
            { key: 'building', name: '建筑垃圾' },
          ],
        },
        {
          code: 'VOLUME',
          datatype: 'number',
          variable: true,
          required: false,
          description: '大约几立方米',
          datatypeDescription: null,
          order: 2,
          values: [],
        },
      ],
    });
    worker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
  });
  afterAll(() => ctx.close());

  const report = (attributes?: ReportCaseInput['attributes'], actor = worker.actor) =>
    ctx.services.cases.reportCase(actor, {
      categoryId: rubbish,
      description: '河清路口有一堆暴露垃圾',
      lon: 112.945,
      lat: 22.85,
      ...(attributes ? { attributes } : {}),
    });
  const refusal = async (attempt: Promise<unknown>) => {
    const error = await attempt.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };
  const written = async () => {
    const count = async (table: 'cases' | 'case_events' | 'audit_log') =>
      Number(
        (
          await ctx.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      cases: await count('cases'),
      events: await count('case_events'),
      audit: await count('audit_log'),
    };
  };

  it('keeps the checked values in the report’s history, and the case shows them by description and name', async () => {
    const created = await report({ VOLUME: ' 3 ', KIND: 'building' });
    const detail = await ctx.services.cases.getCase(systemActor(), created.id);
    expect(detail.events[0]?.data.attributes).toEqual({ KIND: 'building', VOLUME: '3' });
    expect(detail.attributes).toEqual([
      {
        code: 'KIND',
        description: '垃圾种类',
        datatype: 'singlevaluelist',
        value: ['building'],
        shown: ['建筑垃圾'],
      },
      { code: 'VOLUME', description: '大约几立方米', datatype: 'number', value: ['3'], shown: ['3'] },
    ]);
  });

  it('refuses a report without a required field, naming it in the reporter’s language, and writes nothing', async () => {
    const before = await written();
    const error = await refusal(report({ VOLUME: '2' }, { ...worker.actor, locale: 'en-US' }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(errorMessage(error.code, error.params, 'zh-CN')).toBe('输入有误：「垃圾种类」为必填项');
    expect(errorMessage(error.code, error.params, 'en-US')).toBe('Invalid input: “垃圾种类” is required');
    expect(error.details).toEqual({
      issues: [{ path: 'attributes.KIND', message: '“垃圾种类” is required' }],
    });
    expect(await refusal(report())).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await written()).toEqual(before);
  });

  it('refuses a value that is not one of the list, and a field the category does not have', async () => {
    const before = await written();
    const wrong = await refusal(report({ KIND: 'nuclear' }));
    expect(errorMessage(wrong.code, wrong.params, 'zh-CN')).toBe('输入有误：「垃圾种类」没有选项 nuclear');
    const unknown = await refusal(report({ KIND: 'household', COLOUR: 'green' }));
    expect(errorMessage(unknown.code, unknown.params, 'en-US')).toContain(
      '“COLOUR” is not a field of this category',
    );
    expect(await written()).toEqual(before);
  });

  it('takes a report of a category without extra fields as before, and refuses fields sent to it', async () => {
    const other = (await ctx.services.categories.getCategoryTree())
      .flatMap((m) => m.children)
      .find((c) => c.kind === 'matter' && c.code === '06011');
    const input = { categoryId: other?.id ?? 0, description: '渣土撒漏', lon: 112.945, lat: 22.85 };
    const plain = await ctx.services.cases.reportCase(worker.actor, input);
    expect((await ctx.services.cases.getCase(systemActor(), plain.id)).attributes).toEqual([]);
    await refusal(
      ctx.services.cases.reportCase(worker.actor, { ...input, attributes: { KIND: 'household' } }),
    );
  });

  it('does not check again what the source checked itself, or a source that cannot ask (a 12345 order)', async () => {
    const created = await ctx.services.cases.reportCase(
      systemActor(),
      { categoryId: rubbish, description: '热线反映暴露垃圾', lon: 112.945, lat: 22.85 },
      'hotline',
      { externalRef: 'GD-0001', attributes: {} },
    );
    expect((await ctx.services.cases.getCase(systemActor(), created.id)).attributes).toEqual([]);
  });

  it('answers every minor class’s extra fields in one request, to a signed-in user only', async () => {
    const app = await createApp(ctx);
    try {
      const anonymous = await app.inject({ method: 'GET', url: '/api/v1/categories/attributes' });
      expect(anonymous.statusCode).toBe(401);
      const session = await httpLogin(app, worker.username);
      const answer = await app.inject({
        method: 'GET',
        url: '/api/v1/categories/attributes',
        headers: { cookie: session.cookie },
      });
      expect(answer.statusCode).toBe(200);
      const byCategory = answer.json() as Record<string, { code: string }[]>;
      expect(Object.keys(byCategory)).toEqual([String(rubbish)]);
      expect(byCategory[String(rubbish)]?.map((a) => a.code)).toEqual(['KIND', 'VOLUME']);
    } finally {
      await app.close();
    }
  });
});
