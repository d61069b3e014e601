import { DownloadOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { z } from 'zod';
import {
  type AccountabilityEntry,
  TASK_STATE_LABELS,
  type TaskBookSummary,
  type TaskState,
  type taskCountsSchema,
} from '../../../shared/task-books.ts';
import { errorText } from '../../api/client.ts';
import { accountabilityExportUrl, useAccountability, useTaskBooks } from './api.ts';
import { useEnumLabel, useMayRun } from './labels.tsx';
import { TaskBookCreateModal, TaskBookImportModal } from './TaskBookForm.tsx';

export const TASK_STATE_COLOURS: Record<TaskState, string> = {
  pending: 'default',
  open: 'blue',
  overdue: 'red',
  done: 'green',
  doneLate: 'gold',
};

export function TaskStateTag({ state }: { state: TaskState }) {
  const label = useEnumLabel();
  return (
    <Tag color={TASK_STATE_COLOURS[state]} data-testid={`task-${state}`}>
      {label(TASK_STATE_LABELS, state)}
    </Tag>
  );
}

/** The counts of a book's tasks by state, each in its colour with its word. */
export function TaskCounts({ counts }: { counts: z.infer<typeof taskCountsSchema> }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const states: TaskState[] = ['overdue', 'open', 'pending', 'done', 'doneLate'];
  return (
    <Space size={[4, 4]} wrap>
      {states
        .filter((state) => counts[state] > 0)
        .map((state) => (
          <Tag key={state} color={TASK_STATE_COLOURS[state]}>
            {label(TASK_STATE_LABELS, state)} {counts[state]}
          </Tag>
        ))}
      {counts.escalated ? (
        <Tag color="volcano">{t('inspections.taskBooks.escalatedN', { count: counts.escalated })}</Tag>
      ) : null}
    </Space>
  );
}

/** 任务书: the books the user may see; issuers create or import new ones. */
export default function TaskBooksPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mayRun = useMayRun();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [dialog, setDialog] = useState<'create' | 'import' | null>(null);
  const list = useTaskBooks(page);
  return (
    <Card
      title={t('inspections.taskBooks.title')}
      extra={
        mayRun ? (
          <Space wrap>
            <Button icon={<ImportOutlined />} onClick={() => setDialog('import')}>
              {t('inspections.taskBooks.import')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog('create')}>
              {t('inspections.taskBooks.create')}
            </Button>
          </Space>
        ) : null
      }
    >
      {list.isError ? <Alert type="error" showIcon title={errorText(list.error)} /> : null}
      <Table<TaskBookSummary>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 900 }}
        onRow={(row) => ({
          onClick: () => navigate(`/inspections/task-books/${row.id}`),
          style: { cursor: 'pointer' },
        })}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showTotal: (count) => t('common.total', { count }),
          onChange: (p, pageSize) => setPage({ page: p, pageSize }),
        }}
        columns={[
          { key: 'number', title: t('inspections.taskBooks.number'), dataIndex: 'number' },
          { key: 'title', title: t('inspections.taskBooks.bookTitle'), dataIndex: 'title' },
          { key: 'area', title: t('inspections.fields.area'), dataIndex: 'regionName' },
          { key: 'category', title: t('inspections.taskBooks.category'), dataIndex: 'categoryName' },
          {
            key: 'deadline',
            title: t('inspections.taskBooks.deadline'),
            render: (_: unknown, row) => (
              <Typography.Text type={row.deadlinePassed ? 'danger' : undefined}>
                {row.deadlinePassed
                  ? t('inspections.withNote', {
                      text: row.deadline,
                      note: t('inspections.taskBooks.deadlinePassed'),
                    })
                  : row.deadline}
              </Typography.Text>
            ),
          },
          {
            key: 'counts',
            title: t('inspections.taskBooks.progress'),
            render: (_: unknown, row) => (
              <Space size={4} wrap>
                <span>{t('inspections.taskBooks.taskCount', { count: row.counts.total })}</span>
                <TaskCounts counts={row.counts} />
              </Space>
            ),
          },
          { key: 'issuer', title: t('inspections.taskBooks.issuer'), dataIndex: 'issuerName' },
        ]}
      />
      {dialog === 'create' ? <TaskBookCreateModal onClose={() => setDialog(null)} /> : null}
      {dialog === 'import' ? <TaskBookImportModal onClose={() => setDialog(null)} /> : null}
    </Card>
  );
}

/** The accountability list (问责清单): tasks unfinished at their book's deadline. */
export function AccountabilityTable({ bookId }: { bookId: number | null }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const list = useAccountability(bookId);
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button icon={<DownloadOutlined />} href={accountabilityExportUrl(bookId)}>
          {t('inspections.exportXlsx')}
        </Button>
        {list.data ? <span>{t('common.total', { count: list.data.total })}</span> : null}
      </Space>
      {list.isError ? <Alert type="error" showIcon title={errorText(list.error)} /> : null}
      <Table<AccountabilityEntry>
        data-testid="accountability"
        rowKey="taskId"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 1000 }}
        locale={{ emptyText: t('inspections.taskBooks.noAccountability') }}
        columns={[
          ...(bookId === null
            ? [
                {
                  key: 'book',
                  title: t('inspections.taskBooks.book'),
                  render: (_: unknown, row: AccountabilityEntry) => (
                    <Link to={`/inspections/task-books/${row.taskBookId}`}>{row.taskBookTitle}</Link>
                  ),
                },
              ]
            : []),
          { key: 'description', title: t('inspections.taskBooks.description'), dataIndex: 'description' },
          { key: 'unit', title: t('inspections.taskBooks.unit'), dataIndex: 'departmentName' },
          { key: 'responsible', title: t('inspections.taskBooks.responsible'), dataIndex: 'responsibleName' },
          { key: 'region', title: t('inspections.taskBooks.region'), dataIndex: 'regionName' },
          { key: 'deadline', title: t('inspections.taskBooks.deadline'), dataIndex: 'deadline' },
          {
            key: 'state',
            title: t('inspections.fields.status'),
            render: (_: unknown, row) => (
              <Space size={4} wrap>
                <Tag color={TASK_STATE_COLOURS[row.state]}>{label(TASK_STATE_LABELS, row.state)}</Tag>
                {row.escalated ? <Tag color="volcano">{t('inspections.taskBooks.escalated')}</Tag> : null}
              </Space>
            ),
          },
          {
            key: 'days',
            title: t('inspections.taskBooks.daysOverdue'),
            align: 'right',
            render: (_: unknown, row) => <Typography.Text type="danger">{row.daysOverdue}</Typography.Text>,
          },
          {
            key: 'case',
            title: t('inspections.fields.caseNumber'),
            render: (_: unknown, row) =>
              row.caseId ? <Link to={`/cases/${row.caseId}`}>{row.caseNumber}</Link> : '—',
          },
        ]}
      />
    </>
  );
}
