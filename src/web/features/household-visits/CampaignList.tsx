import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Popconfirm, Progress, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CampaignStatus,
  VISIT_CAMPAIGN_MANAGER_ROLES,
  VISIT_UNIT_LABELS,
  type VisitCampaign,
} from '../../../shared/household-visits.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { useEnumLabel } from '../inspections/labels.tsx';
import { useCloseVisitCampaign } from './api.ts';
import { CreateCampaignModal } from './CreateCampaignModal.tsx';

const STATUS_COLORS: Record<CampaignStatus, string> = {
  upcoming: 'blue',
  active: 'green',
  ended: 'default',
};

/**
 * The campaigns the user sees, with their progress: open one to read its coverage; administrators and leaders
 * start a campaign here and end one before its end date (结束活动).
 */
export function CampaignList(props: {
  campaigns: VisitCampaign[];
  loading: boolean;
  selectedId: number | null;
  onOpen: (id: number) => void;
}) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const session = useSession();
  const mayManage = session.data ? VISIT_CAMPAIGN_MANAGER_ROLES.includes(session.data.user.role) : false;
  const close = useCloseVisitCampaign();
  const [creating, setCreating] = useState(false);
  return (
    <Card
      size="small"
      title={t('householdVisits.list.title')}
      extra={
        mayManage ? (
          <Button
            type="primary"
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="visit-campaign-new"
          >
            {t('householdVisits.list.new')}
          </Button>
        ) : null
      }
    >
      {close.error ? (
        <Alert type="error" showIcon title={errorText(close.error)} style={{ marginBottom: 8 }} />
      ) : null}
      <Table<VisitCampaign>
        size="small"
        rowKey="id"
        loading={props.loading}
        dataSource={props.campaigns}
        pagination={props.campaigns.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        scroll={{ x: 760 }}
        data-testid="visit-campaign-list"
        rowClassName={(c) => (c.id === props.selectedId ? 'ant-table-row-selected' : '')}
        locale={{ emptyText: t('householdVisits.noCampaign') }}
        columns={[
          {
            title: t('householdVisits.list.name'),
            key: 'name',
            render: (_, c) => (
              <Space orientation="vertical" size={0}>
                <Button type="link" style={{ padding: 0, height: 'auto' }} onClick={() => props.onOpen(c.id)}>
                  {c.name}
                </Button>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {c.formTitle} v{c.formVersion}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('householdVisits.list.unit'),
            key: 'unit',
            render: (_, c) => label(VISIT_UNIT_LABELS, c.unit),
          },
          {
            title: t('householdVisits.area'),
            key: 'area',
            render: (_, c) => c.regions.map((r) => r.name).join('、'),
          },
          {
            title: t('householdVisits.period'),
            key: 'period',
            render: (_, c) => `${c.startsOn} – ${c.endsOn}`,
          },
          {
            title: t('householdVisits.list.status'),
            key: 'status',
            render: (_, c) => (
              <Space size={4} wrap>
                <Tag color={STATUS_COLORS[c.status]}>{t(`householdVisits.statuses.${c.status}`)}</Tag>
                {c.synthetic ? <Tag color="orange">{t('householdVisits.synthetic')}</Tag> : null}
              </Space>
            ),
          },
          {
            title: t('householdVisits.list.progress'),
            key: 'progress',
            width: 180,
            render: (_, c) => (
              <Space orientation="vertical" size={0} style={{ width: '100%' }}>
                <Progress
                  size="small"
                  percent={c.households ? Math.round((c.visited / c.households) * 1000) / 10 : 0}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {c.visited.toLocaleString()} / {c.households.toLocaleString()}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: '',
            key: 'actions',
            render: (_, c) => (
              <Space size={0}>
                <Button size="small" type="link" onClick={() => props.onOpen(c.id)}>
                  {t('householdVisits.list.open')}
                </Button>
                {mayManage && c.status !== 'ended' ? (
                  <Popconfirm
                    title={t('householdVisits.list.closeConfirm', { name: c.name })}
                    description={t('householdVisits.list.closeHelp')}
                    okText={t('householdVisits.list.close')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => close.mutateAsync(c.id)}
                  >
                    <Button size="small" type="link" danger data-testid="visit-campaign-close">
                      {t('householdVisits.list.close')}
                    </Button>
                  </Popconfirm>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      {creating ? (
        <CreateCampaignModal
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            props.onOpen(id);
          }}
        />
      ) : null}
    </Card>
  );
}
