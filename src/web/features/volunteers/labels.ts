import {
  REQUEST_KIND_LABELS,
  type RequestKind,
  UNIT_KIND_LABELS,
  type UnitKind,
} from '../../../shared/volunteers.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';

/** The labels of the volunteer service's codes in the current language. */
export function useVolunteerLabels() {
  const locale = useLocale();
  return {
    requestKind: (kind: RequestKind) => pickLabel(REQUEST_KIND_LABELS[kind], locale),
    unitKind: (kind: UnitKind) => pickLabel(UNIT_KIND_LABELS[kind], locale),
  };
}

/** Today in Asia/Shanghai, YYYY-MM-DD, `offsetDays` away. */
export function shanghaiToday(offsetDays = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** An instant as HH:MM in Asia/Shanghai. */
export function shanghaiTime(iso: string | null): string {
  if (!iso) return '';
  return new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(11, 16);
}
