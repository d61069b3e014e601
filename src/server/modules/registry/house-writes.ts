import type { LocalizedText } from '../../../shared/errors.ts';
import type { AddressInput, HouseInput, HouseUse } from '../../../shared/registry.ts';
import { inScope } from '../people/access.policy.ts';
import type { StoredAddress } from './address.repository.ts';
import { resolveAddresses } from './address-writes.ts';
import { resolveBuildings } from './building-writes.ts';
import * as houses from './house.repository.ts';
import type { BuildingRow, HouseRow } from './registry.table.ts';
import { localized } from './registry-columns.ts';
import {
  changeRecord,
  createdOutcomes,
  duplicate,
  existsAlready,
  type Item,
  KEY_LABELS,
  type Outcome,
  outOfScopeText,
  type RecordTable,
  rejected,
  settleExisting,
  WRITE_TEXT,
  type WriteContext,
} from './registry-writes.ts';

/* Houses: one per standard address; and the houses residents live in, created where there is none. */

const HOUSE_TEXT = {
  houseIdNotFound: { zh: '房屋 {id} 不存在', en: 'house {id} does not exist' },
} as const satisfies Record<string, LocalizedText>;

export type HouseItem = HouseInput & { buildingCode?: string | null };

function houseValues(input: HouseItem, address: StoredAddress, building: BuildingRow | null) {
  return {
    region_code: address.region_code,
    county_code: address.county_code,
    address_id: address.id,
    building_id: building?.id ?? null,
    use: input.use,
    area_m2: input.areaSquareMetres ?? null,
    landlord_name: input.landlordName ?? null,
    landlord_phone: input.landlordPhone ?? null,
    landlord_id_number: input.landlordIdNumber ?? null,
  };
}

const HOUSE_TABLE = {
  entity: 'house',
  columns: [
    'address_id',
    'building_id',
    'use',
    'area_m2',
    'landlord_name',
    'landlord_phone',
    'landlord_id_number',
    'region_code',
  ],
  update: houses.updateHouse,
} as const satisfies RecordTable<ReturnType<typeof houseValues>>;

/** Houses by their address: one house per standard address. */
export async function upsertHouses(ctx: WriteContext, items: readonly Item<HouseItem>[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const [resolved, buildingRows] = [
    await resolveAddresses(
      ctx,
      items.map((i) => i.input),
    ),
    await resolveBuildings(
      ctx,
      items.map((i) => i.input),
    ),
  ];
  const ready: { row: number; values: ReturnType<typeof houseValues> }[] = [];
  for (const [index, item] of items.entries()) {
    const address = resolved[index];
    const building = buildingRows[index];
    if (address === null || address === undefined) {
      outcomes.push(rejected(item.row, WRITE_TEXT.noAddress));
      continue;
    }
    if (Array.isArray(address) || Array.isArray(building)) {
      outcomes.push(
        rejected(item.row, [
          ...(Array.isArray(address) ? address : []),
          ...(Array.isArray(building) ? building : []),
        ]),
      );
      continue;
    }
    const dup = duplicate(ctx, item.row, `house|${address.id}`, KEY_LABELS.address);
    if (dup) outcomes.push(dup);
    else ready.push({ row: item.row, values: houseValues(item.input, address, building ?? null) });
  }
  const existing = new Map(
    (
      await houses.findHousesByAddresses(
        ctx.trx,
        ready.map((r) => r.values.address_id),
      )
    ).map((h) => [h.address_id, h]),
  );
  const fresh = await settleExisting(ctx, HOUSE_TABLE, ready, outcomes, (values) =>
    existing.get(values.address_id),
  );
  const inserted = await houses.insertHouses(
    ctx.trx,
    fresh.map((f) => f.values),
    ctx.now,
  );
  const byAddress = new Map(inserted.map((h) => [h.address_id, h]));
  const created = fresh.flatMap((item) => {
    const values = byAddress.get(item.values.address_id);
    return values ? [{ row: item.row, id: values.id, values }] : [];
  });
  return [...outcomes, ...createdOutcomes(ctx, HOUSE_TABLE, created)];
}

/** Changes one house (by id, at a version). */
export async function updateHouseRecord(
  ctx: WriteContext,
  current: HouseRow,
  input: HouseItem,
  version: number,
): Promise<Outcome> {
  const [address] = await resolveAddresses(ctx, [input]);
  const [building] = await resolveBuildings(ctx, [input]);
  if (!address) return rejected(0, WRITE_TEXT.noAddress);
  if (Array.isArray(address) || Array.isArray(building)) {
    return rejected(0, [
      ...(Array.isArray(address) ? address : []),
      ...(Array.isArray(building) ? building : []),
    ]);
  }
  if (address.id !== current.address_id) {
    const [clash] = await houses.findHousesByAddresses(ctx.trx, [address.id]);
    if (clash) return existsAlready('house', 0, clash.id);
  }
  return changeRecord(ctx, HOUSE_TABLE, 0, current, houseValues(input, address, building ?? null), version);
}

/** The houses residents live in: given by id, or the house at an address — created there when there is none. */
export async function resolveHouses(
  ctx: WriteContext,
  items: readonly {
    houseId?: number | null | undefined;
    address?: AddressInput | null;
    houseUse?: HouseUse | undefined;
  }[],
): Promise<(HouseRow | LocalizedText[])[]> {
  const results: (HouseRow | LocalizedText[])[] = [];
  const resolved = await resolveAddresses(
    ctx,
    items.map((i) => (typeof i.houseId === 'number' ? {} : { address: i.address })),
  );
  const addressIds = resolved
    .filter((r): r is StoredAddress => r !== null && !Array.isArray(r))
    .map((a) => a.id);
  const byAddress = new Map(
    (await houses.findHousesByAddresses(ctx.trx, addressIds)).map((h) => [h.address_id, h]),
  );
  const toCreate = new Map<number, ReturnType<typeof houseValues>>();
  for (const [index, item] of items.entries()) {
    const address = resolved[index];
    if (address && !Array.isArray(address) && !byAddress.has(address.id) && !toCreate.has(address.id)) {
      toCreate.set(address.id, houseValues({ use: item.houseUse ?? 'selfOccupied' }, address, null));
    }
  }
  const inserted = await houses.insertHouses(ctx.trx, [...toCreate.values()], ctx.now);
  for (const row of inserted) byAddress.set(row.address_id, row);
  createdOutcomes(
    ctx,
    HOUSE_TABLE,
    inserted.map((values) => ({ row: 0, id: values.id, values })),
  );
  if (inserted.length < toCreate.size) {
    for (const row of await houses.findHousesByAddresses(ctx.trx, [...toCreate.keys()]))
      byAddress.set(row.address_id, row);
  }
  for (const [index, item] of items.entries()) {
    if (typeof item.houseId === 'number') {
      const house = await houses.findHouseRow(ctx.trx, item.houseId);
      if (!house) results.push([localized(HOUSE_TEXT.houseIdNotFound, { id: item.houseId })]);
      else if (!inScope(ctx.actor, house.region_code))
        results.push([outOfScopeText('house', house.region_code)]);
      else results.push(house);
      continue;
    }
    const address = resolved[index];
    if (address === null || address === undefined) results.push([WRITE_TEXT.noAddress]);
    else if (Array.isArray(address)) results.push(address);
    else {
      const house = byAddress.get(address.id);
      results.push(house ?? [WRITE_TEXT.noAddress]);
    }
  }
  return results;
}
