import type { TFunction } from 'i18next';
import type { Locale } from '../../../shared/errors.ts';
import { GRID_DUTY_LABELS, type GridDuty } from '../../../shared/roles.ts';
import { REGION_LEVEL_LABELS, type RegionLevel } from '../../../shared/territory.ts';
import { pickLabel } from '../../i18n/index.ts';

/**
 * Masks a phone number for display (138****5678, 0757-****1234). Numbers the server has already
 * masked are shown as they are.
 */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  if (phone.includes('*')) return phone;
  const digits = phone.replace(/\D/g, '');
  if (/^1\d{10}$/.test(digits)) return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  const dash = phone.indexOf('-');
  if (dash > 0) {
    const local = phone.slice(dash + 1);
    return `${phone.slice(0, dash)}-${'*'.repeat(Math.max(local.length - 4, 0))}${local.slice(-4)}`;
  }
  if (phone.length <= 4) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(Math.max(phone.length - 7, 1))}${phone.slice(-4)}`;
}

/** 「2级网格」 for grids, the level label (村居（社区）, 镇街 …) otherwise. */
export function levelText(
  region: { level: string; gridLevel?: number | null },
  locale: Locale,
  t: TFunction,
): string {
  if (region.level === 'grid') return t('levels.gridLevel', { level: region.gridLevel ?? 1 });
  const label = REGION_LEVEL_LABELS[region.level as RegionLevel];
  return label ? pickLabel(label, locale) : region.level;
}

export function dutyText(duty: string, locale: Locale): string {
  const label = GRID_DUTY_LABELS[duty as GridDuty];
  return label ? pickLabel(label, locale) : duty;
}

/** Codes are always shown with the name (GLOSSARY: formats users expect). */
export function nameWithCode(region: { name: string; code: string }, t: TFunction): string {
  return t('common.nameWithCode', { name: region.name, code: region.code });
}
