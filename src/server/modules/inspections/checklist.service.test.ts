import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateChecklistInput } from '../../../shared/checklists.ts';
import { appliesToSite, scoreVisit } from '../../../shared/inspection-scoring.ts';
import { loadDemoChecklists } from '../../db/seed/demo-checklists.ts';
import type { AppError } from '../../errors.ts';
import {
  createUser,
  seedCaseReference,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { systemActor } from '../people/actor.ts';

const TEMPLATE: CreateChecklistInput = {
  code: 'market-basic',
  name: '集贸市场基础测评',
  description: '',
  siteTypes: ['market'],
  items: [
    {
      key: '1.1',
      section: '环境卫生',
      question: '设置分类收集的垃圾桶',
      points: 10,
      rule: 'passFail',
      photo: 'onFail',
      guidance: '',
      siteTypes: [],
      categoryCode: '06052',
      veto: false,
      immediate: false,
    },
    {
      key: '1.2',
      section: '环境卫生',
      question: '公益广告数量达标',
      points: 10,
      rule: 'count',
      comparator: '>=',
      threshold: 5,
      unit: '处',
      photo: 'onFail',
      guidance: '',
      siteTypes: [],
      categoryCode: '03010',
      veto: false,
      immediate: true,
    },
    {
      key: '2.1',
      section: '秩序',
      question: '无占道经营',
      points: 5,
      rule: 'passFail',
      photo: 'never',
      guidance: '',
      siteTypes: [],
      categoryCode: null,
      veto: true,
      immediate: false,
    },
  ],
};

function errorOf(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: AppError) => error,
  );
}

describe('checklist templates', () => {
  let ctx: TestContext;
  let inspector: TestUser;
  let worker: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    await seedCaseReference(ctx);
    inspector = await createUser(ctx, { role: 'inspector', regionCode: TERRITORY.town });
    worker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
  });
  afterAll(async () => ctx.close());

  const checklists = () => ctx.services.inspections.checklists;

  /** A campaign over the version, written as the campaign part would: then the version is in use. */
  async function useInCampaign(templateId: number) {
    await ctx.database.db
      .insertInto('inspection_campaigns')
      .values({
        name: '用过的行动',
        template_id: templateId,
        region_code: TERRITORY.town,
        covert: false,
        starts_on: '2026-11-01',
        ends_on: '2026-11-30',
        signature_required: false,
        rectify_limit: 'null',
        created_at: new Date(),
        updated_at: new Date(),
      })
      .execute();
  }

  it('creates a draft v1 with its sections, items and totals', async () => {
    const created = await checklists().createTemplate(inspector.actor, TEMPLATE);
    expect(created).toMatchObject({
      code: 'market-basic',
      version: 1,
      status: 'draft',
      regionCode: TERRITORY.town,
      itemCount: 3,
      pointsTotal: 25,
      vetoCount: 1,
      editable: true,
      inUse: false,
    });
    expect(created.sections.map((s) => [s.name, s.points, s.items.map((i) => i.key)])).toEqual([
      ['环境卫生', 20, ['1.1', '1.2']],
      ['秩序', 5, ['2.1']],
    ]);
    expect(created.sections[0]?.items[0]).toMatchObject({
      categoryCode: '06052',
      categoryName: '商场市场未设分类垃圾桶',
    });
    const list = await checklists().listTemplates(worker.actor, {});
    expect(list.find((t) => t.code === 'market-basic')).toMatchObject({
      editable: false,
      activeVersionId: null,
    });
  });

  it('edits an unused draft in place, and makes v2 of a version a campaign uses, leaving it as it was', async () => {
    const created = await checklists().createTemplate(inspector.actor, { ...TEMPLATE, code: 'market-edit' });
    const edited = await checklists().updateTemplate(inspector.actor, created.id, {
      ...TEMPLATE,
      name: '集贸市场测评（修订）',
      rowVersion: created.rowVersion,
    });
    expect(edited).toMatchObject({ id: created.id, version: 1, name: '集贸市场测评（修订）' });

    await useInCampaign(created.id);
    const items = TEMPLATE.items.map((i) => (i.key === '1.1' ? { ...i, points: 20 } : i));
    const v2 = await checklists().updateTemplate(inspector.actor, created.id, {
      ...TEMPLATE,
      items,
      rowVersion: edited.rowVersion,
    });
    expect(v2).toMatchObject({ code: 'market-edit', version: 2, status: 'draft', pointsTotal: 35 });
    expect(v2.id).not.toBe(created.id);
    const v1 = await checklists().getTemplate(inspector.actor, created.id);
    expect(v1).toMatchObject({ version: 1, pointsTotal: 25, inUse: true, name: '集贸市场测评（修订）' });
    expect(v1.versions.map((v) => v.version)).toEqual([1, 2]);

    // The form read before the edit is stale now.
    const stale = await errorOf(
      checklists().updateTemplate(inspector.actor, created.id, {
        ...TEMPLATE,
        rowVersion: edited.rowVersion,
      }),
    );
    expect(stale.code).toBe('CONFLICT');
  });

  it('keeps one active version per code: activating v2 retires v1, which stays readable', async () => {
    const v1 = await checklists().createTemplate(inspector.actor, { ...TEMPLATE, code: 'market-active' });
    const active1 = await checklists().activateTemplate(inspector.actor, v1.id, v1.rowVersion);
    expect(active1.status).toBe('active');
    await useInCampaign(v1.id);
    const v2 = await checklists().updateTemplate(inspector.actor, v1.id, {
      ...TEMPLATE,
      rowVersion: active1.rowVersion,
    });
    const active2 = await checklists().activateTemplate(inspector.actor, v2.id, v2.rowVersion);
    expect(active2.versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'retired'],
      [2, 'active'],
    ]);
    const summary = (await checklists().listTemplates(inspector.actor, {})).find(
      (t) => t.code === 'market-active',
    );
    expect(summary).toMatchObject({ version: 2, activeVersionId: v2.id });

    const retired = await checklists().retireTemplate(inspector.actor, v2.id, active2.rowVersion);
    expect(retired.status).toBe('retired');
    const again = await errorOf(checklists().retireTemplate(inspector.actor, v2.id, retired.rowVersion));
    expect(again.code).toBe('ILLEGAL_TRANSITION');
  });

  it('copies a version under a new code as a v1 draft, and refuses a code in use', async () => {
    const source = await checklists().createTemplate(inspector.actor, { ...TEMPLATE, code: 'market-source' });
    const copy = await checklists().copyTemplate(inspector.actor, source.id, {
      code: 'market-copy',
      name: '集贸市场测评（副本）',
    });
    expect(copy).toMatchObject({
      code: 'market-copy',
      version: 1,
      status: 'draft',
      itemCount: 3,
      pointsTotal: 25,
    });
    const taken = await errorOf(
      checklists().copyTemplate(inspector.actor, source.id, { code: 'market-copy', name: '再复制一次' }),
    );
    expect(taken.code).toBe('ALREADY_EXISTS');
  });

  it('names the item field at fault: repeated keys and categories that are unknown or major classes', async () => {
    const [first] = TEMPLATE.items as [CreateChecklistInput['items'][number]];
    const items = [
      first,
      { ...first, key: '1.1', question: '重复的序号' },
      { ...first, key: '1.3', categoryCode: '99999' },
      { ...first, key: '1.4', categoryCode: '06' },
    ];
    const error = await errorOf(
      checklists().createTemplate(inspector.actor, { ...TEMPLATE, code: 'market-bad', items }),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    const issues = (error.details as { issues: { path: string; message: string }[] }).issues;
    expect(issues.map((i) => i.path)).toEqual([
      'items[1].key',
      'items[2].categoryCode',
      'items[3].categoryCode',
    ]);
    expect(issues[2]?.message).toContain('大类');
    const summary = error.params.summary as { zh: string; en: string };
    expect(summary.en).toContain(
      'items[2].categoryCode: rectification category "99999" is not the code of a minor class',
    );
    expect(await checklists().listTemplates(inspector.actor, { q: 'market-bad' })).toEqual([]);
  });

  it('lets a grid worker read but not create or edit a template', async () => {
    const created = await checklists().createTemplate(inspector.actor, { ...TEMPLATE, code: 'market-read' });
    expect((await checklists().getTemplate(worker.actor, created.id)).editable).toBe(false);
    const create = await errorOf(
      checklists().createTemplate(worker.actor, { ...TEMPLATE, code: 'market-worker' }),
    );
    expect(create.code).toBe('FORBIDDEN_ROLE');
    const edit = await errorOf(
      checklists().updateTemplate(worker.actor, created.id, { ...TEMPLATE, rowVersion: created.rowVersion }),
    );
    expect(edit.code).toBe('FORBIDDEN_ROLE');
    const otherTown = await createUser(ctx, { role: 'inspector', regionCode: TERRITORY.otherTown });
    const outside = await errorOf(
      checklists().activateTemplate(otherTown.actor, created.id, created.rowVersion),
    );
    expect(outside.code).toBe('FORBIDDEN_SCOPE');
  });

  it('writes an audit entry for every change', async () => {
    const created = await checklists().createTemplate(inspector.actor, { ...TEMPLATE, code: 'market-audit' });
    const active = await checklists().activateTemplate(inspector.actor, created.id, created.rowVersion);
    await checklists().retireTemplate(inspector.actor, created.id, active.rowVersion);
    const entries = await ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name', 'county_code'])
      .where('entity_type', '=', 'checklist_template')
      .where('entity_id', '=', String(created.id))
      .orderBy('id')
      .execute();
    expect(entries).toEqual(
      ['checklist.create', 'checklist.activate', 'checklist.retire'].map((action) => ({
        action,
        actor_name: inspector.actor.name,
        county_code: '440605',
      })),
    );
  });

  it('seeds the two demo templates active, and serves a version in the shape visits score with', async () => {
    const [pharmacyId, fieldId] = await loadDemoChecklists(ctx.services, TERRITORY.town);
    const pharmacy = await checklists().getTemplate(systemActor(), pharmacyId ?? 0);
    expect(pharmacy).toMatchObject({
      name: '药店诊所专项检查',
      status: 'active',
      siteTypes: ['pharmacy', 'clinic'],
    });
    const field = await checklists().getVersionForScoring(fieldId ?? 0);
    expect(field.template).toMatchObject({ name: '文明城市实地测评（暗访）', status: 'active' });
    const posters = field.items.find((i) => i.question === '公益广告数量达标');
    expect(posters).toMatchObject({ rule: 'count', comparator: '>=', threshold: 5, unit: '处' });
    expect(field.items.some((i) => i.veto)).toBe(true);
    expect(field.items.some((i) => i.immediate)).toBe(true);

    // A market where everything passes but the veto item: the score is 0, the raw score kept.
    const answers = field.items
      .filter((i) => appliesToSite(i, 'market'))
      .map((i) => ({
        itemKey: i.key,
        outcome: i.veto ? ('fail' as const) : ('pass' as const),
        value: i.rule === 'count' ? 6 : null,
        note: '',
        evidence: ['a'.repeat(64)],
      }));
    const score = scoreVisit(field.items, answers, 'market');
    expect(score.vetoedBy).toBe('5.1');
    expect(score.rate).toBe(0);
    expect(score.rawRate).toBe(1);
    expect(score.problems).toEqual([]);
  });
});
