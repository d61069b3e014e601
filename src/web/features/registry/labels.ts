import { useTranslation } from 'react-i18next';
import type { LocalizedText } from '../../../shared/errors.ts';
import {
  CARE_TAG_LABELS,
  FACILITY_STATUS_LABELS,
  FACILITY_TYPE_LABELS,
  HOUSE_USE_LABELS,
  ORGANISATION_TYPE_LABELS,
  REGISTRY_ENTITY_LABELS,
  RELATION_LABELS,
  RESIDENT_KIND_LABELS,
  type RegistryEntity,
  SENSITIVE_FIELD_LABELS,
  SEX_LABELS,
} from '../../../shared/registry.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import type { Catalogue } from '../../i18n/zh-CN.ts';

export type RegistryField = keyof Catalogue['registry']['fields'];

/** The label of `value` in a shared label record, or the value itself when it is not one of its keys. */
function labelIn(labels: Record<string, LocalizedText>, value: string, locale: 'zh-CN' | 'en-US'): string {
  const label = labels[value];
  return label ? pickLabel(label, locale) : value;
}

/** The coded values a field of an entity takes, for showing them by their labels. */
function choicesOf(entity: RegistryEntity, field: string): Record<string, LocalizedText> | null {
  switch (field) {
    case 'use':
    case 'houseUse':
      return HOUSE_USE_LABELS;
    case 'kind':
      return RESIDENT_KIND_LABELS;
    case 'sex':
      return SEX_LABELS;
    case 'relation':
      return RELATION_LABELS;
    case 'careTags':
      return CARE_TAG_LABELS;
    case 'status':
      return FACILITY_STATUS_LABELS;
    case 'type':
      return entity === 'facility' ? FACILITY_TYPE_LABELS : ORGANISATION_TYPE_LABELS;
    default:
      return null;
  }
}

/** `landlord_id_number` (a column named in a change history) → `landlordIdNumber`. */
function camelCase(key: string): string {
  const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return camel === 'areaM2' ? 'areaSquareMetres' : camel;
}

/** Labels of the registry's types, choices and fields in the UI language (shared labels first). */
export function useRegistryLabels() {
  const locale = useLocale();
  const { t, i18n } = useTranslation();
  const field = (key: string): string => {
    const name = camelCase(key);
    if (name in SENSITIVE_FIELD_LABELS)
      return pickLabel(SENSITIVE_FIELD_LABELS[name as keyof typeof SENSITIVE_FIELD_LABELS], locale);
    return i18n.exists(`registry.fields.${name}`) ? t(`registry.fields.${name as RegistryField}`) : key;
  };
  const choice = (entity: RegistryEntity, key: string, value: string): string => {
    const choices = choicesOf(entity, camelCase(key));
    return choices ? labelIn(choices, value, locale) : value;
  };
  return {
    locale,
    entity: (entity: RegistryEntity) => pickLabel(REGISTRY_ENTITY_LABELS[entity], locale),
    field,
    choice,
    /** A value of a change history or a record, as text: coded values by their labels, lists joined. */
    value: (entity: RegistryEntity, key: string, value: unknown): string => {
      if (value === null || value === undefined || value === '') return '—';
      if (Array.isArray(value)) return value.map((v) => choice(entity, key, String(v))).join('、') || '—';
      return choice(entity, key, String(value));
    },
    /** Options of a coded field for a Select. */
    options: (labels: Record<string, LocalizedText>) =>
      Object.entries(labels).map(([value, label]) => ({ value, label: pickLabel(label, locale) })),
  };
}
export type RegistryLabels = ReturnType<typeof useRegistryLabels>;
