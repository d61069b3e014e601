import { DownloadOutlined, FilePdfOutlined, FileWordOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CampaignDetail, CampaignResults as Results } from '../../../shared/campaigns.ts';
import { SITE_TYPE_LABELS } from '../../../shared/inspections.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { formatDateTime } from '../../components/time.ts';
import { campaignReportUrl, opinionUrl, resultsXlsxUrl, useResults } from './api.ts';
import { ItemBadges } from './ChecklistPage.tsx';
import { DrillLink, useDrillDrawer } from './DrillDrawer.tsx';
import { formatPercent, RateTag, RegionName, useEnumLabel, VetoedRate } from './labels.tsx';

type TargetRow = Results['targets'][number];
type ItemRow = Results['items'][number];
type VillageRow = Results['villages'][number];
type DepartmentRow = Results['departments'][number];

/** The results of a campaign: every figure opens the visits or cases behind it. */
export function CampaignResults({ detail }: { detail: CampaignDetail }) {
  const { t } = useTranslation();
  const results = useResults(detail.id, detail.status !== 'draft');
  const drawer = useDrillDrawer(detail.id);
  if (detail.status === 'draft') return <Tag>{t('inspections.campaign.noRoundsYet')}</Tag>;
  if (results.isPending) return <PageSpinner />;
  if (results.isError) return <ErrorResult error={results.error} onRetry={() => void results.refetch()} />;
  const data = results.data;
  const open = drawer.open;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="campaign-results">
      <Space wrap>
        <Button icon={<DownloadOutlined />} href={resultsXlsxUrl(detail.id)}>
          {t('inspections.results.xlsx')}
        </Button>
        <Button icon={<FilePdfOutlined />} href={campaignReportUrl(detail.id, 'pdf')}>
          {t('inspections.results.reportPdf')}
        </Button>
        <Button icon={<FileWordOutlined />} href={campaignReportUrl(detail.id, 'docx')}>
          {t('inspections.results.reportDocx')}
        </Button>
        <Typography.Text type="secondary">
          {t('inspections.results.computedAt', { at: formatDateTime(data.computedAt) })}
        </Typography.Text>
      </Space>
      {data.scope === 'yourScope' ? (
        <Alert type="info" showIcon title={t('inspections.results.yourScope')} />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic title={t('inspections.results.targets')} value={data.overall.targets} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('inspections.results.visited')} value={data.overall.visited} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('inspections.results.averageRate')}
            valueRender={() => <RateTag rate={data.overall.averageRate} />}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('inspections.results.vetoed')}
            valueRender={() => (
              <DrillLink
                count={data.overall.vetoed}
                drill="figure=vetoed"
                open={open}
                tone="danger"
                testId="drill-vetoed"
              />
            )}
          />
        </Col>
      </Row>
      <Rectification data={data} open={open} />
      <TargetsTable data={data} open={open} />
      <ItemsTable data={data} open={open} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <VillagesTable data={data} open={open} />
        </Col>
        <Col xs={24} xl={12}>
          <DepartmentsTable data={data} open={open} />
        </Col>
      </Row>
      {drawer.element}
    </Space>
  );
}

interface Part {
  data: Results;
  open: (drill: string) => void;
}

function Rectification({ data, open }: Part) {
  const { t } = useTranslation();
  const r = data.rectification;
  const figures = [
    { key: 'open', tone: undefined, figure: r.open },
    { key: 'openOverdue', tone: 'danger', figure: r.openOverdue },
    { key: 'doneOnTime', tone: undefined, figure: r.doneOnTime },
    { key: 'doneLate', tone: 'warning', figure: r.doneLate },
  ] as const;
  return (
    <Card size="small" title={t('inspections.results.rectification')}>
      <Row gutter={16}>
        {figures.map(({ key, tone, figure }) => (
          <Col key={key} xs={12} md={6}>
            <Statistic
              title={t(`inspections.results.progress.${key}`)}
              valueRender={() => (
                <DrillLink
                  count={figure.count}
                  drill={figure.drill}
                  open={open}
                  tone={tone}
                  testId={`drill-${key}`}
                />
              )}
            />
          </Col>
        ))}
      </Row>
    </Card>
  );
}

function TargetsTable({ data, open }: Part) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  return (
    <Card size="small" title={t('inspections.results.byTarget')}>
      <Table<TargetRow>
        data-testid="results-targets"
        rowKey="targetId"
        size="small"
        dataSource={data.targets}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 1000 }}
        columns={[
          {
            key: 'name',
            title: t('inspections.fields.target'),
            render: (_: unknown, row) =>
              row.visitId ? <Link to={`/inspections/visits/${row.visitId}`}>{row.name}</Link> : row.name,
          },
          {
            key: 'site',
            title: t('inspections.fields.siteType'),
            render: (_: unknown, row) => label(SITE_TYPE_LABELS, row.siteType),
          },
          {
            key: 'grid',
            title: t('inspections.fields.grid'),
            render: (_: unknown, row) => <RegionName code={row.regionCode} />,
          },
          {
            key: 'rate',
            title: t('inspections.fields.rate'),
            sorter: (a, b) => (a.rate ?? -1) - (b.rate ?? -1),
            render: (_: unknown, row) =>
              row.visitId === null ? (
                <Tag>{t('inspections.results.notVisited')}</Tag>
              ) : row.vetoedBy ? (
                <VetoedRate rawRate={row.rawRate} item={row.vetoedBy} />
              ) : (
                <RateTag rate={row.rate} />
              ),
          },
          {
            key: 'failed',
            title: t('inspections.results.failedItems'),
            align: 'right',
            render: (_: unknown, row) => <DrillLink count={row.failed} drill={row.drill} open={open} />,
          },
          {
            key: 'documents',
            title: t('inspections.results.opinion'),
            render: (_: unknown, row) =>
              row.visitId ? (
                <Space size={0}>
                  <Button
                    type="link"
                    size="small"
                    icon={<FilePdfOutlined />}
                    href={opinionUrl(row.visitId, 'pdf')}
                  >
                    PDF
                  </Button>
                  <Button
                    type="link"
                    size="small"
                    icon={<FileWordOutlined />}
                    href={opinionUrl(row.visitId, 'docx')}
                  >
                    Word
                  </Button>
                </Space>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </Card>
  );
}

function ItemsTable({ data, open }: Part) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('inspections.results.byItem')}>
      <Table<ItemRow>
        rowKey="itemId"
        size="small"
        dataSource={data.items}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 800 }}
        columns={[
          { key: 'key', title: t('inspections.fields.itemKey'), dataIndex: 'key', width: 64 },
          {
            key: 'question',
            title: t('inspections.fields.question'),
            render: (_: unknown, row) => (
              <span>
                {row.question} <ItemBadges veto={row.veto} immediate={false} />
              </span>
            ),
          },
          { key: 'section', title: t('inspections.fields.section'), dataIndex: 'section' },
          {
            key: 'applicable',
            title: t('inspections.results.applicable'),
            dataIndex: 'applicable',
            align: 'right',
          },
          {
            key: 'failed',
            title: t('inspections.results.failed'),
            align: 'right',
            render: (_: unknown, row) => <DrillLink count={row.failed} drill={row.drill} open={open} />,
          },
          {
            key: 'rate',
            title: t('inspections.results.failureRate'),
            align: 'right',
            defaultSortOrder: 'descend',
            sorter: (a, b) => (a.failureRate ?? -1) - (b.failureRate ?? -1),
            render: (_: unknown, row) => formatPercent(row.failureRate),
          },
        ]}
      />
    </Card>
  );
}

function VillagesTable({ data, open }: Part) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('inspections.results.byVillage')}>
      <Table<VillageRow>
        rowKey="code"
        size="small"
        dataSource={data.villages}
        pagination={false}
        scroll={{ x: 500 }}
        columns={[
          { key: 'name', title: t('inspections.fields.village'), dataIndex: 'name' },
          { key: 'targets', title: t('inspections.results.targets'), dataIndex: 'targets', align: 'right' },
          {
            key: 'visited',
            title: t('inspections.results.visited'),
            align: 'right',
            render: (_: unknown, row) => <DrillLink count={row.visited} drill={row.drill} open={open} />,
          },
          {
            key: 'rate',
            title: t('inspections.results.averageRate'),
            render: (_: unknown, row) => <RateTag rate={row.averageRate} />,
          },
          {
            key: 'vetoed',
            title: t('inspections.results.vetoed'),
            align: 'right',
            render: (_: unknown, row) =>
              row.vetoed ? <Typography.Text type="danger">{row.vetoed}</Typography.Text> : 0,
          },
        ]}
      />
    </Card>
  );
}

function DepartmentsTable({ data, open }: Part) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('inspections.results.byDepartment')}>
      <Table<DepartmentRow>
        rowKey={(row) => String(row.departmentId ?? 'none')}
        size="small"
        dataSource={data.departments}
        pagination={false}
        scroll={{ x: 500 }}
        columns={[
          {
            key: 'name',
            title: t('inspections.fields.department'),
            render: (_: unknown, row) =>
              row.departmentId === null ? t('inspections.results.notDispatched') : row.name,
          },
          {
            key: 'cases',
            title: t('inspections.results.cases'),
            align: 'right',
            render: (_: unknown, row) => <DrillLink count={row.cases} drill={row.drill} open={open} />,
          },
          { key: 'open', title: t('inspections.results.progress.open'), dataIndex: 'open', align: 'right' },
          {
            key: 'onTime',
            title: t('inspections.results.progress.doneOnTime'),
            dataIndex: 'doneOnTime',
            align: 'right',
          },
          {
            key: 'late',
            title: t('inspections.results.progress.doneLate'),
            align: 'right',
            render: (_: unknown, row) =>
              row.doneLate ? <Typography.Text type="warning">{row.doneLate}</Typography.Text> : 0,
          },
        ]}
      />
    </Card>
  );
}
