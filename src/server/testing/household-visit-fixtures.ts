/*
 * Test fixtures of household-visit campaigns: a small 三询问一完善 form, a synthetic registry over the test
 * territory's four leaf grids, and 河清's campaign records with marker strings for the all-routes scope walk.
 */
import type { FormDefinitionInput } from '../../shared/forms.ts';
import { syntheticHouseholds } from '../modules/forms/household-visit-synthetic.ts';
import type { Actor } from '../modules/people/actor.ts';
import { systemActor } from '../modules/people/actor.ts';
import type { TestContext } from './test-database.ts';

/** Who lives here, tested, safe at home, what hardship — bulky rubbish raises a case in 06011. */
export const VISIT_TEST_FORM: FormDefinitionInput = {
  questions: [
    {
      name: 'residents',
      type: 'integer',
      label: { zh: '实住人数', en: 'People living here' },
      required: true,
      constraint: '. >= 0 and . <= 50',
      constraintMessage: { zh: '人数应在 0–50 之间', en: 'between 0 and 50 people' },
      registryField: 'household.residentCount',
    },
    {
      name: 'headPhone',
      type: 'phone',
      label: { zh: '户主电话', en: "Head's phone" },
      registryField: 'household.headPhone',
    },
    { name: 'tested', type: 'yesNo', label: { zh: '是否已检测', en: 'Tested' } },
    { name: 'safe', type: 'yesNo', label: { zh: '居家是否安全', en: 'Safe at home' }, required: true },
    {
      name: 'hardship',
      type: 'selectMultiple',
      label: { zh: '困难诉求', en: 'Hardship' },
      choices: [
        { value: 'none', label: { zh: '无', en: 'None' } },
        {
          value: 'bulkyRubbish',
          label: { zh: '大件垃圾待清运', en: 'Bulky rubbish' },
          raisesCase: { categoryCode: '06011' },
        },
        { value: 'elderlyCare', label: { zh: '老人照护', en: 'Elderly care' } },
      ],
    },
    { name: 'note', type: 'text', label: { zh: '备注', en: 'Note' } },
  ],
};

/** A published form of the region, written straight into the forms tables (the forms module's own data). */
export async function insertPublishedForm(
  ctx: TestContext,
  options: { code: string; regionCode: string; definition?: FormDefinitionInput },
): Promise<number> {
  const now = ctx.clock.now();
  const title = JSON.stringify({ zh: '三询问一完善', en: 'Three questions, one registry check' });
  const form = await ctx.database.db
    .insertInto('forms')
    .values({
      code: options.code,
      title,
      region_code: options.regionCode,
      county_code: options.regionCode.slice(0, 6),
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.database.db
    .insertInto('form_versions')
    .values({
      form_id: form.id,
      version: 1,
      title,
      definition: JSON.stringify(options.definition ?? VISIT_TEST_FORM),
      published_at: now,
      created_at: now,
    })
    .execute();
  return form.id;
}

/** Households spread evenly over the test territory's four leaf grids (both villages of 九江镇). */
export async function seedVisitRegistry(ctx: TestContext, householdsPerGrid = 10): Promise<void> {
  const system = systemActor();
  const leaves = await ctx.services.territory.listGridFeatures(system, { root: '440605121', level: 'leaf' });
  const grids = leaves.features.map((f) => {
    const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0]?.[0];
    const lons = (ring ?? []).map((p) => p[0] ?? 0);
    const lats = (ring ?? []).map((p) => p[1] ?? 0);
    return {
      code: f.properties.code,
      villageName: f.properties.code.startsWith('440605121015') ? '河清社区' : '英明社区',
      bbox: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)] as [
        number,
        number,
        number,
        number,
      ],
    };
  });
  await ctx.services.registry.loadSynthetic(system, syntheticHouseholds(grids, householdsPerGrid));
}

/** Marker strings of 河清's household visit: an answer that shows one to another village has leaked. */
export const HOUSEHOLD_VISIT_MARKERS = { householdVisitNote: '河清走访秘密备注' };

/**
 * For the all-routes scope walk: a town-wide campaign (so 英明's users see the campaign itself) and a visit by
 * 河清's grid worker to the household at `houseId`, its note a marker. Returns the ids the walk's paths take.
 */
export async function seedHouseholdVisitScope(
  ctx: TestContext,
  worker: Actor,
  houseId: number,
): Promise<Record<string, string>> {
  const formId = await insertPublishedForm(ctx, { code: 'scope-visit-form', regionCode: '440605121' });
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const campaign = await ctx.services.householdVisits.createCampaign(systemActor(), {
    name: '九江镇入户走访',
    formId,
    regionCodes: ['440605121'],
    unit: 'household',
    startsOn: '2026-01-01',
    endsOn: today > '2026-12-31' ? today : '2026-12-31',
  });
  const visit = await ctx.services.householdVisits.recordVisit(worker, campaign.id, {
    clientKey: 'heqing-household-visit-1',
    household: `${houseId}:`,
    visitedAt: ctx.clock.now().toISOString(),
    answers: {
      residents: 1,
      safe: 'yes',
      hardship: ['none'],
      note: HOUSEHOLD_VISIT_MARKERS.householdVisitNote,
    },
  });
  return { 'visit-campaigns': String(campaign.id), 'household-visits': String(visit.id) };
}
