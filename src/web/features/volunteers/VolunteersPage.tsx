import { Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { FiguresPanel } from './FiguresPanel.tsx';
import { RequestsPanel } from './RequestsPanel.tsx';
import { UnitsPanel } from './UnitsPanel.tsx';

const TABS = ['requests', 'units', 'figures'] as const;
type Tab = (typeof TABS)[number];

/** `/volunteers` 志愿服务: the communities' requests, the member units and their volunteers, and the figures. */
export default function VolunteersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'requests';
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('volunteers.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key })}
        items={TABS.map((key) => ({ key, label: t(`volunteers.tabs.${key}`) }))}
        style={{ marginBottom: -8 }}
      />
      {tab === 'requests' ? <RequestsPanel /> : null}
      {tab === 'units' ? <UnitsPanel /> : null}
      {tab === 'figures' ? <FiguresPanel /> : null}
    </Space>
  );
}
