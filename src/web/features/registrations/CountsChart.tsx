import { Flex, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RegistrationCount } from '../../../shared/registrations.ts';

const BAR_HEIGHT = 80;

/**
 * Registrations per day over the communities shown, as bars (late ones in red): the trend at a glance. Plain
 * boxes rather than the chart library, which only the dashboard loads.
 */
export function CountsChart({ rows }: { rows: readonly RegistrationCount[] }) {
  const { t } = useTranslation();
  const days = new Map<string, { total: number; late: number }>();
  for (const row of rows) {
    const day = days.get(row.day) ?? { total: 0, late: 0 };
    days.set(row.day, { total: day.total + row.total, late: day.late + row.late });
  }
  const ordered = [...days].sort(([a], [b]) => a.localeCompare(b));
  const max = Math.max(1, ...ordered.map(([, d]) => d.total));
  if (ordered.length === 0) return null;
  return (
    <Flex gap={6} align="flex-end" style={{ height: BAR_HEIGHT + 36, marginBottom: 12, overflowX: 'auto' }}>
      {ordered.map(([day, d]) => (
        <Tooltip
          key={day}
          title={`${day} · ${t('registrations.console.columns.total')} ${d.total} · ${t('registrations.console.columns.lateCount')} ${d.late}`}
        >
          <Flex vertical align="center" style={{ minWidth: 36 }}>
            <Typography.Text style={{ fontSize: 12 }}>{d.total}</Typography.Text>
            <div
              style={{
                width: 22,
                height: Math.max(2, (d.total / max) * BAR_HEIGHT),
                display: 'flex',
                flexDirection: 'column',
                justifyContent: 'flex-end',
                background: '#91caff',
                borderRadius: 2,
                overflow: 'hidden',
              }}
            >
              <div style={{ height: `${(d.late / d.total) * 100}%`, background: '#ff7875' }} />
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 11 }}>
              {day.slice(5)}
            </Typography.Text>
          </Flex>
        </Tooltip>
      ))}
    </Flex>
  );
}
