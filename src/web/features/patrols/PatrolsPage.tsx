import { Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { GridDaysPanel } from './GridDaysPanel.tsx';
import { PatrolLogPanel } from './PatrolLogPanel.tsx';
import { TodayPanel } from './TodayPanel.tsx';

const TABS = ['today', 'grid-days', 'log'] as const;
type Tab = (typeof TABS)[number];
const LABELS = {
  today: 'patrols.tabs.today',
  'grid-days': 'patrols.tabs.gridDays',
  log: 'patrols.tabs.log',
} as const;

/** `/patrols` 日巡查: today's tracks and unpatrolled grids, the grid-by-day table, and the patrol log per worker. */
export default function PatrolsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'today';
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('patrols.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key })}
        items={TABS.map((key) => ({ key, label: t(LABELS[key]) }))}
        style={{ marginBottom: -8 }}
      />
      {tab === 'today' ? <TodayPanel /> : null}
      {tab === 'grid-days' ? <GridDaysPanel /> : null}
      {tab === 'log' ? (
        <PatrolLogPanel
          userId={Number(params.get('user')) || null}
          onUser={(id) => setParams(id ? { tab: 'log', user: String(id) } : { tab: 'log' })}
        />
      ) : null}
    </Space>
  );
}
