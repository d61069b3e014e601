import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutingRuleInput } from '../../../shared/routing.ts';
import { DEMO_DEPARTMENTS } from '../../db/seed/demo-town.ts';
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

describe('routing rules', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const departments: Record<string, number> = {};
  const users: Record<string, TestUser> = {};
  let exposedRubbish: number;
  let environment: number;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    Object.assign(departments, await seedCaseReference(ctx));
    const tree = await ctx.services.categories.getCategoryTree();
    const major = tree.find((m) => m.kind === 'matter' && m.code === '06');
    environment = major?.id ?? 0;
    exposedRubbish = major?.children.find((c) => c.code === '06010')?.id ?? 0;
    users.admin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    users.heqingAdmin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.heqing });
    users.dispatcher = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town });
    users.heqingWorker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    users.yingmingWorker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.yingming });
    app = await createApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const admin = () => users.admin?.actor ?? systemActor();
  const rule = (categoryId: number | null, regionCode: string, department: string): RoutingRuleInput => ({
    categoryId,
    regionCode,
    departmentId: departments[department] ?? 0,
  });
  const refusal = (promise: Promise<unknown>) =>
    promise.then(() => null).catch((e: unknown) => e as AppError);

  describe('which department a case is suggested for', () => {
    let heqingCase: number;
    let yingmingCase: number;
    const suggested = async (caseId: number) => {
      const detail = await ctx.services.cases.getCase(systemActor(), caseId);
      return DEMO_DEPARTMENTS.find((d) => departments[d.code] === detail.suggestedDepartmentId)?.code ?? null;
    };

    beforeAll(async () => {
      const report = (user: TestUser | undefined, lon: number) =>
        ctx.services.cases.reportCase(user?.actor ?? systemActor(), {
          categoryId: exposedRubbish,
          description: '路边有一堆暴露垃圾',
          lon,
          lat: 22.85,
        });
      heqingCase = (await report(users.heqingWorker, 112.945)).id;
      yingmingCase = (await report(users.yingmingWorker, 112.965)).id;
    });

    it('is the most specific rule: minor class, major class, every category; then the smallest region', async () => {
      // No rule: the category's own default department.
      expect(await suggested(heqingCase)).toBe('JJ-HW');

      // A rule for every category in the town overrides the category default.
      await ctx.services.routing.createRoutingRule(admin(), rule(null, TERRITORY.town, 'JJ-ZZB'));
      expect(await suggested(heqingCase)).toBe('JJ-ZZB');

      // Among rules for every category, the village's beats the town's, and only inside the village.
      await ctx.services.routing.createRoutingRule(admin(), rule(null, TERRITORY.heqing, 'JJ-CG'));
      expect(await suggested(heqingCase)).toBe('JJ-CG');
      expect(await suggested(yingmingCase)).toBe('JJ-ZZB');

      // A rule for the major class beats any rule for every category, even one for a smaller region.
      await ctx.services.routing.createRoutingRule(admin(), rule(environment, TERRITORY.town, 'JJ-WMB'));
      expect(await suggested(heqingCase)).toBe('JJ-WMB');

      // The minor class's own rule beats its major class; a grid's rule beats the town's.
      await ctx.services.routing.createRoutingRule(admin(), rule(exposedRubbish, TERRITORY.town, 'JJ-SCJG'));
      await ctx.services.routing.createRoutingRule(
        admin(),
        rule(exposedRubbish, TERRITORY.heqingGrids[0], 'JJ-PCS'),
      );
      expect(await suggested(heqingCase)).toBe('JJ-PCS');
      expect(await suggested(yingmingCase)).toBe('JJ-SCJG');

      // Deleting the rules brings back what is left, down to the category default.
      for (const r of await ctx.services.routing.listRoutingRules(admin())) {
        await ctx.services.routing.deleteRoutingRule(admin(), r.id);
      }
      expect(await suggested(heqingCase)).toBe('JJ-HW');
    });
  });

  it('lists rules with the names of their category, region and department', async () => {
    const created = await ctx.services.routing.createRoutingRule(
      admin(),
      rule(exposedRubbish, TERRITORY.heqing, 'JJ-HW'),
    );
    expect(created).toMatchObject({
      categoryKind: 'matter',
      categoryCode: '06010',
      categoryName: '暴露垃圾',
      regionCode: TERRITORY.heqing,
      regionName: '河清社区居委会',
      departmentCode: 'JJ-HW',
      departmentName: '九江镇环卫站',
    });
    await ctx.services.routing.createRoutingRule(admin(), rule(null, TERRITORY.yingming, 'JJ-ZZB'));
    const listed = await ctx.services.routing.listRoutingRules(admin());
    expect(listed.map((r) => [r.regionName, r.categoryName, r.departmentName])).toEqual([
      ['河清社区居委会', '暴露垃圾', '九江镇环卫站'],
      ['英明社区居委会', null, '九江镇综治办'],
    ]);
    // A village administrator sees the rules of the village only.
    const own = await ctx.services.routing.listRoutingRules(users.heqingAdmin?.actor ?? admin());
    expect(own.map((r) => r.regionCode)).toEqual([TERRITORY.heqing]);
  });

  it('refuses a second rule for the same category and region, naming the rule that exists', async () => {
    const error = await refusal(
      ctx.services.routing.createRoutingRule(admin(), rule(exposedRubbish, TERRITORY.heqing, 'JJ-CG')),
    );
    expect(error).toMatchObject({ code: 'ALREADY_EXISTS' });
    expect((error as AppError).params.id).toEqual({
      zh: `暴露垃圾（06010） × 河清社区居委会（${TERRITORY.heqing}）（现派往 九江镇环卫站），请修改那条规则`,
      en: `暴露垃圾 (06010) × 河清社区居委会 (${TERRITORY.heqing}) (now to 九江镇环卫站); change that rule instead`,
    });
    // The same category in another region, or the major class in the same region, is a different rule.
    await ctx.services.routing.createRoutingRule(admin(), rule(environment, TERRITORY.heqing, 'JJ-CG'));
  });

  it('names the field at fault: unknown category, region or department', async () => {
    const issuesOf = async (input: RoutingRuleInput) => {
      const error = await refusal(ctx.services.routing.createRoutingRule(admin(), input));
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('VALIDATION_FAILED');
      return ((error as AppError).details as { issues: unknown[] }).issues;
    };
    expect(await issuesOf(rule(99_999, TERRITORY.town, 'JJ-CG'))).toEqual([
      { path: 'categoryId', message: '分类 99999 不存在，请从分类列表中选择' },
    ]);
    expect(await issuesOf(rule(null, '440605121099', 'JJ-CG'))).toEqual([
      { path: 'regionCode', message: '行政区划或网格 440605121099 不存在，请从区划树中选择' },
    ]);
    expect(await issuesOf({ categoryId: null, regionCode: TERRITORY.town, departmentId: 99_999 })).toEqual([
      { path: 'departmentId', message: '部门 99999 不存在，请从部门列表中选择' },
    ]);
  });

  it('is for administrators, within their scope', async () => {
    const byDispatcher = await refusal(
      ctx.services.routing.listRoutingRules(users.dispatcher?.actor ?? admin()),
    );
    expect(byDispatcher).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    const outside = await refusal(
      ctx.services.routing.createRoutingRule(
        users.heqingAdmin?.actor ?? admin(),
        rule(null, TERRITORY.yingming, 'JJ-CG'),
      ),
    );
    expect(outside).toMatchObject({ code: 'FORBIDDEN_SCOPE' });
  });

  it('writes an audit entry for every change', async () => {
    const created = await ctx.services.routing.createRoutingRule(
      admin(),
      rule(exposedRubbish, TERRITORY.town, 'JJ-HW'),
    );
    await ctx.services.routing.updateRoutingRule(
      admin(),
      created.id,
      rule(exposedRubbish, TERRITORY.town, 'JJ-CG'),
    );
    await ctx.services.routing.deleteRoutingRule(admin(), created.id);
    const entries = await ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name', 'details'])
      .where('entity_type', '=', 'routingRule')
      .where('entity_id', '=', String(created.id))
      .orderBy('id')
      .execute();
    expect(entries.map((e) => e.action)).toEqual([
      'routingRule.create',
      'routingRule.update',
      'routingRule.delete',
    ]);
    expect(entries[1]?.details).toMatchObject({
      before: { departmentId: departments['JJ-HW'] },
      after: { departmentId: departments['JJ-CG'] },
    });
  });

  describe('over HTTP', () => {
    const send = async (
      username: string,
      method: 'GET' | 'POST' | 'PUT' | 'DELETE',
      url: string,
      options: { payload?: unknown; locale?: string } = {},
    ) => {
      const session = await httpLogin(app, username);
      return app.inject({
        method,
        url: `/api/v1${url}`,
        headers: {
          cookie: session.cookie,
          'x-csrf-token': session.csrfToken,
          ...(options.locale ? { 'accept-language': options.locale } : {}),
        },
        ...(options.payload === undefined ? {} : { payload: options.payload as object }),
      });
    };
    const adminName = () => users.admin?.username ?? '';

    it('creates, changes, lists and deletes a rule', async () => {
      const created = await send(adminName(), 'POST', '/routing-rules', {
        payload: rule(null, TERRITORY.heqingGrids[1], 'JJ-XF'),
      });
      expect(created.statusCode).toBe(200);
      const { id } = created.json();
      const changed = await send(adminName(), 'PUT', `/routing-rules/${id}`, {
        payload: rule(exposedRubbish, TERRITORY.heqingGrids[1], 'JJ-YJ'),
      });
      expect(changed.json()).toMatchObject({
        categoryCode: '06010',
        regionName: '第2网格',
        departmentName: '九江镇应急管理办公室',
      });
      const listed = await send(adminName(), 'GET', '/routing-rules');
      expect(listed.json()).toEqual(
        expect.arrayContaining([expect.objectContaining({ id, departmentCode: 'JJ-YJ' })]),
      );
      const deleted = await send(adminName(), 'DELETE', `/routing-rules/${id}`);
      expect(deleted.statusCode).toBe(204);
      const again = await send(adminName(), 'DELETE', `/routing-rules/${id}`);
      expect(again.statusCode).toBe(404);
      expect(again.json().error.message).toBe(`未找到派遣规则：${id}。`);
    });

    it('answers a bad rule in the request language, under the field', async () => {
      const unknown = await send(adminName(), 'POST', '/routing-rules', {
        payload: { categoryId: null, regionCode: TERRITORY.town, departmentId: 99_999 },
        locale: 'en-US',
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: 'Invalid input: Department 99999 does not exist; choose one from the department list',
        details: { issues: [{ path: 'departmentId' }] },
      });
      const badCode = await send(adminName(), 'POST', '/routing-rules', {
        payload: { categoryId: null, regionCode: 'abc', departmentId: departments['JJ-CG'] },
      });
      expect(badCode.statusCode).toBe(400);
      expect(badCode.json().error.details.issues).toEqual([
        { path: 'regionCode', message: '区划代码应为 2–21 位数字' },
      ]);
      const duplicate = await send(adminName(), 'POST', '/routing-rules', {
        payload: rule(exposedRubbish, TERRITORY.heqing, 'JJ-CG'),
        locale: 'en-US',
      });
      expect(duplicate.statusCode).toBe(409);
      expect(duplicate.json().error.message).toBe(
        `Routing rule already exists: 暴露垃圾 (06010) × 河清社区居委会 (${TERRITORY.heqing}) (now to 九江镇环卫站); change that rule instead.`,
      );
    });

    it('refuses other roles', async () => {
      const response = await send(users.dispatcher?.username ?? '', 'GET', '/routing-rules');
      expect(response.statusCode).toBe(403);
      expect(response.json().error.message).toBe('您的角色（派遣员）无权执行此操作：维护派遣规则。');
    });
  });
});
