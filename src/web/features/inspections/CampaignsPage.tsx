import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Progress, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { CampaignListItem, CampaignListQuery, CampaignSummary } from '../../../shared/campaigns.ts';
import {
  CAMPAIGN_STATUS_LABELS,
  CAMPAIGN_STATUSES,
  type CampaignStatus,
} from '../../../shared/inspections.ts';
import { errorText } from '../../api/client.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { useCampaigns } from './api.ts';
import { useEnumLabel, useMayRun } from './labels.tsx';

const STATUS_COLOURS: Record<CampaignStatus, string> = {
  draft: 'default',
  running: 'blue',
  finished: 'green',
};

export function CampaignStatusTag({ status }: { status: CampaignStatus }) {
  const label = useEnumLabel();
  return <Tag color={STATUS_COLOURS[status]}>{label(CAMPAIGN_STATUS_LABELS, status)}</Tag>;
}

/** 暗访 and, once published, that the inspected now see it. */
export function CovertTag({ campaign }: { campaign: Pick<CampaignSummary, 'covert' | 'publishedAt'> }) {
  const { t } = useTranslation();
  if (!campaign.covert) return null;
  return (
    <Tag color="purple" data-testid="covert-tag">
      {campaign.publishedAt ? t('inspections.campaigns.covertPublished') : t('inspections.campaigns.covert')}
    </Tag>
  );
}

/** 专项行动: the campaigns the user sees. */
export default function CampaignsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const label = useEnumLabel();
  const mayRun = useMayRun();
  const [query, setQuery] = useState<Partial<CampaignListQuery>>({ page: 1, pageSize: 20 });
  const list = useCampaigns(query);

  return (
    <Card
      title={t('inspections.campaigns.title')}
      extra={
        mayRun ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => navigate('/inspections/campaigns/new')}
          >
            {t('inspections.campaigns.create')}
          </Button>
        ) : null
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('inspections.fields.status')}
          style={{ width: 160 }}
          value={query.status ?? ''}
          onChange={(status: string) =>
            setQuery((q) => ({ ...q, status: (status || undefined) as CampaignStatus | undefined, page: 1 }))
          }
          options={[
            { value: '', label: t('inspections.allStatuses') },
            ...CAMPAIGN_STATUSES.map((s) => ({ value: s, label: label(CAMPAIGN_STATUS_LABELS, s) })),
          ]}
        />
        <Select
          aria-label={t('inspections.campaigns.covertFilter')}
          style={{ width: 160 }}
          value={query.covert === undefined ? '' : String(query.covert)}
          onChange={(covert: string) =>
            setQuery((q) => ({ ...q, covert: covert === '' ? undefined : covert === 'true', page: 1 }))
          }
          options={[
            { value: '', label: t('inspections.campaigns.allKinds') },
            { value: 'true', label: t('inspections.campaigns.covert') },
            { value: 'false', label: t('inspections.campaigns.open') },
          ]}
        />
        <RegionPicker
          style={{ width: 240 }}
          placeholder={t('inspections.campaigns.areaFilter')}
          value={query.regionCode}
          onChange={(regionCode) => setQuery((q) => ({ ...q, regionCode, page: 1 }))}
        />
      </Space>
      {list.isError ? <Alert type="error" showIcon title={errorText(list.error)} /> : null}
      <Table<CampaignListItem>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 1000 }}
        onRow={(row) => ({
          onClick: () => navigate(`/inspections/campaigns/${row.id}`),
          style: { cursor: 'pointer' },
        })}
        pagination={{
          current: query.page ?? 1,
          pageSize: query.pageSize ?? 20,
          total: list.data?.total ?? 0,
          showTotal: (count) => t('common.total', { count }),
          onChange: (page, pageSize) => setQuery((q) => ({ ...q, page, pageSize })),
        }}
        columns={[
          {
            key: 'name',
            title: t('inspections.fields.name'),
            render: (_: unknown, row) => (
              <Space size={4} wrap>
                <span>{row.name}</span>
                <CovertTag campaign={row} />
              </Space>
            ),
          },
          {
            key: 'template',
            title: t('inspections.fields.template'),
            render: (_: unknown, row) =>
              `${row.template.name} · ${t('inspections.checklists.versionN', { version: row.template.version })}`,
          },
          { key: 'area', title: t('inspections.fields.area'), dataIndex: 'regionName' },
          {
            key: 'status',
            title: t('inspections.fields.status'),
            render: (_: unknown, row) => <CampaignStatusTag status={row.status} />,
          },
          {
            key: 'period',
            title: t('inspections.fields.period'),
            render: (_: unknown, row) => `${row.startsOn} ~ ${row.endsOn}`,
          },
          {
            key: 'targets',
            title: t('inspections.campaigns.targetsColumn'),
            align: 'right',
            render: (_: unknown, row) =>
              row.sampledCount && row.sampledCount !== row.targetCount
                ? t('inspections.campaigns.sampledOf', { sampled: row.sampledCount, total: row.targetCount })
                : row.targetCount,
          },
          {
            key: 'progress',
            title: t('inspections.campaigns.progressColumn'),
            width: 200,
            render: (_: unknown, row) => <RoundProgress campaign={row} />,
          },
        ]}
      />
    </Card>
  );
}

/** How many targets the current (latest opened) regular round has visited: "visited / targets". */
function RoundProgress({ campaign }: { campaign: CampaignListItem }) {
  const { t } = useTranslation();
  if (campaign.progressRound === null) return <span>—</span>;
  const text = t('inspections.campaigns.progress', {
    round: campaign.progressRound,
    visited: campaign.visited,
    targets: campaign.targets,
  });
  return (
    <Space orientation="vertical" size={0} style={{ width: '100%' }} data-testid="campaign-progress">
      <span>{text}</span>
      <Progress
        size="small"
        showInfo={false}
        percent={campaign.targets ? Math.round((campaign.visited / campaign.targets) * 100) : 0}
        aria-label={text}
      />
    </Space>
  );
}
