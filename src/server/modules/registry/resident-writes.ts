import type { ResidentInput } from '../../../shared/registry.ts';
import { checkIdNumber } from '../../../shared/registry-validation.ts';
import { inScope } from '../people/access.policy.ts';
import { resolveHouses } from './house-writes.ts';
import type { HouseRow, ResidentRow } from './registry.table.ts';
import {
  changeRecord,
  createdOutcomes,
  duplicate,
  existsAlready,
  type Item,
  KEY_LABELS,
  type Outcome,
  outOfScope,
  type RecordTable,
  rejected,
  WRITE_TEXT,
  type WriteContext,
} from './registry-writes.ts';
import * as residents from './resident.repository.ts';

/* Residents: by their ID number, living in a house given by id or by its address. */

function residentValues(input: ResidentInput, house: HouseRow, now: Date) {
  const facts = checkIdNumber(input.idNumber, now);
  if (!facts.ok) throw new Error('an unchecked ID number reached the writer');
  return {
    region_code: house.region_code,
    county_code: house.county_code,
    id_number: facts.value.idNumber,
    name: input.name.trim(),
    sex: facts.value.sex,
    birth_date: facts.value.birthDate,
    phone: input.phone ?? null,
    kind: input.kind,
    house_id: house.id,
    household_no: input.householdNo ?? null,
    relation: input.relation ?? null,
    care_tags: [...new Set(input.careTags ?? [])].sort(),
  };
}

const RESIDENT_TABLE = {
  entity: 'resident',
  columns: [
    'name',
    'id_number',
    'phone',
    'kind',
    'house_id',
    'household_no',
    'relation',
    'care_tags',
    'region_code',
  ],
  update: residents.updateResident,
} as const satisfies RecordTable<ReturnType<typeof residentValues>>;

/** Residents by their ID number. A person recorded outside the actor's scope is not touched. */
export async function upsertResidents(
  ctx: WriteContext,
  items: readonly Item<ResidentInput>[],
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const unique: Item<ResidentInput>[] = [];
  for (const item of items) {
    const dup = duplicate(ctx, item.row, `resident|${item.input.idNumber}`, KEY_LABELS.idNumber);
    if (dup) outcomes.push(dup);
    else unique.push(item);
  }
  const existing = new Map(
    (
      await residents.findResidentsByIdNumbers(
        ctx.trx,
        unique.map((i) => i.input.idNumber),
      )
    ).map((r) => [r.id_number, r]),
  );
  const candidates: Item<ResidentInput>[] = [];
  for (const item of unique) {
    const current = existing.get(item.input.idNumber);
    if (!current) candidates.push(item);
    else if (ctx.mode === 'create') outcomes.push(existsAlready('resident', item.row, current.id));
    else if (!inScope(ctx.actor, current.region_code)) {
      outcomes.push(outOfScope('resident', item.row, current.region_code));
    } else candidates.push(item);
  }
  const dwellings = await resolveHouses(
    ctx,
    candidates.map((c) => c.input),
  );
  const fresh: { row: number; values: ReturnType<typeof residentValues> }[] = [];
  for (const [index, item] of candidates.entries()) {
    const house = dwellings[index];
    if (!house || Array.isArray(house)) {
      outcomes.push(rejected(item.row, house ?? [WRITE_TEXT.noAddress]));
      continue;
    }
    const values = residentValues(item.input, house, ctx.now);
    const current = existing.get(values.id_number);
    if (!current) {
      fresh.push({ row: item.row, values });
      continue;
    }
    outcomes.push(await changeRecord(ctx, RESIDENT_TABLE, item.row, current, values, null));
  }
  const inserted = await residents.insertResidents(
    ctx.trx,
    fresh.map((f) => f.values),
    ctx.now,
  );
  const ids = new Map(inserted.map((r) => [r.id_number, r.id]));
  const created = fresh.flatMap((item) => {
    const id = ids.get(item.values.id_number);
    return id === undefined ? [] : [{ row: item.row, id, values: item.values }];
  });
  return [...outcomes, ...createdOutcomes(ctx, RESIDENT_TABLE, created)];
}

/** Changes one resident (by id, at a version). */
export async function updateResidentRecord(
  ctx: WriteContext,
  current: ResidentRow,
  input: ResidentInput,
  version: number,
): Promise<Outcome> {
  if (input.idNumber !== current.id_number) {
    const [clash] = await residents.findResidentsByIdNumbers(ctx.trx, [input.idNumber]);
    if (clash) return existsAlready('resident', 0, clash.id);
  }
  const [house] = await resolveHouses(ctx, [input]);
  if (!house || Array.isArray(house)) return rejected(0, house ?? [WRITE_TEXT.noAddress]);
  return changeRecord(ctx, RESIDENT_TABLE, 0, current, residentValues(input, house, ctx.now), version);
}
