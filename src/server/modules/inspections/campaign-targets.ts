/**
 * Where a campaign's targets come from, and which of them are visited: the registry's organisations (all of
 * some types in a subtree, or by id), facilities and addresses by id, whole grids, or a place added by hand and
 * located into its grid; a seeded random sample of them; and the rounds its recurrence makes of the period.
 */
import {
  MAX_TARGETS_PER_SELECTION,
  type ManualTargetInput,
  SITE_TYPE_OF_ORGANISATION,
  type TargetSelection,
} from '../../../shared/campaigns.ts';
import { type ErrorParams, type LocalizedText, labelWithCode, say } from '../../../shared/errors.ts';
import type { Recurrence } from '../../../shared/inspections.ts';
import type { Organisation, RegistryEntity } from '../../../shared/registry.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../people/actor.ts';
import type { RegistryService } from '../registry/registry.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import type { CampaignTargetTable } from './inspection.table.ts';

export type NewTarget = Omit<CampaignTargetTable, 'id' | 'sampled' | 'campaign_id'>;

export interface TargetSourceDeps {
  registry: Pick<RegistryService, 'listRecords' | 'getRecord'>;
  territory: Pick<TerritoryService, 'locateCode' | 'getRegionSummary'>;
}

const TEXT = {
  outsideArea: {
    zh: '{target} 不在本次检查的范围（{area}）内',
    en: '{target} lies outside the campaign area ({area})',
  },
  tooMany: {
    zh: '一次最多添加 {limit} 个检查对象，请缩小范围',
    en: 'at most {limit} targets can be added at once: narrow the selection',
  },
  notAGrid: { zh: '{target} 不是网格', en: '{target} is not a grid' },
  pointOutside: {
    zh: '经纬度 {lon}, {lat} 不在任何网格内',
    en: 'the point {lon}, {lat} is not inside any grid',
  },
} as const satisfies Record<string, LocalizedText>;

/** A bilingual text with its placeholders filled, in both languages. */
export function filled(text: LocalizedText, params: ErrorParams = {}): LocalizedText {
  return { zh: say(text, 'zh-CN', params), en: say(text, 'en-US', params) };
}

/** Input the campaign cannot take: 400, naming what is wrong. */
export function refuse(text: LocalizedText, params: ErrorParams = {}): AppError {
  return new AppError('VALIDATION_FAILED', { summary: filled(text, params) });
}

function assertInArea(area: { code: string; name: string }, regionCode: string, target: LocalizedText): void {
  if (!regionCode.startsWith(area.code))
    throw refuse(TEXT.outsideArea, { target, area: labelWithCode(area.name, area.code) });
}

function organisationTarget(org: Organisation): NewTarget {
  return {
    kind: 'organisation',
    ref_id: org.id,
    name: org.name,
    site_type: SITE_TYPE_OF_ORGANISATION[org.type],
    region_code: org.regionCode,
    address: org.address?.fullText ?? null,
    lon: org.lon,
    lat: org.lat,
  };
}

/** Every organisation of the types under `regionCode`, read a page at a time through the registry. */
async function organisationsOfTypes(
  deps: TargetSourceDeps,
  actor: Actor,
  selection: Extract<TargetSelection, { source: 'organisationTypes' }>,
  regionCode: string,
): Promise<NewTarget[]> {
  const found: NewTarget[] = [];
  for (const type of new Set(selection.types)) {
    for (let page = 1; ; page++) {
      const { items, more } = await deps.registry.listRecords(actor, 'organisation', {
        type,
        regionCode,
        page,
        pageSize: 200,
      });
      found.push(...items.map(organisationTarget));
      if (found.length > MAX_TARGETS_PER_SELECTION)
        throw refuse(TEXT.tooMany, { limit: MAX_TARGETS_PER_SELECTION });
      if (!more || items.length === 0) break;
    }
  }
  return found;
}

/** Registry records by id, each checked to be visible to the actor (the registry's rule) and in the area. */
async function recordsById<E extends RegistryEntity>(
  deps: TargetSourceDeps,
  actor: Actor,
  entity: E,
  ids: readonly number[],
) {
  const records = [];
  for (const id of new Set(ids)) records.push(await deps.registry.getRecord(actor, entity, id));
  return records;
}

/**
 * The targets a selection names, each in the campaign's area. Nothing is written: the caller inserts them
 * (a registry record already on the campaign is skipped there).
 */
export async function resolveSelection(
  deps: TargetSourceDeps,
  actor: Actor,
  area: { code: string; name: string },
  selection: TargetSelection,
): Promise<NewTarget[]> {
  let targets: NewTarget[];
  switch (selection.source) {
    case 'organisationTypes': {
      const root = selection.regionCode ?? area.code;
      const region = await deps.territory.getRegionSummary(root);
      assertInArea(area, region.code, labelWithCode(region.name, region.code));
      targets = await organisationsOfTypes(deps, actor, selection, region.code);
      break;
    }
    case 'organisations':
      targets = (await recordsById(deps, actor, 'organisation', selection.ids)).map(organisationTarget);
      break;
    case 'facilities':
      targets = (await recordsById(deps, actor, 'facility', selection.ids)).map((f) => ({
        kind: 'facility' as const,
        ref_id: f.id,
        name: f.name ?? f.code,
        site_type: selection.siteType,
        region_code: f.regionCode,
        address: f.address?.fullText ?? null,
        lon: f.lon,
        lat: f.lat,
      }));
      break;
    case 'addresses':
      targets = (await recordsById(deps, actor, 'address', selection.ids)).map((a) => ({
        kind: 'address' as const,
        ref_id: a.id,
        name: a.fullText,
        site_type: selection.siteType,
        region_code: a.regionCode,
        address: a.fullText,
        lon: a.lon,
        lat: a.lat,
      }));
      break;
    case 'grids': {
      targets = [];
      for (const code of new Set(selection.regionCodes)) {
        const grid = await deps.territory.getRegionSummary(code);
        if (grid.level !== 'grid')
          throw refuse(TEXT.notAGrid, { target: labelWithCode(grid.name, grid.code) });
        targets.push({
          kind: 'grid',
          ref_id: null,
          name: grid.name,
          site_type: selection.siteType,
          region_code: grid.code,
          address: null,
          lon: null,
          lat: null,
        });
      }
      break;
    }
  }
  for (const target of targets)
    assertInArea(area, target.region_code, labelWithCode(target.name, target.region_code));
  return targets;
}

/** A place added by hand, located into its leaf grid by its point. */
export async function manualTarget(
  deps: TargetSourceDeps,
  area: { code: string; name: string },
  input: ManualTargetInput,
): Promise<NewTarget> {
  const grid = await deps.territory.locateCode(input.lon, input.lat);
  if (!grid) throw refuse(TEXT.pointOutside, { lon: input.lon, lat: input.lat });
  assertInArea(area, grid, labelWithCode(input.name, grid));
  return {
    kind: 'manual',
    ref_id: null,
    name: input.name,
    site_type: input.siteType,
    region_code: grid,
    address: input.address ?? null,
    lon: input.lon,
    lat: input.lat,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Sampling.

/** FNV-1a of the seed text: the state of the generator below. */
function hashSeed(seed: string): number {
  let hash = 0x811c9dc5;
  for (const char of seed) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** mulberry32: a small generator whose sequence a seed fixes on every machine. */
function generator(seed: string): () => number {
  let state = hashSeed(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `size` of the ids, drawn at random with the seed: the same seed over the same targets draws the same sample
 * wherever it is run, so a sample can be shown to be the one recorded. Answered in ascending order.
 */
export function drawSample(ids: readonly number[], size: number, seed: string): number[] {
  const pool = [...ids].sort((a, b) => a - b);
  const next = generator(seed);
  const count = Math.min(size, pool.length);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
  }
  return pool.slice(0, count).sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------------------
// Rounds.

function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** The day after the end of the calendar week (Monday to Sunday) or month `date` lies in. */
function nextPeriodStart(date: string, recurrence: Exclude<Recurrence, 'once'>): string {
  const at = new Date(`${date}T00:00:00Z`);
  if (recurrence === 'weekly') return addDays(date, 7 - ((at.getUTCDay() + 6) % 7));
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

/**
 * The regular rounds of a period: one for the whole period ('once'), or one per calendar week or month it
 * touches, each due at the end of its week or month (the first and last cut to the period).
 */
export function planRounds(
  startsOn: string,
  endsOn: string,
  recurrence: Recurrence,
): { opens_on: string; due_on: string }[] {
  if (recurrence === 'once') return [{ opens_on: startsOn, due_on: endsOn }];
  const rounds: { opens_on: string; due_on: string }[] = [];
  for (let opens = startsOn; opens <= endsOn; ) {
    const next = nextPeriodStart(opens, recurrence);
    const due = addDays(next, -1);
    rounds.push({ opens_on: opens, due_on: due < endsOn ? due : endsOn });
    opens = next;
  }
  return rounds;
}
