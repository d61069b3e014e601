import { ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Input, Select, Space, Table, Tag, TreeSelect } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { CASE_STATES } from '../../../shared/case-workflow.ts';
import { type CaseSummary, SYNTHETIC_CASE_MARK } from '../../../shared/cases.ts';
import { HOTLINE_IMPORT_ROLES } from '../../../shared/hotline.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { type CaseListQuery, useCaseList } from './api.ts';
import { BulkActions } from './BulkActions.tsx';
import { useCategoryOptions } from './categoryOptions.ts';
import { StepDue, useCaseLabels } from './labels.tsx';

const PAGE_SIZE = 20;

export default function CasesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const labels = useCaseLabels();
  const [query, setQuery] = useState<CaseListQuery>({ page: 1, pageSize: PAGE_SIZE });
  const list = useCaseList(query);
  const role = useSession().data?.user.role;
  const { options: categoryOptions } = useCategoryOptions();
  const [selected, setSelected] = useState<CaseSummary[]>([]);

  if (list.isError && !list.data) {
    return <ErrorResult error={list.error} onRetry={() => void list.refetch()} />;
  }

  const columns = [
    {
      key: 'caseNumber',
      title: t('cases.fields.caseNumber'),
      render: (_: unknown, row: CaseSummary) => (
        <Space size={4} wrap>
          <span>{row.caseNumber}</span>
          {row.description.startsWith(SYNTHETIC_CASE_MARK) ? <Tag>{t('cases.synthetic')}</Tag> : null}
        </Space>
      ),
    },
    {
      key: 'category',
      title: t('cases.fields.category'),
      render: (_: unknown, row: CaseSummary) => (
        <span>
          <Tag bordered={false}>{row.categoryCode}</Tag>
          {row.categoryName}
        </span>
      ),
    },
    { key: 'grid', title: t('cases.fields.grid'), dataIndex: 'regionName' },
    {
      key: 'state',
      title: t('cases.fields.state'),
      render: (_: unknown, row: CaseSummary) => (
        <Space size={4} wrap>
          <span>{labels.state(row.state)}</span>
          {row.supervised ? <Tag color="volcano">{t('cases.supervised')}</Tag> : null}
        </Space>
      ),
    },
    {
      key: 'stepDueAt',
      title: t('cases.fields.stepDueAt'),
      render: (_: unknown, row: CaseSummary) => <StepDue summary={row} />,
    },
    {
      key: 'lead',
      title: t('cases.fields.leadDepartment'),
      render: (_: unknown, row: CaseSummary) => row.leadDepartmentName ?? '—',
    },
  ];

  return (
    <Card
      title={t('cases.title')}
      extra={
        <Space>
          {role && HOTLINE_IMPORT_ROLES.includes(role) ? (
            <Button icon={<ImportOutlined />} onClick={() => navigate('/cases/hotline-import')}>
              {t('hotline.open')}
            </Button>
          ) : null}
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/cases/new')}>
            {t('cases.report')}
          </Button>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('cases.stateFilter')}
          style={{ width: 180 }}
          value={query.state ?? ''}
          onChange={(state: string) => setQuery((q) => ({ ...q, state: state || undefined, page: 1 }))}
          options={[
            { value: '', label: t('cases.allStates') },
            ...CASE_STATES.map((state) => ({ value: state, label: labels.state(state) })),
          ]}
        />
        <Select
          aria-label={t('cases.deadlineFilter')}
          style={{ width: 180 }}
          value={query.deadline ?? ''}
          onChange={(deadline: '' | 'dueSoon' | 'overdue') =>
            setQuery((q) => ({ ...q, deadline: deadline || undefined, page: 1 }))
          }
          options={[
            { value: '', label: t('cases.allDeadlines') },
            { value: 'dueSoon', label: t('cases.deadline.dueSoon') },
            { value: 'overdue', label: t('cases.deadline.overdue') },
          ]}
        />
        <TreeSelect
          aria-label={t('cases.fields.category')}
          style={{ width: 220 }}
          allowClear
          showSearch={{ treeNodeFilterProp: 'title' }}
          placeholder={t('cases.categoryFilter')}
          value={query.categoryId}
          treeData={categoryOptions}
          onChange={(categoryId: number | undefined) => setQuery((q) => ({ ...q, categoryId, page: 1 }))}
        />
        <RegionPicker
          style={{ width: 240 }}
          placeholder={t('cases.gridFilter')}
          value={query.regionCode}
          onChange={(regionCode) => setQuery((q) => ({ ...q, regionCode, page: 1 }))}
        />
        <Input.Search
          allowClear
          style={{ width: 300 }}
          placeholder={t('cases.searchPlaceholder')}
          onSearch={(q) => setQuery((current) => ({ ...current, q: q.trim() || undefined, page: 1 }))}
        />
      </Space>
      {list.isError ? <div style={{ color: 'red', marginBottom: 8 }}>{errorText(list.error)}</div> : null}
      {role ? <BulkActions role={role} selected={selected} onDone={() => setSelected([])} /> : null}
      <Table<CaseSummary>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={columns}
        rowSelection={{
          selectedRowKeys: selected.map((c) => c.id),
          onChange: (_keys, rows) => setSelected(rows),
          preserveSelectedRowKeys: true,
        }}
        onRow={(row) => ({
          onClick: (event) => {
            // A click on the selection box selects; anywhere else on the row opens the case.
            if ((event.target as HTMLElement).closest('.ant-table-selection-column')) return;
            navigate(`/cases/${row.id}`);
          },
          style: { cursor: 'pointer' },
        })}
        pagination={{
          current: query.page ?? 1,
          pageSize: query.pageSize ?? PAGE_SIZE,
          total: list.data?.total ?? 0,
          showTotal: (count) => t('common.total', { count }),
          onChange: (page, pageSize) => setQuery((q) => ({ ...q, page, pageSize })),
        }}
      />
    </Card>
  );
}
