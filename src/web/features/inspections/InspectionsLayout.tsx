import { Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';

const TABS = ['campaigns', 'checklists', 'task-books', 'accountability'] as const;
const TAB_LABELS = {
  campaigns: 'inspections.tabs.campaigns',
  checklists: 'inspections.tabs.checklists',
  'task-books': 'inspections.tabs.taskBooks',
  accountability: 'inspections.tabs.accountability',
} as const;

/** The 督查检查 section: campaigns (with their results and visits), checklists, task books, accountability. */
export default function InspectionsLayout() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const section = location.pathname.split('/')[2] ?? '';
  if (!section) return <Navigate to="/inspections/campaigns" replace />;
  // A visit belongs to a campaign: its tab stays lit.
  const active = section === 'visits' ? 'campaigns' : section;
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('inspections.title')}
      </Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(`/inspections/${key}`)}
        items={TABS.map((key) => ({ key, label: t(TAB_LABELS[key]) }))}
        style={{ marginBottom: -8 }}
      />
      <Outlet />
    </Space>
  );
}
