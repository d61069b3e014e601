import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Task } from '../../../shared/task-books.ts';
import { errorText } from '../../api/client.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { formatDateTime } from '../../components/time.ts';
import { useCaseLabels } from '../cases/labels.tsx';
import { taskBookExportUrl, useIssueTaskBook, useTaskBook } from './api.ts';
import { useMayRun } from './labels.tsx';
import { AccountabilityTable, TaskCounts, TaskStateTag } from './TaskBooksPage.tsx';

/** One task book: its tasks with their standing (red overdue, 已督办), and its accountability list. */
export default function TaskBookPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const book = useTaskBook(id);
  const issue = useIssueTaskBook(id);
  const mayRun = useMayRun();
  const { message } = App.useApp();
  const caseLabels = useCaseLabels();
  if (book.isPending) return <PageSpinner />;
  if (book.isError) return <ErrorResult error={book.error} onRetry={() => void book.refetch()} />;
  const b = book.data;
  return (
    <Card
      title={`${b.number} · ${b.title}`}
      extra={
        <Space wrap>
          <Button icon={<DownloadOutlined />} href={taskBookExportUrl(b.id)}>
            {t('inspections.exportXlsx')}
          </Button>
          {mayRun && b.counts.pending > 0 ? (
            <Button
              type="primary"
              loading={issue.isPending}
              onClick={() =>
                issue.mutate(undefined, {
                  onSuccess: () => void message.success(t('inspections.taskBooks.issued')),
                  onError: (error) => void message.error(errorText(error)),
                })
              }
            >
              {t('inspections.taskBooks.finishIssuing')}
            </Button>
          ) : null}
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('inspections.fields.area')}>{b.regionName}</Descriptions.Item>
        <Descriptions.Item label={t('inspections.taskBooks.category')}>{b.categoryName}</Descriptions.Item>
        <Descriptions.Item label={t('inspections.taskBooks.deadline')}>
          <Typography.Text type={b.deadlinePassed ? 'danger' : undefined}>
            {b.deadlinePassed
              ? t('inspections.withNote', {
                  text: b.deadline,
                  note: t('inspections.taskBooks.deadlinePassed'),
                })
              : b.deadline}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('inspections.taskBooks.issuer')}>{b.issuerName}</Descriptions.Item>
        <Descriptions.Item label={t('inspections.taskBooks.issuedAt')}>
          {formatDateTime(b.createdAt)}
        </Descriptions.Item>
        {b.campaignId ? (
          <Descriptions.Item label={t('inspections.fields.campaign')}>
            <Link to={`/inspections/campaigns/${b.campaignId}`}>
              {t('inspections.taskBooks.openCampaign')}
            </Link>
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t('inspections.taskBooks.progress')} span={3}>
          <TaskCounts counts={b.counts} />
        </Descriptions.Item>
      </Descriptions>
      {b.counts.pending > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('inspections.taskBooks.pendingHelp')}
        />
      ) : null}
      <Tabs
        items={[
          {
            key: 'tasks',
            label: t('inspections.taskBooks.tasksN', { count: b.counts.total }),
            children: (
              <Table<Task>
                data-testid="task-book-tasks"
                rowKey="id"
                size="small"
                dataSource={b.tasks}
                pagination={{ pageSize: 50, hideOnSinglePage: true }}
                scroll={{ x: 1000 }}
                columns={[
                  { key: 'position', title: '#', dataIndex: 'position', width: 48 },
                  {
                    key: 'description',
                    title: t('inspections.taskBooks.description'),
                    dataIndex: 'description',
                  },
                  { key: 'unit', title: t('inspections.taskBooks.unit'), dataIndex: 'departmentName' },
                  { key: 'region', title: t('inspections.taskBooks.region'), dataIndex: 'regionName' },
                  {
                    key: 'responsible',
                    title: t('inspections.taskBooks.responsible'),
                    dataIndex: 'responsibleName',
                  },
                  {
                    key: 'state',
                    title: t('inspections.fields.status'),
                    render: (_: unknown, row) => (
                      <Space size={4} wrap>
                        <TaskStateTag state={row.state} />
                        {row.escalated ? (
                          <Tag color="volcano">{t('inspections.taskBooks.escalated')}</Tag>
                        ) : null}
                        {row.verified ? <Tag color="green">{t('inspections.taskBooks.verified')}</Tag> : null}
                        {row.daysOverdue ? (
                          <Typography.Text type="danger">
                            {t('inspections.taskBooks.daysOverdueN', { count: row.daysOverdue })}
                          </Typography.Text>
                        ) : null}
                      </Space>
                    ),
                  },
                  {
                    key: 'case',
                    title: t('inspections.fields.caseNumber'),
                    render: (_: unknown, row) =>
                      row.caseId ? (
                        <Space orientation="vertical" size={0}>
                          <Link to={`/cases/${row.caseId}`}>{row.caseNumber}</Link>
                          {row.caseState ? <span>{caseLabels.state(row.caseState)}</span> : null}
                        </Space>
                      ) : (
                        '—'
                      ),
                  },
                ]}
              />
            ),
          },
          {
            key: 'accountability',
            label: t('inspections.taskBooks.accountability'),
            children: <AccountabilityTable bookId={b.id} />,
          },
        ]}
      />
    </Card>
  );
}
