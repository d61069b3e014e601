import { FACILITY_TYPE_LABELS, type FacilityInput } from '../../../shared/registry.ts';
import { resolveAddresses } from './address-writes.ts';
import * as facilities from './facility.repository.ts';
import type { FacilityRow } from './registry.table.ts';
import { PlaceProblem } from './registry-place.ts';
import {
  changeRecord,
  createdOutcomes,
  duplicate,
  existsAlready,
  type Item,
  insertedOf,
  KEY_LABELS,
  newRows,
  type Outcome,
  placeValues,
  problemOf,
  type RecordTable,
  type Rejection,
  rejected,
  searchOf,
  settleExisting,
  type WriteContext,
} from './registry-writes.ts';

/* Facilities: by their code, each at its own point. */

const FACILITY_TABLE = {
  entity: 'facility',
  columns: ['code', 'type', 'name', 'status', 'last_checked_on', 'address_id', 'lon', 'lat', 'region_code'],
  update: facilities.updateFacility,
} as const satisfies RecordTable<Omit<FacilityRow, 'id' | 'version' | 'created_at' | 'updated_at'>>;

async function prepareFacility(ctx: WriteContext, item: Item<FacilityInput>) {
  const where = await ctx.placer.place(item.input);
  if (where instanceof PlaceProblem) return rejected(item.row, problemOf(where));
  const [address] =
    typeof item.input.addressId === 'number' ? await resolveAddresses(ctx, [item.input]) : [null];
  if (Array.isArray(address)) return rejected(item.row, address);
  return {
    row: item.row,
    values: {
      ...placeValues(where.place),
      code: item.input.code.trim(),
      type: item.input.type,
      name: item.input.name ?? null,
      status: item.input.status ?? 'normal',
      last_checked_on: item.input.lastCheckedOn ?? null,
      address_id: address?.id ?? null,
      lon: where.point?.lon ?? item.input.lon,
      lat: where.point?.lat ?? item.input.lat,
      ...searchOf(
        item.input.code,
        item.input.name,
        FACILITY_TYPE_LABELS[item.input.type].zh,
        where.place.villageName,
        address?.canonical_text,
      ),
    },
  };
}

/** Facilities by their code. */
export async function upsertFacilities(
  ctx: WriteContext,
  items: readonly Item<FacilityInput>[],
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const ready: Exclude<Awaited<ReturnType<typeof prepareFacility>>, Rejection>[] = [];
  for (const item of items) {
    const dup = duplicate(ctx, item.row, `facility|${item.input.code.trim()}`, KEY_LABELS.code);
    if (dup) {
      outcomes.push(dup);
      continue;
    }
    const prepared = await prepareFacility(ctx, item);
    if ('status' in prepared) outcomes.push(prepared);
    else ready.push(prepared);
  }
  const existing = new Map(
    (
      await facilities.findFacilitiesByCodes(
        ctx.trx,
        ready.map((r) => r.values.code),
      )
    ).map((f) => [f.code, f]),
  );
  const fresh = await settleExisting(ctx, FACILITY_TABLE, ready, outcomes, (values) =>
    existing.get(values.code),
  );
  const inserted = await facilities.insertFacilities(ctx.trx, newRows(ctx, fresh));
  return [...outcomes, ...createdOutcomes(ctx, FACILITY_TABLE, insertedOf(fresh, inserted))];
}

/** Changes one facility (by id, at a version). */
export async function updateFacilityRecord(
  ctx: WriteContext,
  current: FacilityRow,
  input: FacilityInput,
  version: number,
): Promise<Outcome> {
  const prepared = await prepareFacility(ctx, { row: 0, input });
  if ('status' in prepared) return prepared;
  if (prepared.values.code !== current.code) {
    const [clash] = await facilities.findFacilitiesByCodes(ctx.trx, [prepared.values.code]);
    if (clash) return existsAlready('facility', 0, clash.id);
  }
  return changeRecord(ctx, FACILITY_TABLE, 0, current, prepared.values, version);
}
