import { Alert, Drawer, Spin, Table, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DrillResult } from '../../../shared/campaigns.ts';
import { SITE_TYPE_LABELS } from '../../../shared/inspections.ts';
import { errorText } from '../../api/client.ts';
import { formatDateTime } from '../../components/time.ts';
import { useCaseLabels } from '../cases/labels.tsx';
import { useDrill } from './api.ts';
import { RateTag, RegionName, useEnumLabel } from './labels.tsx';

const TONES = { warning: '#d48806', danger: '#cf1322' } as const;

/** A figure of the results that opens the visits or cases behind it. */
export function DrillLink(props: {
  count: ReactNode;
  drill: string;
  open: (drill: string) => void;
  tone?: keyof typeof TONES;
  testId?: string;
}) {
  return (
    <Typography.Link
      data-testid={props.testId}
      style={props.tone ? { color: TONES[props.tone] } : undefined}
      onClick={(event) => {
        event.stopPropagation();
        props.open(props.drill);
      }}
    >
      {props.count}
    </Typography.Link>
  );
}

/** The drawer listing what is behind a figure; `open` shows it for the figure's drill query. */
export function useDrillDrawer(campaignId: number) {
  const [drill, setDrill] = useState<string | null>(null);
  return {
    open: setDrill,
    element:
      drill === null ? null : (
        <DrillList campaignId={campaignId} drill={drill} onClose={() => setDrill(null)} />
      ),
  };
}

function DrillList({
  campaignId,
  drill,
  onClose,
}: {
  campaignId: number;
  drill: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const caseLabels = useCaseLabels();
  const result = useDrill(campaignId, drill);
  const data: DrillResult | undefined = result.data;
  return (
    <Drawer open onClose={onClose} size="large" title={t('inspections.drill.title')} destroyOnHidden>
      {result.isPending ? <Spin /> : null}
      {result.isError ? <Alert type="error" showIcon title={errorText(result.error)} /> : null}
      {data?.visits.length ? (
        <Table
          data-testid="drill-visits"
          rowKey="id"
          size="small"
          dataSource={data.visits}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 600 }}
          title={() => t('inspections.drill.visits', { count: data.visits.length })}
          columns={[
            {
              key: 'target',
              title: t('inspections.fields.target'),
              render: (_: unknown, row) => <Link to={`/inspections/visits/${row.id}`}>{row.targetName}</Link>,
            },
            {
              key: 'round',
              title: t('inspections.fields.round'),
              render: (_: unknown, row) => t('inspections.roundN', { number: row.roundNumber }),
            },
            {
              key: 'at',
              title: t('inspections.fields.visitedAt'),
              render: (_: unknown, row) => formatDateTime(row.visitedAt),
            },
            { key: 'inspector', title: t('inspections.fields.inspector'), dataIndex: 'inspectorName' },
            {
              key: 'rate',
              title: t('inspections.fields.rate'),
              render: (_: unknown, row) => <RateTag rate={row.rate} />,
            },
          ]}
        />
      ) : null}
      {data?.cases.length ? (
        <Table
          data-testid="drill-cases"
          rowKey="id"
          size="small"
          dataSource={data.cases}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 600 }}
          title={() => t('inspections.drill.cases', { count: data.cases.length })}
          columns={[
            {
              key: 'number',
              title: t('inspections.fields.caseNumber'),
              render: (_: unknown, row) => <Link to={`/cases/${row.id}`}>{row.caseNumber}</Link>,
            },
            { key: 'target', title: t('inspections.fields.target'), dataIndex: 'targetName' },
            {
              key: 'state',
              title: t('inspections.fields.caseState'),
              render: (_: unknown, row) => caseLabels.state(row.state),
            },
            {
              key: 'due',
              title: t('inspections.fields.dueAt'),
              render: (_: unknown, row) => (row.dueAt ? formatDateTime(row.dueAt) : '—'),
            },
            {
              key: 'closed',
              title: t('inspections.fields.closedAt'),
              render: (_: unknown, row) => (row.closedAt ? formatDateTime(row.closedAt) : '—'),
            },
          ]}
        />
      ) : null}
      {data?.targets.length ? (
        <Table
          rowKey="id"
          size="small"
          dataSource={data.targets}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          title={() => t('inspections.drill.targets', { count: data.targets.length })}
          columns={[
            { key: 'name', title: t('inspections.fields.target'), dataIndex: 'name' },
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
          ]}
        />
      ) : null}
      {data && !data.visits.length && !data.cases.length && !data.targets.length ? (
        <Typography.Text type="secondary">{t('inspections.drill.empty')}</Typography.Text>
      ) : null}
    </Drawer>
  );
}
