import { Alert, Drawer, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DrillQuery } from '../../../shared/indicators.ts';
import { errorText } from '../../api/client.ts';
import { formatDateTime } from '../../components/time.ts';
import { useLocale } from '../../i18n/index.ts';
import { useCaseLabels } from '../cases/labels.tsx';
import { RegionName } from '../inspections/labels.tsx';
import { useDrillCases } from './api.ts';
import { countLabel } from './figures.ts';

export type CasesQuery = Omit<DrillQuery, 'page' | 'pageSize'>;

const PAGE_SIZE = 20;

/** The cases behind one count (GET /indicators/cases), a page at a time: the total is the number clicked. */
export function CasesDrawer({
  query,
  unitName,
  onClose,
}: {
  query: CasesQuery | null;
  unitName: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const labels = useCaseLabels();
  const [page, setPage] = useState(1);
  const [shown, setShown] = useState<CasesQuery | null>(query);
  if (shown !== query) {
    // A new count opens on its first page.
    setShown(query);
    setPage(1);
  }
  const result = useDrillCases(query ? { ...query, page, pageSize: PAGE_SIZE } : null);
  const data = result.data;
  return (
    <Drawer
      open={query !== null}
      onClose={onClose}
      size="large"
      destroyOnHidden
      title={
        query
          ? t('evaluation.drill.title', {
              unit: unitName,
              count: countLabel(query.count, locale),
              total: data?.total ?? '…',
            })
          : null
      }
    >
      {result.isError ? <Alert type="error" showIcon title={errorText(result.error)} /> : null}
      {query ? (
        <Typography.Paragraph type="secondary">
          {query.from} — {query.to}
        </Typography.Paragraph>
      ) : null}
      <Table
        data-testid="drill-cases"
        rowKey="id"
        size="small"
        loading={result.isFetching}
        dataSource={data?.rows ?? []}
        scroll={{ x: 720 }}
        locale={{ emptyText: t('evaluation.drill.empty') }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (total) => t('evaluation.dashboard.unitCases', { count: total }),
        }}
        columns={[
          {
            key: 'number',
            title: t('evaluation.drill.caseNumber'),
            render: (_: unknown, row) => <Link to={`/cases/${row.id}`}>{row.caseNumber}</Link>,
          },
          { key: 'category', title: t('evaluation.drill.category'), dataIndex: 'categoryName' },
          {
            key: 'region',
            title: t('evaluation.drill.region'),
            render: (_: unknown, row) => <RegionName code={row.regionCode} />,
          },
          {
            key: 'state',
            title: t('evaluation.drill.state'),
            render: (_: unknown, row) => labels.state(row.state),
          },
          {
            key: 'reported',
            title: t('evaluation.drill.reportedAt'),
            render: (_: unknown, row) => formatDateTime(row.reportedAt),
          },
          {
            key: 'handled',
            title: t('evaluation.drill.handledAt'),
            render: (_: unknown, row) => (row.handledAt ? formatDateTime(row.handledAt) : '—'),
          },
          {
            key: 'closed',
            title: t('evaluation.drill.closedAt'),
            render: (_: unknown, row) => (row.closedAt ? formatDateTime(row.closedAt) : '—'),
          },
        ]}
      />
    </Drawer>
  );
}
