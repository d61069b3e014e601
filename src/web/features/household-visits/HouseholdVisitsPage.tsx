import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Progress, Row, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import {
  type CoverageRow,
  VISIT_UNIT_NAME_LABELS,
  type VisitUnit,
} from '../../../shared/household-visits.ts';
import { BarChart } from '../../components/charts/BarChart.tsx';
import { paletteColor } from '../../components/charts/frame.tsx';
import { LineChart } from '../../components/charts/LineChart.tsx';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { useEnumLabel } from '../inspections/labels.tsx';
import {
  answersXlsxUrl,
  useAnswerSummary,
  useCoverage,
  useCoverageByDay,
  useHouseholds,
  useVisitCampaigns,
} from './api.ts';
import { CampaignList } from './CampaignList.tsx';

const TABS = ['coverage', 'unvisited', 'results'] as const;
type Tab = (typeof TABS)[number];
const rate = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(2)}%`);

/**
 * `/household-visits` 入户走访: the campaigns (administrators and leaders start and end them here), and a campaign's
 * coverage per town, village and grid (units visited / in the registry, people covered), its advance by day, the
 * units never visited per grid (不漏一户), and the answers as charts and an Excel export. The figures and lists are
 * named for what the campaign counts: 户, 房屋 or 单位 (`units.*` of the catalogue).
 */
export default function HouseholdVisitsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const campaigns = useVisitCampaigns();
  const items = campaigns.data?.items ?? [];
  const campaignId = Number(params.get('campaign')) || items[0]?.id || null;
  const campaign = items.find((c) => c.id === campaignId) ?? null;
  const region = params.get('region');
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'coverage';
  const go = (next: Record<string, string | null>) => {
    const merged: Record<string, string> = {};
    for (const [k, v] of Object.entries({
      campaign: campaignId ? String(campaignId) : null,
      tab,
      region,
      ...next,
    }))
      if (v) merged[k] = v;
    setParams(merged);
  };

  if (campaigns.error)
    return <ErrorResult error={campaigns.error} onRetry={() => void campaigns.refetch()} />;
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      <Space wrap align="center" style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('householdVisits.title')}
        </Typography.Title>
        <Space wrap>
          <Select
            style={{ minWidth: 280 }}
            placeholder={t('householdVisits.campaign')}
            value={campaignId ?? undefined}
            loading={campaigns.isPending}
            onChange={(id: number) => go({ campaign: String(id), region: null })}
            options={items.map((c) => ({ value: c.id, label: c.name }))}
            data-testid="visit-campaign-select"
          />
          {campaign ? (
            <Button icon={<DownloadOutlined />} href={answersXlsxUrl(campaign.id)}>
              {t('householdVisits.export')}
            </Button>
          ) : null}
        </Space>
      </Space>
      <CampaignList
        campaigns={items}
        loading={campaigns.isPending}
        selectedId={campaign?.id ?? null}
        onOpen={(id) => go({ campaign: String(id), region: null, tab: 'coverage' })}
      />
      {!campaigns.isPending && !campaign ? <Empty description={t('householdVisits.noCampaign')} /> : null}
      {campaign ? (
        <>
          <Typography.Title level={5} style={{ margin: '8px 0 0' }} data-testid="visit-campaign-title">
            {campaign.name}
          </Typography.Title>
          <Typography.Text type="secondary">
            {t('householdVisits.form')}: {campaign.formTitle} v{campaign.formVersion} ·{' '}
            {t('householdVisits.area')}: {campaign.regions.map((r) => `${r.name}（${r.code}）`).join('、')} ·{' '}
            {t('householdVisits.period')}: {campaign.startsOn} – {campaign.endsOn}{' '}
            <Tag>{t(`householdVisits.statuses.${campaign.status}`)}</Tag>
            {campaign.synthetic ? <Tag color="orange">{t('householdVisits.synthetic')}</Tag> : null}
          </Typography.Text>
          <Tabs
            activeKey={tab}
            onChange={(key) => go({ tab: key })}
            items={TABS.map((key) => ({
              key,
              label:
                key === 'unvisited'
                  ? t(`householdVisits.units.${campaign.unit}.unvisitedTab`)
                  : t(`householdVisits.tabs.${key}`),
            }))}
            style={{ marginBottom: -8 }}
          />
          {tab === 'coverage' ? (
            <CoveragePanel
              campaignId={campaign.id}
              unit={campaign.unit}
              region={region}
              onRegion={(code) => go({ region: code })}
              onUnvisited={(code) => go({ tab: 'unvisited', region: code })}
            />
          ) : null}
          {tab === 'unvisited' ? (
            <UnvisitedPanel campaignId={campaign.id} unit={campaign.unit} region={region} />
          ) : null}
          {tab === 'results' ? <ResultsPanel campaignId={campaign.id} /> : null}
        </>
      ) : null}
    </Space>
  );
}

function CoveragePanel(props: {
  campaignId: number;
  unit: VisitUnit;
  region: string | null;
  onRegion: (code: string | null) => void;
  onUnvisited: (code: string) => void;
}) {
  const { t } = useTranslation();
  const words = `householdVisits.units.${props.unit}` as const;
  // Organisations have no residents: their campaigns count no people.
  const people = props.unit !== 'organisation';
  const coverage = useCoverage(props.campaignId, props.region);
  const byDay = useCoverageByDay(props.campaignId, props.region);
  const peopleColumn = {
    title: t('householdVisits.coverage.people'),
    key: 'people',
    align: 'right' as const,
    render: (_: unknown, r: CoverageRow) => `${r.peopleCovered} / ${r.residents}`,
  };
  if (coverage.error) return <ErrorResult error={coverage.error} onRetry={() => void coverage.refetch()} />;
  const root = coverage.data?.root;
  const rows = coverage.data?.rows ?? [];
  const parent =
    root && root.code.length > 9
      ? root.code.slice(0, root.code.length === 12 ? 9 : root.code.length - 3)
      : null;
  return (
    <Row gutter={[12, 12]}>
      {/* Side by side only on wide screens: the table's unit words (已走访房屋数) need the width. */}
      <Col xs={24} xxl={14}>
        <Card
          size="small"
          title={root ? `${root.name}（${root.code}）` : ''}
          extra={
            props.region && parent ? (
              <Button
                size="small"
                type="link"
                onClick={() => props.onRegion(parent.length >= 9 ? parent : null)}
              >
                {t('householdVisits.coverage.up')}
              </Button>
            ) : null
          }
        >
          {root ? (
            <Space style={{ marginBottom: 8 }} wrap>
              <Progress type="circle" size={64} percent={Math.round((root.rate ?? 0) * 1000) / 10} />
              <Typography.Text data-testid="coverage-total">
                {t(`${words}.visited`)} {root.visited.toLocaleString()} / {root.households.toLocaleString()}
                {people
                  ? ` · ${t('householdVisits.coverage.people')} ${root.peopleCovered.toLocaleString()} / ${root.residents.toLocaleString()}`
                  : ''}
              </Typography.Text>
            </Space>
          ) : null}
          <Table<CoverageRow>
            size="small"
            rowKey="code"
            loading={coverage.isPending}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 640 }}
            data-testid="coverage-table"
            columns={[
              {
                title: t('householdVisits.coverage.region'),
                key: 'name',
                render: (_, r) => (
                  <span>
                    {r.name} <Typography.Text type="secondary">{r.code}</Typography.Text>
                  </span>
                ),
              },
              { title: t(`${words}.registered`), dataIndex: 'households', align: 'right' },
              { title: t(`${words}.visited`), dataIndex: 'visited', align: 'right' },
              {
                title: t(`${words}.rate`),
                key: 'rate',
                align: 'right',
                render: (_, r) => rate(r.rate),
              },
              ...(people ? [peopleColumn] : []),
              {
                title: '',
                key: 'actions',
                render: (_, r) => (
                  <Space size={0}>
                    {r.code.length <= 12 && r.level !== 'grid' ? (
                      <Button size="small" type="link" onClick={() => props.onRegion(r.code)}>
                        {t('householdVisits.coverage.drill')}
                      </Button>
                    ) : null}
                    <Button size="small" type="link" onClick={() => props.onUnvisited(r.code)}>
                      {t(`${words}.unvisited`)} {r.households - r.visited}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xxl={10}>
        <Card size="small" title={t(`${words}.byDay`)}>
          <LineChart
            testId="coverage-by-day"
            label={t(`${words}.byDay`)}
            height={300}
            max={byDay.data?.households}
            categories={(byDay.data?.days ?? []).map((d) => d.day.slice(5))}
            series={[
              {
                name: t('householdVisits.coverage.cumulative'),
                color: paletteColor(0),
                values: (byDay.data?.days ?? []).map((d) => d.cumulative),
              },
              {
                name: t('householdVisits.coverage.daily'),
                color: paletteColor(1),
                bars: true,
                values: (byDay.data?.days ?? []).map((d) => d.visited),
              },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}

function UnvisitedPanel({
  campaignId,
  unit,
  region,
}: {
  campaignId: number;
  unit: VisitUnit;
  region: string | null;
}) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page')) || 1;
  const households = useHouseholds(campaignId, {
    status: 'unvisited',
    mine: false,
    page,
    pageSize: 50,
    ...(region ? { gridCode: region } : {}),
  });
  if (households.error)
    return <ErrorResult error={households.error} onRetry={() => void households.refetch()} />;
  return (
    <Table
      size="small"
      rowKey="key"
      loading={households.isPending}
      dataSource={households.data?.items ?? []}
      scroll={{ x: 640 }}
      locale={{ emptyText: t(`householdVisits.units.${unit}.none`) }}
      data-testid="unvisited-table"
      pagination={{
        current: page,
        pageSize: 50,
        total: households.data?.total ?? 0,
        showSizeChanger: false,
        onChange: (next) => {
          const merged = new URLSearchParams(params);
          merged.set('page', String(next));
          setParams(merged);
        },
      }}
      columns={[
        {
          title: t('householdVisits.household.grid'),
          key: 'grid',
          render: (_, h) => (
            <span>
              {h.gridName} <Typography.Text type="secondary">{h.gridCode}</Typography.Text>
            </span>
          ),
        },
        { title: t('householdVisits.household.address'), dataIndex: 'address' },
        { title: label(VISIT_UNIT_NAME_LABELS, unit), dataIndex: 'headName' },
        ...(unit === 'organisation'
          ? []
          : [
              {
                title: t('householdVisits.household.residents'),
                dataIndex: 'residents',
                align: 'right' as const,
              },
            ]),
      ]}
    />
  );
}

function ResultsPanel({ campaignId }: { campaignId: number }) {
  const { t } = useTranslation();
  const summary = useAnswerSummary(campaignId);
  if (summary.error) return <ErrorResult error={summary.error} onRetry={() => void summary.refetch()} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text>
        {t('householdVisits.results.visits')}: {summary.data?.visits ?? '—'}
      </Typography.Text>
      <Row gutter={[12, 12]}>
        {(summary.data?.questions ?? []).map((q) => (
          <Col xs={24} lg={12} key={q.name}>
            <Card size="small" title={q.label}>
              <BarChart
                label={q.label}
                height={Math.max(120, q.choices.length * 32 + 40)}
                color={paletteColor(0)}
                bars={q.choices.map((c) => ({ name: c.label, value: c.count }))}
              />
            </Card>
          </Col>
        ))}
      </Row>
    </Space>
  );
}
