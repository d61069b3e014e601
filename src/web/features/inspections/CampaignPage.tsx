import { App, Button, Card, Descriptions, Space, Table, Tabs, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import type { CampaignDetail, CampaignRound } from '../../../shared/campaigns.ts';
import { RECURRENCE_LABELS, ROUND_KIND_LABELS } from '../../../shared/inspections.ts';
import { errorText } from '../../api/client.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { formatDateTime } from '../../components/time.ts';
import { useCampaign, useCampaignStep, useRounds } from './api.ts';
import { CampaignResults } from './CampaignResults.tsx';
import { CampaignStatusTag, CovertTag } from './CampaignsPage.tsx';
import { CampaignTargets } from './CampaignTargets.tsx';
import { useLimitText } from './ChecklistPage.tsx';
import { DrillLink, useDrillDrawer } from './DrillDrawer.tsx';
import { useEnumLabel } from './labels.tsx';
import { ScheduleReinspectionButton } from './Reinspection.tsx';

const TABS = ['overview', 'targets', 'rounds', 'results'] as const;
type TabKey = (typeof TABS)[number];

/** One campaign: its plan, targets, rounds and results, and the steps its managers take. */
export default function CampaignPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const campaign = useCampaign(id);
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as TabKey)
    : campaign.data?.status === 'finished'
      ? 'results'
      : 'overview';
  if (campaign.isPending) return <PageSpinner />;
  if (campaign.isError) return <ErrorResult error={campaign.error} onRetry={() => void campaign.refetch()} />;
  const detail = campaign.data;
  return (
    <Card
      title={
        <Space wrap>
          <span>{detail.name}</span>
          <CampaignStatusTag status={detail.status} />
          <CovertTag campaign={detail} />
        </Space>
      }
    >
      <Tabs
        tabBarExtraContent={detail.rights.manage ? <CampaignSteps detail={detail} /> : null}
        activeKey={tab}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        destroyOnHidden
        items={[
          {
            key: 'overview',
            label: t('inspections.campaign.overview'),
            children: <Overview detail={detail} />,
          },
          {
            key: 'targets',
            label: t('inspections.campaign.targetsTab', { count: detail.targets.length }),
            children: <CampaignTargets detail={detail} />,
          },
          { key: 'rounds', label: t('inspections.campaign.rounds'), children: <Rounds detail={detail} /> },
          {
            key: 'results',
            label: t('inspections.campaign.results'),
            children: <CampaignResults detail={detail} />,
          },
        ]}
      />
    </Card>
  );
}

/** Start, finish, publish: each asks first, saying what it does to whom. */
function CampaignSteps({ detail }: { detail: CampaignDetail }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const step = useCampaignStep(detail.id);
  const run = (name: 'start' | 'finish' | 'publish') =>
    modal.confirm({
      title: t(`inspections.campaign.${name}Title`),
      content: t(
        name === 'publish' && !detail.covert
          ? 'inspections.campaign.publishOpenText'
          : `inspections.campaign.${name}Text`,
        { name: detail.name },
      ),
      okText: t(`inspections.campaign.${name}`),
      cancelText: t('common.cancel'),
      onOk: () =>
        step
          .mutateAsync({ step: name, rowVersion: detail.rowVersion })
          .then(() => void message.success(t(`inspections.campaign.${name}Done`)))
          .catch((error: unknown) => void message.error(errorText(error))),
    });
  return (
    <Space wrap>
      {detail.status === 'draft' ? (
        <Button
          type="primary"
          onClick={() => run('start')}
          disabled={!detail.targets.length}
          data-testid="start-campaign"
        >
          {t('inspections.campaign.start')}
        </Button>
      ) : null}
      {detail.status === 'running' ? (
        <Button onClick={() => run('finish')}>{t('inspections.campaign.finish')}</Button>
      ) : null}
      {detail.status === 'finished' && !detail.publishedAt ? (
        <Button type="primary" onClick={() => run('publish')} data-testid="publish-campaign">
          {t('inspections.campaign.publish')}
        </Button>
      ) : null}
    </Space>
  );
}

function Overview({ detail }: { detail: CampaignDetail }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const limitText = useLimitText();
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} bordered>
      <Descriptions.Item label={t('inspections.fields.template')}>
        {detail.template.name} · {t('inspections.checklists.versionN', { version: detail.template.version })}
      </Descriptions.Item>
      <Descriptions.Item label={t('inspections.fields.area')}>{detail.regionName}</Descriptions.Item>
      <Descriptions.Item label={t('inspections.fields.period')}>
        {t('inspections.withNote', {
          text: `${detail.startsOn} ~ ${detail.endsOn}`,
          note: label(RECURRENCE_LABELS, detail.recurrence),
        })}
      </Descriptions.Item>
      <Descriptions.Item label={t('inspections.fields.organiser')}>
        {[detail.organiser?.name, detail.organiserDepartment?.name].filter(Boolean).join(' · ') || '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('inspections.fields.inspectors')}>
        {detail.inspectors.map((p) => p.name).join('、') || '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('inspections.fields.sampleSize')}>
        {detail.sampleSize ?? t('inspections.campaign.allTargets')}
      </Descriptions.Item>
      <Descriptions.Item label={t('inspections.wizard.rectify')}>
        {detail.rectifyBy
          ? t('inspections.campaign.rectifyBy', { date: detail.rectifyBy })
          : detail.rectifyLimit
            ? limitText(detail.rectifyLimit)
            : t('inspections.wizard.rectifyCategory')}
      </Descriptions.Item>
      <Descriptions.Item label={t('inspections.fields.signatureRequired')}>
        {detail.signatureRequired ? t('inspections.yes') : t('inspections.no')}
      </Descriptions.Item>
      <Descriptions.Item label={t('inspections.campaign.kind')}>
        {detail.covert
          ? detail.publishedAt
            ? t('inspections.campaign.covertPublishedAt', { at: formatDateTime(detail.publishedAt) })
            : t('inspections.campaign.covertHidden')
          : t('inspections.campaigns.open')}
      </Descriptions.Item>
    </Descriptions>
  );
}

function Rounds({ detail }: { detail: CampaignDetail }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const rounds = useRounds(detail.id, detail.status !== 'draft');
  const drawer = useDrillDrawer(detail.id);
  if (detail.status === 'draft') return <Tag>{t('inspections.campaign.noRoundsYet')}</Tag>;
  if (rounds.isError) return <ErrorResult error={rounds.error} onRetry={() => void rounds.refetch()} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <ScheduleReinspectionButton detail={detail} rounds={rounds.data ?? []} />
      <Table<CampaignRound>
        rowKey="id"
        size="small"
        loading={rounds.isPending}
        dataSource={rounds.data ?? []}
        pagination={false}
        scroll={{ x: 700 }}
        columns={[
          {
            key: 'number',
            title: t('inspections.fields.round'),
            render: (_: unknown, row) =>
              `${t('inspections.roundN', { number: row.number })} · ${label(ROUND_KIND_LABELS, row.kind)}`,
          },
          {
            key: 'window',
            title: t('inspections.fields.window'),
            render: (_: unknown, row) => `${row.opensOn} ~ ${row.dueOn}`,
          },
          { key: 'targets', title: t('inspections.fields.targets'), dataIndex: 'targets', align: 'right' },
          {
            key: 'visited',
            title: t('inspections.fields.visited'),
            align: 'right',
            render: (_: unknown, row) => (
              <DrillLink count={row.visited} drill={row.drill.visited} open={drawer.open} />
            ),
          },
          {
            key: 'late',
            title: t('inspections.fields.late'),
            align: 'right',
            render: (_: unknown, row) => (
              <DrillLink count={row.late} drill={row.drill.late} open={drawer.open} tone="warning" />
            ),
          },
          {
            key: 'missed',
            title: t('inspections.fields.missed'),
            align: 'right',
            render: (_: unknown, row) => (
              <DrillLink count={row.missed} drill={row.drill.missed} open={drawer.open} tone="danger" />
            ),
          },
        ]}
      />
      {drawer.element}
    </Space>
  );
}
