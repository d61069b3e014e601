import type { OrganisationInput } from '../../../shared/registry.ts';
import { placeEach } from './address-writes.ts';
import * as organisations from './organisation.repository.ts';
import type { OrganisationRow } from './registry.table.ts';
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
  type RecordTable,
  rejected,
  searchOf,
  settleExisting,
  WRITE_TEXT,
  type WriteContext,
} from './registry-writes.ts';

/* Organisations: by their credit code, or by their name at their address. */

type OrganisationValues = Omit<OrganisationRow, 'id' | 'version' | 'created_at' | 'updated_at'>;

const ORGANISATION_TABLE = {
  entity: 'organisation',
  columns: [
    'name',
    'type',
    'uscc',
    'contact_name',
    'contact_phone',
    'address_id',
    'lon',
    'lat',
    'region_code',
  ],
  update: organisations.updateOrganisation,
} as const satisfies RecordTable<OrganisationValues>;

function prepareOrganisations(ctx: WriteContext, items: readonly Item<OrganisationInput>[]) {
  return placeEach(ctx, items, (item, address, where) => ({
    row: item.row,
    values: {
      ...placeValues(where.place),
      name: item.input.name.trim(),
      type: item.input.type,
      uscc: item.input.uscc ?? null,
      contact_name: item.input.contactName ?? null,
      contact_phone: item.input.contactPhone ?? null,
      address_id: address?.id ?? null,
      lon: where.point?.lon ?? null,
      lat: where.point?.lat ?? null,
      ...searchOf(item.input.name, where.place.villageName, address?.canonical_text),
    },
  }));
}

const organisationKey = (v: { uscc: string | null; name: string; address_id: number | null }) =>
  v.uscc ? `uscc|${v.uscc}` : `name|${v.name}|${v.address_id ?? 0}`;

/** Organisations by their credit code, or — without one — by their name at their address. */
export async function upsertOrganisations(
  ctx: WriteContext,
  items: readonly Item<OrganisationInput>[],
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const ready: { row: number; values: OrganisationValues }[] = [];
  for (const prepared of await prepareOrganisations(ctx, items)) {
    if ('status' in prepared) {
      outcomes.push(prepared);
      continue;
    }
    const dup = duplicate(
      ctx,
      prepared.row,
      `organisation|${organisationKey(prepared.values)}`,
      prepared.values.uscc ? KEY_LABELS.uscc : KEY_LABELS.nameAtAddress,
    );
    if (dup) outcomes.push(dup);
    else ready.push(prepared);
  }
  const existing = new Map(
    (
      await organisations.findOrganisationsByKeys(ctx.trx, {
        usccs: ready.flatMap((r) => (r.values.uscc ? [r.values.uscc] : [])),
        named: ready.flatMap((r) =>
          r.values.uscc ? [] : [{ name: r.values.name, addressId: r.values.address_id }],
        ),
      })
    ).map((o) => [organisationKey(o), o]),
  );
  const fresh = await settleExisting(ctx, ORGANISATION_TABLE, ready, outcomes, (values) =>
    existing.get(organisationKey(values)),
  );
  const inserted = await organisations.insertOrganisations(ctx.trx, newRows(ctx, fresh));
  return [...outcomes, ...createdOutcomes(ctx, ORGANISATION_TABLE, insertedOf(fresh, inserted))];
}

/** Changes one organisation (by id, at a version). */
export async function updateOrganisationRecord(
  ctx: WriteContext,
  current: OrganisationRow,
  input: OrganisationInput,
  version: number,
): Promise<Outcome> {
  const [prepared] = await prepareOrganisations(ctx, [{ row: 0, input }]);
  if (!prepared || 'status' in prepared) return prepared ?? rejected(0, WRITE_TEXT.noAddress);
  if (organisationKey(prepared.values) !== organisationKey(current)) {
    const [clash] = await organisations.findOrganisationsByKeys(ctx.trx, {
      usccs: prepared.values.uscc ? [prepared.values.uscc] : [],
      named: prepared.values.uscc
        ? []
        : [{ name: prepared.values.name, addressId: prepared.values.address_id }],
    });
    if (clash && clash.id !== current.id) return existsAlready('organisation', 0, clash.id);
  }
  return changeRecord(ctx, ORGANISATION_TABLE, 0, current, prepared.values, version);
}
