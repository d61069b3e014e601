import type { LocalizedText } from '../../../shared/errors.ts';
import type { BuildingInput } from '../../../shared/registry.ts';
import { inScope } from '../people/access.policy.ts';
import { placeEach } from './address-writes.ts';
import * as buildings from './building.repository.ts';
import type { BuildingRow } from './registry.table.ts';
import { localized } from './registry-columns.ts';
import {
  changeRecord,
  createdOutcomes,
  duplicate,
  existsAlready,
  type Item,
  insertedOf,
  KEY_LABELS,
  type Outcome,
  outOfScopeText,
  placeValues,
  type RecordTable,
  type Rejection,
  rejected,
  searchOf,
  WRITE_TEXT,
  type WriteContext,
} from './registry-writes.ts';

/* Buildings: by their standard code, numbered in their grid when new; and the buildings houses name. */

const BUILDING_TEXT = {
  buildingIdNotFound: { zh: '建筑物 {id} 不存在', en: 'building {id} does not exist' },
  unknownBuildingCode: {
    zh: '建筑物编码 {code} 不存在（新建筑物请留空编码，由系统按网格编码）',
    en: 'building code {code} does not exist (leave it empty for a new building: gridgov numbers it by grid)',
  },
  buildingNeedsAddress: {
    zh: '请填写建筑物编码或地址，以确定是哪一栋建筑物',
    en: 'give the building code or its address, so the building can be told apart',
  },
} as const satisfies Record<string, LocalizedText>;

const BUILDING_TABLE = {
  entity: 'building',
  columns: ['name', 'floors', 'address_id', 'lon', 'lat', 'region_code'],
  update: buildings.updateBuilding,
} as const satisfies RecordTable<PreparedBuilding['values']>;

export type BuildingItem = BuildingInput & { code?: string | null };

interface PreparedBuilding {
  row: number;
  code: string | null;
  values: {
    region_code: string;
    county_code: string;
    name: string;
    floors: number | null;
    address_id: number | null;
    lon: number | null;
    lat: number | null;
    search_text: string;
    search_grams: string[];
  };
  villageName: string;
  addressText: string | null;
}

function prepareBuildings(
  ctx: WriteContext,
  items: readonly Item<BuildingItem>[],
): Promise<(PreparedBuilding | Rejection)[]> {
  return placeEach(ctx, items, (item, address, where) => ({
    row: item.row,
    code: item.input.code ?? null,
    values: {
      ...placeValues(where.place),
      name: item.input.name.trim(),
      floors: item.input.floors ?? null,
      address_id: address?.id ?? null,
      lon: where.point?.lon ?? null,
      lat: where.point?.lat ?? null,
      ...searchOf(item.input.name, where.place.villageName, address?.canonical_text),
    },
    villageName: where.place.villageName,
    addressText: address?.canonical_text ?? null,
  }));
}

/**
 * Buildings by their standard code, or — without one — by their address. A new building is numbered in the grid
 * it lies in: the grid code and the next free 4-digit sequence.
 */
export async function upsertBuildings(
  ctx: WriteContext,
  items: readonly Item<BuildingItem>[],
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const ready: PreparedBuilding[] = [];
  for (const prepared of await prepareBuildings(ctx, items)) {
    if ('status' in prepared) {
      outcomes.push(prepared);
      continue;
    }
    if (!prepared.code && prepared.values.address_id === null) {
      outcomes.push(rejected(prepared.row, BUILDING_TEXT.buildingNeedsAddress));
      continue;
    }
    const key = prepared.code ? `code|${prepared.code}` : `address|${prepared.values.address_id}`;
    const dup = duplicate(
      ctx,
      prepared.row,
      `building|${key}`,
      prepared.code ? KEY_LABELS.code : KEY_LABELS.address,
    );
    if (dup) outcomes.push(dup);
    else ready.push(prepared);
  }
  const byCode = new Map(
    (
      await buildings.findBuildingsByCodes(
        ctx.trx,
        ready.flatMap((r) => (r.code ? [r.code] : [])),
      )
    ).map((b) => [b.code, b]),
  );
  const byAddress = new Map(
    (
      await buildings.findBuildingsByAddresses(
        ctx.trx,
        ready.flatMap((r) => (!r.code && r.values.address_id !== null ? [r.values.address_id] : [])),
      )
    ).map((b) => [b.address_id, b]),
  );
  const fresh: PreparedBuilding[] = [];
  for (const item of ready) {
    const current = item.code ? byCode.get(item.code) : byAddress.get(item.values.address_id);
    if (item.code && !current) {
      outcomes.push(rejected(item.row, localized(BUILDING_TEXT.unknownBuildingCode, { code: item.code })));
    } else if (!current) fresh.push(item);
    else if (ctx.mode === 'create') outcomes.push(existsAlready('building', item.row, current.id));
    else outcomes.push(await changeBuilding(ctx, item.row, current, item, null));
  }
  if (fresh.length === 0) return outcomes;
  const sequences = await buildings.lockAndReadBuildingSequences(ctx.trx, [
    ...new Set(fresh.map((f) => f.values.region_code)),
  ]);
  const rows = fresh.map((f) => {
    const seq = (sequences.get(f.values.region_code) ?? 0) + 1;
    sequences.set(f.values.region_code, seq);
    const code = `${f.values.region_code}${String(seq).padStart(4, '0')}`;
    return {
      ...f.values,
      ...searchOf(f.values.name, code, f.villageName, f.addressText),
      code,
      created_at: ctx.now,
      updated_at: ctx.now,
    };
  });
  const inserted = await buildings.insertBuildings(ctx.trx, rows);
  const created = insertedOf(fresh, inserted);
  return [
    ...outcomes,
    ...createdOutcomes(ctx, { ...BUILDING_TABLE, columns: ['code', ...BUILDING_TABLE.columns] }, created),
  ];
}

/** A building changed: its search text keeps its code, given once. */
function changeBuilding(
  ctx: WriteContext,
  row: number,
  current: BuildingRow,
  item: PreparedBuilding,
  version: number | null,
): Promise<Outcome> {
  const values = {
    ...item.values,
    ...searchOf(item.values.name, current.code, item.villageName, item.addressText),
  };
  return changeRecord(ctx, BUILDING_TABLE, row, current, values, version);
}

/** Changes one building (by id, at a version); its code stays. */
export async function updateBuildingRecord(
  ctx: WriteContext,
  current: BuildingRow,
  input: BuildingInput,
  version: number,
): Promise<Outcome> {
  const [prepared] = await prepareBuildings(ctx, [{ row: 0, input }]);
  if (!prepared || 'status' in prepared) return prepared ?? rejected(0, WRITE_TEXT.noAddress);
  if (prepared.values.address_id !== null && prepared.values.address_id !== current.address_id) {
    const [clash] = await buildings.findBuildingsByAddresses(ctx.trx, [prepared.values.address_id]);
    if (clash) return existsAlready('building', 0, clash.id);
  }
  return changeBuilding(ctx, 0, current, prepared, version);
}

/** Building ids from the codes or ids of a batch, checked to exist and to be in scope. */
export async function resolveBuildings(
  ctx: WriteContext,
  items: readonly { buildingId?: number | null | undefined; buildingCode?: string | null | undefined }[],
): Promise<(BuildingRow | null | LocalizedText[])[]> {
  const codes = [...new Set(items.map((i) => i.buildingCode).filter((c): c is string => Boolean(c)))];
  const byCode = new Map((await buildings.findBuildingsByCodes(ctx.trx, codes)).map((b) => [b.code, b]));
  const results: (BuildingRow | null | LocalizedText[])[] = [];
  for (const item of items) {
    let building: BuildingRow | undefined;
    if (item.buildingCode) {
      building = byCode.get(item.buildingCode);
      if (!building) {
        results.push([localized(BUILDING_TEXT.unknownBuildingCode, { code: item.buildingCode })]);
        continue;
      }
    } else if (typeof item.buildingId === 'number') {
      building = await buildings.findBuildingRow(ctx.trx, item.buildingId);
      if (!building) {
        results.push([localized(BUILDING_TEXT.buildingIdNotFound, { id: item.buildingId })]);
        continue;
      }
    }
    if (building && !inScope(ctx.actor, building.region_code)) {
      results.push([outOfScopeText('building', building.region_code)]);
      continue;
    }
    results.push(building ?? null);
  }
  return results;
}
