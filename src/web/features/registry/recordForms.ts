import type { LocalizedText } from '../../../shared/errors.ts';
import {
  CARE_TAG_LABELS,
  FACILITY_STATUS_LABELS,
  FACILITY_TYPE_LABELS,
  HOUSE_USE_LABELS,
  ORGANISATION_TYPE_LABELS,
  RELATION_LABELS,
  RESIDENT_KIND_LABELS,
  type RegistryEntity,
} from '../../../shared/registry.ts';
import {
  type CheckResult,
  checkIdNumber,
  checkPhone,
  checkUscc,
} from '../../../shared/registry-validation.ts';
import type { AnyRecord } from './records.tsx';

/* What the create and edit forms of each type hold, and what they send: no React here, so it is unit-tested. */

export type Kind = 'text' | 'number' | 'select' | 'tags' | 'region' | 'date';
export interface FieldSpec {
  name: string;
  kind: Kind;
  required?: boolean;
  choices?: Record<string, LocalizedText>;
  /** A coded value checked as the server checks it (GB 11643, GB 32100, phone numbers). */
  check?: (value: string) => CheckResult<unknown>;
  /** Personal data: never filled in from the record (it is masked); left empty it stays as it is. */
  sensitive?: boolean;
  createOnly?: boolean;
}

export const PLACE: FieldSpec[] = [
  { name: 'lon', kind: 'number' },
  { name: 'lat', kind: 'number' },
  { name: 'regionCode', kind: 'region' },
];
export const ADDRESS_PARTS: FieldSpec[] = [
  { name: 'road', kind: 'text', required: true },
  { name: 'number', kind: 'text', required: true },
  { name: 'building', kind: 'text' },
  { name: 'unit', kind: 'text' },
  { name: 'room', kind: 'text' },
];

/**
 * The form of each type: its own fields, whether it takes an address (`address: { road, number, … }`, found or
 * created on the server) and a place (point, or grid / village). Mirrors the input schemas of
 * src/shared/registry.ts, which the server checks again.
 */
export const FORMS: Record<
  RegistryEntity,
  { fields: FieldSpec[]; address: 'none' | 'optional' | 'required'; place: boolean }
> = {
  address: { fields: ADDRESS_PARTS, address: 'none', place: true },
  building: {
    fields: [
      { name: 'name', kind: 'text', required: true },
      { name: 'floors', kind: 'number' },
    ],
    address: 'optional',
    place: true,
  },
  house: {
    fields: [
      { name: 'use', kind: 'select', required: true, choices: HOUSE_USE_LABELS },
      { name: 'areaSquareMetres', kind: 'number' },
      { name: 'landlordName', kind: 'text' },
      { name: 'landlordPhone', kind: 'text', check: checkPhone, sensitive: true },
      { name: 'landlordIdNumber', kind: 'text', check: checkIdNumber, sensitive: true },
    ],
    address: 'required',
    place: false,
  },
  resident: {
    fields: [
      { name: 'name', kind: 'text', required: true },
      { name: 'idNumber', kind: 'text', required: true, check: checkIdNumber, sensitive: true },
      { name: 'phone', kind: 'text', check: checkPhone, sensitive: true },
      { name: 'kind', kind: 'select', required: true, choices: RESIDENT_KIND_LABELS },
      { name: 'householdNo', kind: 'text' },
      { name: 'relation', kind: 'select', choices: RELATION_LABELS },
      { name: 'careTags', kind: 'tags', choices: CARE_TAG_LABELS },
      { name: 'houseUse', kind: 'select', choices: HOUSE_USE_LABELS, createOnly: true },
    ],
    address: 'required',
    place: false,
  },
  organisation: {
    fields: [
      { name: 'name', kind: 'text', required: true },
      { name: 'type', kind: 'select', required: true, choices: ORGANISATION_TYPE_LABELS },
      { name: 'uscc', kind: 'text', check: checkUscc },
      { name: 'contactName', kind: 'text' },
      { name: 'contactPhone', kind: 'text', check: checkPhone, sensitive: true },
    ],
    address: 'optional',
    place: true,
  },
  facility: {
    fields: [
      { name: 'code', kind: 'text', required: true },
      { name: 'type', kind: 'select', required: true, choices: FACILITY_TYPE_LABELS },
      { name: 'name', kind: 'text' },
      { name: 'status', kind: 'select', choices: FACILITY_STATUS_LABELS },
      { name: 'lastCheckedOn', kind: 'date' },
      { name: 'lon', kind: 'number', required: true },
      { name: 'lat', kind: 'number', required: true },
    ],
    address: 'none',
    place: false,
  },
};

export type Values = Record<string, unknown> & { address?: Record<string, unknown> };

export const blank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** The form's values of a stored record: personal data and the address left empty (kept unless typed). */
export function initialValues(entity: RegistryEntity, record: AnyRecord | null): Values {
  if (!record) return entity === 'facility' ? { status: 'normal' } : {};
  const stored = record as unknown as Record<string, unknown>;
  const values: Values = {};
  const { fields, place } = FORMS[entity];
  for (const spec of [...fields, ...(place ? PLACE : [])]) {
    if (spec.sensitive || spec.createOnly) continue;
    values[spec.name] = stored[spec.name] ?? undefined;
  }
  return values;
}

/**
 * What to send: on create every filled field; on change only the fields that differ from the record, and the
 * address only when one was typed. An emptied optional field is sent as null, which clears it.
 */
export function bodyOf(entity: RegistryEntity, values: Values, initial: Values, editing: boolean) {
  const body: Record<string, unknown> = {};
  const { fields, place } = FORMS[entity];
  for (const spec of [...fields, ...(place ? PLACE : [])]) {
    if (editing && spec.createOnly) continue;
    const value =
      typeof values[spec.name] === 'string' ? (values[spec.name] as string).trim() : values[spec.name];
    if (!editing) {
      if (!blank(value) && !(Array.isArray(value) && value.length === 0)) body[spec.name] = value;
      continue;
    }
    if (spec.sensitive) {
      if (!blank(value)) body[spec.name] = value;
      continue;
    }
    const before = initial[spec.name] ?? null;
    const after = blank(value) ? null : value;
    if (JSON.stringify(before) !== JSON.stringify(after)) body[spec.name] = after;
  }
  const address = values.address;
  if (address && !blank(address.road) && !blank(address.number)) {
    body.address = Object.fromEntries(
      Object.entries(address)
        .map(([key, value]) => [key, typeof value === 'string' ? value.trim() : value])
        .filter(([, value]) => !blank(value)),
    );
  }
  return body;
}
