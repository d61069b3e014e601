import type { LocalizedText } from '../../../shared/errors.ts';
import type { AddressInput } from '../../../shared/registry.ts';
import { type AddressParts, canonicalAddress } from '../../../shared/registry-validation.ts';
import { inScope } from '../people/access.policy.ts';
import { regionScope } from '../people/scope.ts';
import type { StoredAddress } from './address.repository.ts';
import * as addresses from './address.repository.ts';
import { localized } from './registry-columns.ts';
import { type Place, type PlaceInput, PlaceProblem, type Placer } from './registry-place.ts';
import { normalizeSearchText, searchGrams } from './registry-search.ts';
import {
  type AddressValues,
  changeRecord,
  createdOutcomes,
  duplicate,
  existsAlready,
  type Item,
  KEY_LABELS,
  type Outcome,
  outOfScopeText,
  type PlacedAddresses,
  placeValues,
  problemOf,
  type RecordTable,
  type Rejection,
  rejected,
  settleExisting,
  type WriteContext,
} from './registry-writes.ts';

/* Standard addresses: written themselves, and resolved for the records that hang off them. */

const ADDRESS_TEXT = {
  addressNotFound: {
    zh: '地址“{address}”在您的数据范围内不存在：请填写经纬度或所属网格（代码或名称），以便新建',
    en: 'the address "{address}" does not exist in your data scope: give lon/lat or the grid (code or name) to create it',
  },
  addressAmbiguous: {
    zh: '地址“{address}”在多个村居中都有：{villages}，请填写所属网格（代码或名称）',
    en: 'the address "{address}" exists in several villages: {villages}; give the grid (code or name)',
  },
  addressIdNotFound: { zh: '标准地址 {id} 不存在', en: 'standard address {id} does not exist' },
} as const satisfies Record<string, LocalizedText>;

/** The row of an address: its parts as written, the canonical text (its key in the village) and search text. */
export function addressValues(
  parts: AddressParts,
  placed: { place: Place; point: { lon: number; lat: number } | null },
): AddressValues {
  const canonical = canonicalAddress(parts);
  const searchText = normalizeSearchText(`${placed.place.villageName}${canonical}`);
  return {
    ...placeValues(placed.place),
    village_code: placed.place.villageCode,
    road: parts.road.trim(),
    number: parts.number.trim(),
    building: parts.building?.trim() || null,
    unit: parts.unit?.trim() || null,
    room: parts.room?.trim() || null,
    canonical_text: canonical,
    search_text: searchText,
    search_grams: searchGrams(searchText),
    lon: placed.point?.lon ?? null,
    lat: placed.point?.lat ?? null,
  };
}

export const ADDRESS_TABLE = {
  entity: 'address',
  columns: ['road', 'number', 'building', 'unit', 'room', 'lon', 'lat', 'region_code'],
  update: addresses.updateAddress,
} as const satisfies RecordTable<AddressValues>;

/** The place an existing address lies in, for records that follow it. */
export function placeOfAddress(row: StoredAddress, villageName: string): Place {
  return {
    regionCode: row.region_code,
    countyCode: row.county_code,
    villageCode: row.village_code,
    villageName,
  };
}

/** The village name of a stored address, read off its search text (which starts with it). */
export function villageNameOf(row: StoredAddress): string {
  return row.search_text.slice(0, row.search_text.length - normalizeSearchText(row.canonical_text).length);
}

/** An address with a point or a grid code lies where that says; one without is looked for by its text. */
function hasPlace(address: AddressInput): boolean {
  return (address.lon !== null && address.lon !== undefined) || Boolean(address.regionCode);
}

async function placeAddress(
  placer: Placer,
  address: AddressInput,
  memo: PlacedAddresses,
): Promise<AddressValues | LocalizedText[]> {
  const key = [
    address.road,
    address.number,
    address.building,
    address.unit,
    address.room,
    address.lon,
    address.lat,
    address.regionCode,
  ].join('|');
  let values = memo.get(key);
  if (!values) {
    const where = await placer.place(address);
    values = where instanceof PlaceProblem ? problemOf(where) : addressValues(address, where);
    memo.set(key, values);
  }
  return values;
}

/** Places the inline addresses of a batch's inputs ahead of writing them, into `memo` (see `PlacedAddresses`). */
export async function placeAddresses(
  placer: Placer,
  inputs: readonly unknown[],
  memo: PlacedAddresses,
): Promise<void> {
  for (const input of inputs) {
    const address = (input as { address?: AddressInput | null }).address;
    if (address && hasPlace(address)) await placeAddress(placer, address, memo);
  }
}

export interface AddressRef {
  addressId?: number | null | undefined;
  address?: AddressInput | null | undefined;
}

type Resolved = StoredAddress | null | LocalizedText[];

/**
 * The addresses records hang off, in order: one given by id must exist in scope; one given by its parts is
 * found by its canonical text in the village of its place, or created there; one given by its parts without a
 * place is found by its canonical text in the actor's scope. Null where none is given.
 */
export async function resolveAddresses(ctx: WriteContext, refs: readonly AddressRef[]): Promise<Resolved[]> {
  const results: Resolved[] = refs.map(() => null);
  const byId = [
    ...new Set(refs.map((r) => r.addressId).filter((id): id is number => typeof id === 'number')),
  ];
  const found = new Map((await addresses.findAddressRows(ctx.trx, byId)).map((a) => [a.id, a]));
  const placed: { index: number; values: AddressValues }[] = [];
  const memo = ctx.placedAddresses ?? new Map();
  const unplaced: { index: number; canonical: string }[] = [];
  for (const [index, ref] of refs.entries()) {
    if (typeof ref.addressId === 'number') {
      const row = found.get(ref.addressId);
      if (!row) results[index] = [localized(ADDRESS_TEXT.addressIdNotFound, { id: ref.addressId })];
      else if (!inScope(ctx.actor, row.region_code)) {
        results[index] = [outOfScopeText('address', row.region_code)];
      } else results[index] = row;
      continue;
    }
    const address = ref.address;
    if (!address) continue;
    if (!hasPlace(address)) {
      unplaced.push({ index, canonical: canonicalAddress(address) });
      continue;
    }
    const values = await placeAddress(ctx.placer, address, memo);
    if (Array.isArray(values)) results[index] = values;
    else placed.push({ index, values });
  }

  const keyOf = (v: { village_code: string; canonical_text: string }) =>
    `${v.village_code}|${v.canonical_text}`;
  const keys = [...new Map(placed.map((p) => [keyOf(p.values), p.values])).values()];
  const existing = new Map(
    (
      await addresses.findAddressesByKeys(
        ctx.trx,
        keys.map((v) => ({ villageCode: v.village_code, canonical: v.canonical_text })),
      )
    ).map((a) => [keyOf(a), a]),
  );
  const missing = keys.filter((v) => !existing.has(keyOf(v)));
  if (missing.length) {
    const inserted = await addresses.insertAddresses(ctx.trx, missing, ctx.now);
    for (const row of inserted) existing.set(keyOf(row), row);
    createdOutcomes(
      ctx,
      ADDRESS_TABLE,
      inserted.map((values) => ({ row: 0, id: values.id, values })),
    );
    // Inserted by someone else between our read and our insert: read them back.
    const raced = missing.filter((v) => !existing.has(keyOf(v)));
    for (const row of await addresses.findAddressesByKeys(
      ctx.trx,
      raced.map((v) => ({ villageCode: v.village_code, canonical: v.canonical_text })),
    )) {
      existing.set(keyOf(row), row);
    }
  }
  for (const p of placed) results[p.index] = existing.get(keyOf(p.values)) ?? null;

  if (unplaced.length) {
    const candidates = await addresses.findAddressesByCanonical(
      ctx.trx,
      [...new Set(unplaced.map((u) => u.canonical))],
      regionScope(ctx.actor),
    );
    for (const u of unplaced) {
      const matches = candidates.filter((c) => c.canonical_text === u.canonical);
      const [only] = matches;
      if (matches.length === 1 && only) results[u.index] = only;
      else if (matches.length === 0) {
        results[u.index] = [localized(ADDRESS_TEXT.addressNotFound, { address: u.canonical })];
      } else {
        results[u.index] = [
          localized(ADDRESS_TEXT.addressAmbiguous, {
            address: u.canonical,
            villages: matches.map((m) => `${villageNameOf(m)}（${m.region_code}）`).join('、'),
          }),
        ];
      }
    }
  }
  return results;
}

/** Addresses themselves: found by their key in the village of their place, changed where the file says so. */
export async function upsertAddresses(
  ctx: WriteContext,
  items: readonly Item<AddressInput>[],
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const ready: { row: number; values: ReturnType<typeof addressValues> }[] = [];
  for (const item of items) {
    const where = await ctx.placer.place(item.input);
    if (where instanceof PlaceProblem) {
      outcomes.push(rejected(item.row, problemOf(where)));
      continue;
    }
    const values = addressValues(item.input, where);
    const dup = duplicate(
      ctx,
      item.row,
      `${values.village_code}|${values.canonical_text}`,
      KEY_LABELS.address,
    );
    if (dup) outcomes.push(dup);
    else ready.push({ row: item.row, values });
  }
  const existing = new Map(
    (
      await addresses.findAddressesByKeys(
        ctx.trx,
        ready.map((r) => ({ villageCode: r.values.village_code, canonical: r.values.canonical_text })),
      )
    ).map((a) => [`${a.village_code}|${a.canonical_text}`, a]),
  );
  const fresh = await settleExisting(ctx, ADDRESS_TABLE, ready, outcomes, (values) =>
    existing.get(`${values.village_code}|${values.canonical_text}`),
  );
  const inserted = await addresses.insertAddresses(
    ctx.trx,
    fresh.map((f) => f.values),
    ctx.now,
  );
  const insertedByKey = new Map(inserted.map((a) => [`${a.village_code}|${a.canonical_text}`, a]));
  const created = fresh.flatMap((item) => {
    const values = insertedByKey.get(`${item.values.village_code}|${item.values.canonical_text}`);
    return values ? [{ row: item.row, id: values.id, values }] : [];
  });
  return [...outcomes, ...createdOutcomes(ctx, ADDRESS_TABLE, created)];
}

/** Changes one address (by id, at a version); its key may not become another address's. */
export async function updateAddressRecord(
  ctx: WriteContext,
  current: StoredAddress,
  input: AddressInput,
  version: number,
): Promise<Outcome> {
  const where = await ctx.placer.place(input);
  if (where instanceof PlaceProblem) return rejected(0, problemOf(where));
  const values = addressValues(input, where);
  const [clash] = await addresses.findAddressesByKeys(ctx.trx, [
    { villageCode: values.village_code, canonical: values.canonical_text },
  ]);
  if (clash && clash.id !== current.id) return existsAlready('address', 0, clash.id);
  return changeRecord(ctx, ADDRESS_TABLE, 0, current, values, version);
}

type Located = { place: Place; point: { lon: number; lat: number } | null };

/**
 * Resolves the address of each item of a batch and places the item — by its own point or grid, else where its
 * address lies — then builds its prepared form; an item whose address or place is refused becomes a rejection.
 */
export async function placeEach<I extends PlaceInput & AddressRef, P>(
  ctx: WriteContext,
  items: readonly Item<I>[],
  build: (item: Item<I>, address: StoredAddress | null, where: Located) => P,
): Promise<(P | Rejection)[]> {
  const resolved = await resolveAddresses(
    ctx,
    items.map((i) => i.input),
  );
  const prepared: (P | Rejection)[] = [];
  for (const [index, item] of items.entries()) {
    const address = resolved[index] ?? null;
    if (Array.isArray(address)) {
      prepared.push(rejected(item.row, address));
      continue;
    }
    const fallback = address ? placeOfAddress(address, villageNameOf(address)) : null;
    const where = await ctx.placer.place(item.input, fallback);
    prepared.push(
      where instanceof PlaceProblem ? rejected(item.row, problemOf(where)) : build(item, address, where),
    );
  }
  return prepared;
}
