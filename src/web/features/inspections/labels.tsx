import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LocalizedText } from '../../../shared/errors.ts';
import type { Role } from '../../../shared/roles.ts';
import { useSession } from '../../api/session.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { useRegion } from '../territory/api.ts';

/** A label of the shared enums (site types, statuses, rules …) in the UI language; the raw value if unknown. */
export function useEnumLabel() {
  const locale = useLocale();
  return <K extends string>(labels: Record<K, LocalizedText>, value: string): string =>
    value in labels ? pickLabel(labels[value as K], locale) : value;
}

/** A score or failure rate the server gives in percent with two decimals (72.22): `72.22%`. */
export function formatPercent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${rate.toFixed(2)}%`;
}

/** Score rates at or above these count as good (green) or fair (yellow); below, red. */
const GOOD_RATE = 90;
const FAIR_RATE = 80;

export type RateLevel = 'good' | 'fair' | 'poor' | 'none';

export function rateLevel(rate: number | null): RateLevel {
  if (rate === null) return 'none';
  if (rate >= GOOD_RATE) return 'good';
  return rate >= FAIR_RATE ? 'fair' : 'poor';
}

const LEVEL_COLOURS: Record<RateLevel, string> = {
  good: 'green',
  fair: 'gold',
  poor: 'red',
  none: 'default',
};

/** A score rate with its colour and its word (GLOSSARY: never colour alone). */
export function RateTag({ rate }: { rate: number | null }) {
  const { t } = useTranslation();
  const level = rateLevel(rate);
  return (
    <Tag color={LEVEL_COLOURS[level]} data-testid={`rate-${level}`}>
      {formatPercent(rate)} {level === 'none' ? '' : t(`inspections.rateLevel.${level}`)}
    </Tag>
  );
}

/** The visit's rate that counts, with the raw rate and the veto item when a veto zeroed it. */
export function VetoedRate({
  rawRate,
  item,
}: {
  rawRate: number | null;
  item: { key: string; question: string } | null;
}) {
  const { t } = useTranslation();
  return (
    <span data-testid="vetoed-rate">
      <Tag color="red">{t('inspections.results.vetoedRate', { raw: formatPercent(rawRate) })}</Tag>
      {item ? (
        <span style={{ color: '#cf1322' }}>
          {t('inspections.results.vetoItem', { key: item.key, question: item.question })}
        </span>
      ) : null}
    </span>
  );
}

/** The name of a region (a grid, a village), read once per code and kept. */
export function RegionName({ code }: { code: string }) {
  const region = useRegion(code);
  return <>{region.data?.name ?? (region.isError ? code : '…')}</>;
}

/** Roles that run inspections (campaign.policy.ts RUNNING_ROLES): they create campaigns and templates. */
export const RUNNING_ROLES: readonly Role[] = ['administrator', 'leader', 'inspector'];

/** Whether the signed-in user's role creates campaigns, checklists and task books. */
export function useMayRun(): boolean {
  const role = useSession().data?.user.role;
  return role !== undefined && RUNNING_ROLES.includes(role);
}
