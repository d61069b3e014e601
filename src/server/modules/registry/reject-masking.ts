import {
  type RegistryEntity,
  SENSITIVE_FIELD_KIND,
  SENSITIVE_FIELDS,
  type SensitiveField,
} from '../../../shared/registry.ts';
import type { Visibility } from '../../../shared/registry-policy.ts';
import { maskIdNumber, maskPhone } from '../../../shared/registry-validation.ts';
import { suggestMapping } from './registry-columns.ts';

/*
 * The cells of rejected import rows are personal data as the file had them, so an error report shows them as the
 * registry would: masked unless the reader's role sees that kind of data in clear, care tags only to roles that
 * look after the residents carrying them. A rejected row is often rejected because a value is in the wrong
 * column or malformed, so a cell is masked by its column and also by its shape: anything that looks like an ID
 * number or a phone number is masked wherever it stands.
 */

export interface RejectViewerRights {
  idNumber: Visibility;
  phone: Visibility;
  care: boolean;
}

/** Eighteen (or the old fifteen) digits, the last possibly X, anywhere in a cell. */
const ID_NUMBER_SHAPE = /\d{17}[\dXx]|\d{15}/g;
/** A mobile number, or a landline with its area code, anywhere in a cell. */
const PHONE_SHAPE = /(?<!\d)(?:1\d{10}|0\d{2,3}-?\d{7,8})(?!\d)/g;

/** Masks the cells of a rejected row of an import of `entity` whose header row was `headers`. */
export function rejectCellMasker(
  entity: RegistryEntity,
  headers: readonly string[],
  rights: RejectViewerRights,
): (cells: readonly string[]) => string[] {
  const mapping = suggestMapping(entity, headers);
  const columnOf = (field: string) => {
    const header = mapping[field];
    return header ? headers.indexOf(header) : -1;
  };
  const sensitive =
    (SENSITIVE_FIELDS as Partial<Record<RegistryEntity, readonly SensitiveField[]>>)[entity] ?? [];
  const byColumn = new Map<number, (value: string) => string>();
  for (const field of sensitive) {
    const kind = SENSITIVE_FIELD_KIND[field];
    const index = columnOf(field);
    if (index >= 0 && rights[kind] !== 'clear')
      byColumn.set(index, kind === 'idNumber' ? maskIdNumber : maskPhone);
  }
  // A role that may not see residents with care tags sees no tag either: the cell is left empty.
  const careColumn = entity === 'resident' && !rights.care ? columnOf('careTags') : -1;
  if (careColumn >= 0) byColumn.set(careColumn, () => '');
  const maskShapes = (value: string) => {
    let masked = value;
    if (rights.idNumber !== 'clear') masked = masked.replace(ID_NUMBER_SHAPE, maskIdNumber);
    if (rights.phone !== 'clear') masked = masked.replace(PHONE_SHAPE, maskPhone);
    return masked;
  };
  return (cells) =>
    cells.map((cell, index) => {
      const value = String(cell ?? '');
      const mask = byColumn.get(index);
      return mask ? (value.trim() ? mask(value.trim()) : value) : maskShapes(value);
    });
}
