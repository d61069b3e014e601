import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CASE_STEPS,
  CATEGORY_KIND_LABELS,
  CATEGORY_KINDS,
  type Category,
  TIME_UNIT_LABELS,
} from '../../../shared/cases.ts';
import { errorText } from '../../api/client.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { type CategoryTreeNode, categoryExportUrl, useCategoryTree } from './api.ts';
import { CategoryAttributesModal } from './CategoryAttributesModal.tsx';
import { CategoryFormModal, type CategoryTarget } from './CategoryForm.tsx';
import { CategoryImportModal } from './CategoryImport.tsx';

type Kind = (typeof CATEGORY_KINDS)[number];
/** A table row: a major class with its minor classes as children, or a minor class (no children key). */
type Row = Category & { children?: Category[] };

/** 事件分类: the two category trees, their time limits and defaults; import and export as CSV. */
export default function CategoriesPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const tree = useCategoryTree();
  const [kind, setKind] = useState<Kind>('matter');
  const [editing, setEditing] = useState<CategoryTarget | null>(null);
  const [importing, setImporting] = useState(false);
  const [fieldsOf, setFieldsOf] = useState<Category | null>(null);

  const majorsOf = (k: Kind): CategoryTreeNode[] => (tree.data ?? []).filter((major) => major.kind === k);
  const rows: Row[] = majorsOf(kind).map((major) => ({ ...major, children: major.children }));

  const columns: ColumnsType<Row> = [
    {
      key: 'code',
      title: t('categoryAdmin.fields.code'),
      dataIndex: 'code',
      width: 124,
      render: (code: string) => (
        <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
          {code}
        </Typography.Text>
      ),
    },
    {
      key: 'name',
      title: t('categoryAdmin.fields.name'),
      render: (_, row) => (
        <Space size={4} wrap>
          <span style={row.parentId === null ? { fontWeight: 600 } : undefined}>{row.name}</span>
          {row.active ? null : <Tag>{t('categoryAdmin.inactive')}</Tag>}
          {row.parentId !== null && !row.public ? <Tag>{t('categoryAdmin.notPublic')}</Tag> : null}
        </Space>
      ),
    },
    {
      key: 'limits',
      title: t('categoryAdmin.fields.limits'),
      children: CASE_STEPS.map((step) => ({
        key: step,
        title: t(`cases.steps.${step}`),
        width: 84,
        render: (_: unknown, row: Row) => {
          const limit = row.limits[step];
          if (row.parentId === null) return null;
          return limit ? (
            <span style={{ whiteSpace: 'nowrap' }}>
              {t('categoryAdmin.limitText', {
                amount: limit.amount,
                unit: pickLabel(TIME_UNIT_LABELS[limit.unit], locale),
              })}
            </span>
          ) : (
            <Typography.Text type="secondary">—</Typography.Text>
          );
        },
      })),
    },
    {
      key: 'department',
      title: t('categoryAdmin.fields.defaultDepartment'),
      width: 170,
      render: (_, row) => row.defaultDepartmentName ?? (row.parentId === null ? null : '—'),
    },
    {
      key: 'onTheSpot',
      title: t('categoryAdmin.fields.onTheSpot'),
      width: 72,
      align: 'center',
      render: (_, row) =>
        row.parentId === null ? null : row.onTheSpot ? (
          <Tag color="green">{t('categoryAdmin.yes')}</Tag>
        ) : (
          '—'
        ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 164,
      render: (_, row) => (
        <Space size={0}>
          <Button
            type="link"
            size="small"
            aria-label={`${t('common.edit')} ${row.code}`}
            onClick={() => setEditing({ category: row })}
          >
            {t('common.edit')}
          </Button>
          {row.parentId === null ? (
            <Button
              type="link"
              size="small"
              onClick={() => setEditing({ create: { kind: row.kind, majorCode: row.code } })}
            >
              {t('categoryAdmin.addMinor')}
            </Button>
          ) : (
            <Button
              type="link"
              size="small"
              aria-label={`${t('attributes.editor.open')} ${row.code}`}
              onClick={() => setFieldsOf(row)}
            >
              {t('attributes.editor.open')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title={t('categoryAdmin.title')}
      extra={
        <Space wrap>
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
            {t('categoryAdmin.import')}
          </Button>
          <Button icon={<DownloadOutlined />} href={categoryExportUrl} download="categories.csv">
            {t('categoryAdmin.export')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ create: { kind } })}>
            {t('categoryAdmin.create')}
          </Button>
        </Space>
      }
    >
      {tree.isError ? (
        <Alert type="error" showIcon title={errorText(tree.error)} style={{ marginBottom: 12 }} />
      ) : null}
      <Tabs
        activeKey={kind}
        onChange={(key) => setKind(key as Kind)}
        items={CATEGORY_KINDS.map((k) => {
          const majors = majorsOf(k);
          return {
            key: k,
            label: `${pickLabel(CATEGORY_KIND_LABELS[k], locale)} · ${t('categoryAdmin.summary', {
              majors: majors.length,
              minors: majors.reduce((sum, major) => sum + major.children.length, 0),
            })}`,
          };
        })}
      />
      <Table<Row>
        // Re-mounted when the data or the tree changes, so that every major class opens by default.
        key={`${kind}:${tree.dataUpdatedAt}`}
        rowKey="id"
        size="small"
        bordered
        loading={tree.isFetching}
        dataSource={rows}
        columns={columns}
        expandable={{ defaultExpandAllRows: true }}
        pagination={false}
        scroll={{ x: 960 }}
      />
      {editing ? <CategoryFormModal target={editing} onClose={() => setEditing(null)} /> : null}
      {importing ? <CategoryImportModal onClose={() => setImporting(false)} /> : null}
      {fieldsOf ? <CategoryAttributesModal category={fieldsOf} onClose={() => setFieldsOf(null)} /> : null}
    </Card>
  );
}
