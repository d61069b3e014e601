import { ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ChecklistListQuery, ChecklistSummary } from '../../../shared/checklists.ts';
import {
  SITE_TYPE_LABELS,
  SITE_TYPES,
  TEMPLATE_STATUS_LABELS,
  TEMPLATE_STATUSES,
} from '../../../shared/inspections.ts';
import { errorText } from '../../api/client.ts';
import { useChecklists, useImportChecklist } from './api.ts';
import { useEnumLabel, useMayRun } from './labels.tsx';
import { XlsxImportModal } from './XlsxImportModal.tsx';

const STATUS_COLOURS = { draft: 'default', active: 'green', retired: 'red' } as const;

export function TemplateStatusTag({ status }: { status: ChecklistSummary['status'] }) {
  const label = useEnumLabel();
  return <Tag color={STATUS_COLOURS[status]}>{label(TEMPLATE_STATUS_LABELS, status)}</Tag>;
}

/** The site types a template or item is for; none named means every site. */
export function SiteTypes({ types }: { types: readonly string[] }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  if (!types.length) return <span>{t('inspections.checklists.everySite')}</span>;
  return (
    <Space size={[2, 2]} wrap>
      {types.map((type) => (
        <Tag key={type} bordered={false}>
          {label(SITE_TYPE_LABELS, type)}
        </Tag>
      ))}
    </Space>
  );
}

/** 检查表: every template code with its latest version. */
export default function ChecklistsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const label = useEnumLabel();
  const mayRun = useMayRun();
  const [query, setQuery] = useState<Partial<ChecklistListQuery>>({});
  const [importing, setImporting] = useState(false);
  const list = useChecklists(query);

  return (
    <Card
      title={t('inspections.checklists.title')}
      extra={
        mayRun ? (
          <Space wrap>
            <Button icon={<ImportOutlined />} onClick={() => setImporting(true)}>
              {t('inspections.checklists.import')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/inspections/checklists/new')}
            >
              {t('inspections.checklists.create')}
            </Button>
          </Space>
        ) : null
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          style={{ width: 260 }}
          placeholder={t('inspections.checklists.search')}
          onSearch={(q) => setQuery((current) => ({ ...current, q: q.trim() || undefined }))}
        />
        <Select
          aria-label={t('inspections.fields.status')}
          style={{ width: 160 }}
          value={query.status ?? ''}
          onChange={(status: string) =>
            setQuery((current) => ({ ...current, status: (status || undefined) as typeof current.status }))
          }
          options={[
            { value: '', label: t('inspections.allStatuses') },
            ...TEMPLATE_STATUSES.map((s) => ({ value: s, label: label(TEMPLATE_STATUS_LABELS, s) })),
          ]}
        />
        <Select
          aria-label={t('inspections.fields.siteTypes')}
          style={{ width: 200 }}
          value={query.siteType ?? ''}
          onChange={(siteType: string) =>
            setQuery((current) => ({
              ...current,
              siteType: (siteType || undefined) as typeof current.siteType,
            }))
          }
          options={[
            { value: '', label: t('inspections.allSiteTypes') },
            ...SITE_TYPES.map((s) => ({ value: s, label: label(SITE_TYPE_LABELS, s) })),
          ]}
        />
      </Space>
      {list.isError ? <Alert type="error" showIcon title={errorText(list.error)} /> : null}
      <Table<ChecklistSummary>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        onRow={(row) => ({
          onClick: () => navigate(`/inspections/checklists/${row.id}`),
          style: { cursor: 'pointer' },
        })}
        columns={[
          { key: 'name', title: t('inspections.fields.name'), dataIndex: 'name' },
          { key: 'code', title: t('inspections.fields.code'), dataIndex: 'code' },
          {
            key: 'version',
            title: t('inspections.fields.version'),
            render: (_: unknown, row) => t('inspections.checklists.versionN', { version: row.version }),
          },
          {
            key: 'status',
            title: t('inspections.fields.status'),
            render: (_: unknown, row) => (
              <Space size={4} wrap>
                <TemplateStatusTag status={row.status} />
                {row.activeVersionId !== null && row.activeVersionId !== row.id ? (
                  <Tag color="green">
                    {t('inspections.checklists.activeVersion', {
                      version: row.versions.find((v) => v.id === row.activeVersionId)?.version ?? '',
                    })}
                  </Tag>
                ) : null}
              </Space>
            ),
          },
          { key: 'items', title: t('inspections.fields.itemCount'), dataIndex: 'itemCount', align: 'right' },
          {
            key: 'points',
            title: t('inspections.fields.pointsTotal'),
            dataIndex: 'pointsTotal',
            align: 'right',
          },
          {
            key: 'sites',
            title: t('inspections.fields.siteTypes'),
            render: (_: unknown, row) => <SiteTypes types={row.siteTypes} />,
          },
        ]}
      />
      {importing ? <ChecklistImportModal onClose={() => setImporting(false)} /> : null}
    </Card>
  );
}

/** Imports a template from XLSX: checked first (nothing written), then imported as a draft. */
function ChecklistImportModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const importer = useImportChecklist();
  const [file, setFile] = useState<File | null>(null);
  const [form] = Form.useForm<{ code?: string; name?: string }>();
  const checked = importer.data && !importer.data.applied ? importer.data : null;

  const send = (chosen: File, dryRun: boolean) => {
    const { code, name } = form.getFieldsValue();
    importer.mutate(
      { file: chosen, dryRun, code: code?.trim() || undefined, name: name?.trim() || undefined },
      {
        onSuccess: (result) => {
          if (!result.applied || !result.template) return;
          void message.success(
            t('inspections.checklists.imported', { name: result.name, items: result.items }),
          );
          onClose();
          navigate(`/inspections/checklists/${result.template.id}`);
        },
      },
    );
  };

  return (
    <XlsxImportModal
      title={t('inspections.checklists.importTitle')}
      help={t('inspections.checklists.importHelp')}
      fields={
        <Form form={form} layout="inline" style={{ marginBottom: 12 }}>
          <Form.Item name="code" label={t('inspections.fields.code')}>
            <Input placeholder={t('inspections.checklists.importCodeHint')} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="name" label={t('inspections.fields.name')}>
            <Input placeholder={t('inspections.checklists.importNameHint')} style={{ width: 220 }} />
          </Form.Item>
        </Form>
      }
      fileName={file?.name ?? null}
      onFile={(chosen) => {
        setFile(chosen);
        send(chosen, true);
      }}
      outcome={
        checked ? (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            title={t(
              checked.newTemplate
                ? 'inspections.checklists.checkedNew'
                : 'inspections.checklists.checkedNext',
              { name: checked.name, code: checked.code, items: checked.items },
            )}
          />
        ) : null
      }
      error={importer.error}
      busy={importer.isPending}
      okText={t('inspections.checklists.importApply')}
      okDisabled={!checked || !file}
      onOk={() => file && send(file, false)}
      onClose={onClose}
    />
  );
}
