import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Row, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { CHECKPOINT_MANAGER_ROLES, type Checkpoint } from '../../../shared/checkpoints.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { useGridGeoJson } from '../territory/api.ts';
import { GridMap } from '../territory/GridMap.tsx';
import { useCheckpoints } from './api.ts';
import { CheckpointEditor } from './CheckpointEditor.tsx';
import { CountsPanel } from './CountsPanel.tsx';
import { EntriesPanel } from './EntriesPanel.tsx';

const TABS = ['list', 'entries', 'counts'] as const;
type Tab = (typeof TABS)[number];
const STATUS_COLORS = { active: 'green', paused: 'gold', closed: 'default' } as const;

/** `/checkpoints` 卡点管理: checkpoints on a map with their rosters, the entries logged, and daily counts. */
export default function CheckpointsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'list';
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('checkpoints.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key })}
        items={TABS.map((key) => ({ key, label: t(`checkpoints.tabs.${key}`) }))}
        style={{ marginBottom: -8 }}
      />
      {tab === 'list' ? <ListPanel /> : null}
      {tab === 'entries' ? <EntriesPanel /> : null}
      {tab === 'counts' ? <CountsPanel /> : null}
    </Space>
  );
}

function ListPanel() {
  const { t } = useTranslation();
  const session = useSession();
  const list = useCheckpoints();
  const grids = useGridGeoJson(session.data?.scope.code ?? null);
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const mayManage = session.data ? CHECKPOINT_MANAGER_ROLES.includes(session.data.user.role) : false;
  const checkpoints = list.data?.checkpoints ?? [];

  const columns: ColumnsType<Checkpoint> = [
    {
      key: 'name',
      title: t('checkpoints.columns.name'),
      render: (_: unknown, c) => (
        <>
          <div>
            {c.name} {c.synthetic ? <Tag>{t('checkpoints.synthetic')}</Tag> : null}
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`checkpoints.kinds.${c.kind}`)}
          </Typography.Text>
        </>
      ),
    },
    {
      key: 'village',
      title: t('checkpoints.columns.village'),
      render: (_: unknown, c) => (
        <>
          <div>{c.villageName}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('common.nameWithCode', { name: c.gridName, code: c.gridCode })}
          </Typography.Text>
        </>
      ),
    },
    {
      key: 'status',
      title: t('checkpoints.columns.status'),
      render: (_: unknown, c) => (
        <Tag color={STATUS_COLORS[c.status]}>{t(`checkpoints.statuses.${c.status}`)}</Tag>
      ),
    },
    {
      key: 'today',
      title: t('checkpoints.columns.today'),
      render: (_: unknown, c) => t('checkpoints.todayCount', c.today),
    },
    {
      key: 'duty',
      title: t('checkpoints.onDuty'),
      render: (_: unknown, c) => c.onDutyNow.join('、') || '—',
    },
    {
      key: 'actions',
      title: '',
      render: (_: unknown, c) => (
        <Button size="small" onClick={() => setEditing(c.id)} data-testid="checkpoint-open">
          {mayManage ? t('checkpoints.actions.edit') : t('checkpoints.actions.roster')}
        </Button>
      ),
    },
  ];

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          {mayManage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('checkpoints.actions.add')}
            </Button>
          ) : null}
          {list.error ? <Alert type="error" showIcon title={errorText(list.error)} /> : null}
          <Table
            rowKey="id"
            size="small"
            loading={list.isLoading}
            dataSource={checkpoints}
            columns={columns}
            pagination={false}
            scroll={{ x: 'max-content' }}
            data-testid="checkpoint-list"
          />
        </Space>
      </Col>
      <Col xs={24} xl={10}>
        <div className="gg-map-wrap" data-testid="checkpoint-map">
          <GridMap
            data={grids.data}
            points={checkpoints.map((c) => ({ id: c.id, lon: c.lon, lat: c.lat, label: c.name }))}
            onPointSelect={(id) => setEditing(id)}
          />
          <div className="gg-map-status">{t('checkpoints.mapTitle')}</div>
        </div>
      </Col>
      {editing !== null ? (
        <CheckpointEditor
          id={editing === 'new' ? null : editing}
          mayManage={mayManage}
          grids={grids.data}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </Row>
  );
}
