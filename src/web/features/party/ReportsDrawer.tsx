import { Alert, Drawer, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PARTY_OUTCOME_LABELS } from '../../../shared/party.ts';
import { errorText } from '../../api/client.ts';
import { formatDateTime } from '../../components/time.ts';
import { useLocale } from '../../i18n/index.ts';
import { type PartyDrill, type PartyReport, usePartyReports } from './api.ts';

const PAGE_SIZE = 20;
const OUTCOME_COLOR = { open: 'blue', closed: 'green', rejected: 'default' } as const;

/** The cases behind one figure of the party page: the total is the number clicked. */
export function ReportsDrawer({ drill, onClose }: { drill: PartyDrill | null; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [page, setPage] = useState(1);
  const [shown, setShown] = useState(drill);
  if (shown !== drill) {
    setShown(drill);
    setPage(1);
  }
  const result = usePartyReports(drill, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const lang = locale === 'en-US' ? 'en' : 'zh';
  return (
    <Drawer
      open={drill !== null}
      onClose={onClose}
      size="large"
      title={`${t('party.reports.title')} · ${drill?.title ?? ''}`}
      data-testid="party-reports"
    >
      {result.isError ? <Alert type="error" showIcon title={errorText(result.error)} /> : null}
      <Table<PartyReport>
        size="small"
        rowKey="caseId"
        loading={result.isFetching}
        dataSource={result.data?.items ?? []}
        scroll={{ x: 720 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: result.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('party.reports.total', { count }),
          onChange: setPage,
        }}
        columns={[
          {
            title: t('party.reports.caseNumber'),
            dataIndex: 'caseNumber',
            render: (value: string, row) => <Link to={`/cases/${row.caseId}`}>{value}</Link>,
          },
          { title: t('party.reports.description'), dataIndex: 'description', ellipsis: true },
          { title: t('party.reports.member'), render: (_, row) => row.member.name },
          { title: t('party.reports.post'), render: (_, row) => row.post?.name ?? '—' },
          { title: t('party.reports.village'), dataIndex: 'regionName', ellipsis: true },
          {
            title: t('party.reports.outcome'),
            dataIndex: 'outcome',
            render: (value: PartyReport['outcome']) => (
              <Tag color={OUTCOME_COLOR[value]}>{PARTY_OUTCOME_LABELS[value][lang]}</Tag>
            ),
          },
          {
            title: t('party.reports.reportedAt'),
            dataIndex: 'reportedAt',
            render: (value: string) => formatDateTime(value),
          },
        ]}
      />
    </Drawer>
  );
}
