import { DownloadOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Input, Select, Space, Table, Tag, TreeSelect } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { HOTLINE_IMPORT_ROLES } from '../../../shared/access.ts';
import { CASE_STATES } from '../../../shared/case-workflow.ts';
import {
  CASE_SOURCE_LABELS,
  CASE_SOURCES,
  type CaseSummary,
  SYNTHETIC_CASE_MARK,
} from '../../../shared/cases.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { useDepartments } from '../people/api.ts';
import { type CaseListQuery, casesExportUrl, useCaseList } from './api.ts';
import { BulkActions } from './BulkActions.tsx';
import { useCategoryOptions } from './categoryOptions.ts';
import { StepDue, useCaseLabels } from './labels.tsx';

const PAGE_SIZE = 20;

/**
 * The filters live in the address, so a count on the work page opens the list filtered as it was counted, and a
 * filtered list can be bookmarked or sent. Without any, the list opens on the open cases.
 */
function queryOf(params: URLSearchParams): CaseListQuery {
  const query: CaseListQuery = Object.fromEntries(params);
  if (!params.has('open') && !params.has('state')) query.open = 'true';
  query.page ??= '1';
  query.pageSize ??= String(PAGE_SIZE);
  return query;
}

export default function CasesPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const labels = useCaseLabels();
  const [params, setParams] = useSearchParams();
  const query = queryOf(params);
  /** A change of filter goes back to the first page; `undefined` (or '') removes a filter. */
  const setQuery = (update: (q: CaseListQuery) => CaseListQuery) => {
    const next = update(query);
    const entries = Object.entries(next).filter(
      (entry): entry is [string, string | number | boolean] =>
        entry[1] !== undefined && entry[1] !== '' && entry[1] !== null,
    );
    setParams(new URLSearchParams(entries.map(([k, v]) => [k, String(v)])), { replace: true });
  };
  const list = useCaseList(query);
  const departments = useDepartments();
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
          <Button
            icon={<DownloadOutlined />}
            href={casesExportUrl(query, i18n.language)}
            data-testid="cases-export"
          >
            {t('cases.export')}
          </Button>
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
          value={query.state ? String(query.state) : query.open === 'true' ? 'open' : ''}
          onChange={(state: string) =>
            setQuery((q) => ({
              ...q,
              state: state === 'open' ? undefined : state || undefined,
              open: state === 'open' ? 'true' : 'false',
              page: 1,
            }))
          }
          options={[
            { value: 'open', label: t('cases.openStates') },
            { value: '', label: t('cases.allStates') },
            ...CASE_STATES.map((state) => ({ value: state, label: labels.state(state) })),
          ]}
        />
        <Select
          aria-label={t('cases.sourceFilter')}
          style={{ width: 150 }}
          value={query.source ? String(query.source) : ''}
          onChange={(source: string) => setQuery((q) => ({ ...q, source: source || undefined, page: 1 }))}
          options={[
            { value: '', label: t('cases.allSources') },
            ...CASE_SOURCES.map((source) => ({
              value: source,
              label:
                i18n.language === 'en-US' ? CASE_SOURCE_LABELS[source].en : CASE_SOURCE_LABELS[source].zh,
            })),
          ]}
        />
        <Select
          aria-label={t('cases.fields.leadDepartment')}
          style={{ width: 180 }}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('cases.departmentFilter')}
          value={query.departmentId ? Number(query.departmentId) : undefined}
          onChange={(departmentId: number | undefined) => setQuery((q) => ({ ...q, departmentId, page: 1 }))}
          options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
        />
        <DatePicker.RangePicker
          aria-label={t('cases.reportedFilter')}
          value={query.from && query.to ? [dayjs(String(query.from)), dayjs(String(query.to))] : null}
          onChange={(range) =>
            setQuery((q) => ({
              ...q,
              from: range?.[0]?.format('YYYY-MM-DD'),
              to: range?.[1]?.format('YYYY-MM-DD'),
              page: 1,
            }))
          }
        />
        <Select
          aria-label={t('cases.deadlineFilter')}
          style={{ width: 180 }}
          value={query.deadline ? String(query.deadline) : ''}
          onChange={(deadline: string) =>
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
          value={query.categoryId ? Number(query.categoryId) : undefined}
          treeData={categoryOptions}
          onChange={(categoryId: number | undefined) => setQuery((q) => ({ ...q, categoryId, page: 1 }))}
        />
        <RegionPicker
          style={{ width: 240 }}
          placeholder={t('cases.gridFilter')}
          value={query.regionCode ? String(query.regionCode) : undefined}
          onChange={(regionCode) => setQuery((q) => ({ ...q, regionCode, page: 1 }))}
        />
        <Input.Search
          allowClear
          defaultValue={query.q ? String(query.q) : undefined}
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
          current: Number(query.page),
          pageSize: Number(query.pageSize),
          total: list.data?.total ?? 0,
          showTotal: (count) => t('common.total', { count }),
          onChange: (page, pageSize) => setQuery((q) => ({ ...q, page, pageSize })),
        }}
      />
    </Card>
  );
}
