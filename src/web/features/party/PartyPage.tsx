import { Alert, Space, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { PartyDrill } from './api.ts';
import { usePartyFigures } from './api.ts';
import { FiguresPanel } from './FiguresPanel.tsx';
import { GridsPanel } from './GridsPanel.tsx';
import { MembersPanel } from './MembersPanel.tsx';
import { PostsPanel } from './PostsPanel.tsx';

const TABS = ['figures', 'members', 'posts', 'grids'] as const;
type Tab = (typeof TABS)[number];

/** The filter the URL carries to the members and posts tabs (from a figure clicked). */
function filterOf(params: URLSearchParams): Omit<PartyDrill, 'title'> {
  const branchId = Number(params.get('branch')) || undefined;
  const postId = Number(params.get('post')) || undefined;
  const gridCode = params.get('grid') ?? undefined;
  return {
    ...(branchId ? { branchId } : {}),
    ...(postId ? { postId } : {}),
    ...(gridCode ? { gridCode } : {}),
  };
}

/** `/party` 党建引领: figures with drill-down, party members, posts (设岗定责) and the party grids. */
export default function PartyPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'figures';
  const synthetic = usePartyFigures('branch').data?.synthetic ?? false;
  const filter = filterOf(params);
  const openMembers = (next: Omit<PartyDrill, 'title'>) => {
    const query: Record<string, string> = { tab: 'members' };
    if (next.branchId) query.branch = String(next.branchId);
    if (next.postId) query.post = String(next.postId);
    if (next.gridCode) query.grid = next.gridCode;
    setParams(query);
  };
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('party.title')} {synthetic ? <Tag color="orange">{t('party.synthetic')}</Tag> : null}
      </Typography.Title>
      {synthetic ? <Alert type="warning" showIcon title={t('party.syntheticNote')} /> : null}
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key })}
        items={TABS.map((key) => ({ key, label: t(`party.tabs.${key}`) }))}
        style={{ marginBottom: -8 }}
      />
      {tab === 'figures' ? <FiguresPanel onMembers={openMembers} /> : null}
      {tab === 'members' ? <MembersPanel filter={filter} /> : null}
      {tab === 'posts' ? <PostsPanel filter={filter} /> : null}
      {tab === 'grids' ? <GridsPanel /> : null}
    </Space>
  );
}
