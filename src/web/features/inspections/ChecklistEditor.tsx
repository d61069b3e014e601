import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  TreeSelect,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { TIME_UNIT_LABELS, TIME_UNITS } from '../../../shared/cases.ts';

type TimeUnit = (typeof TIME_UNITS)[number];

import type { ChecklistDetail } from '../../../shared/checklists.ts';
import {
  type ChecklistItemInput,
  ITEM_COMPARATORS,
  ITEM_RULE_LABELS,
  ITEM_RULES,
  PHOTO_RULE_LABELS,
  PHOTO_RULES,
  SITE_TYPE_LABELS,
  SITE_TYPES,
  type SiteType,
} from '../../../shared/inspections.ts';
import { ApiError, errorText } from '../../api/client.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { useCategoryOptions } from '../cases/categoryOptions.ts';
import { useChecklist, useSaveChecklist } from './api.ts';
import { useEnumLabel } from './labels.tsx';

type Row = ChecklistItemInput & { uid: number };

let nextUid = 1;
const blankItem = (section: string, key: string): Row => ({
  uid: nextUid++,
  key,
  section,
  question: '',
  points: 10,
  rule: 'passFail',
  comparator: null,
  threshold: null,
  unit: null,
  photo: 'onFail',
  guidance: '',
  siteTypes: [],
  categoryCode: null,
  veto: false,
  immediate: false,
  rectifyLimit: null,
});

function rowsOf(detail: ChecklistDetail): Row[] {
  return detail.sections.flatMap((section) =>
    section.items.map((item) => ({
      uid: nextUid++,
      key: item.key,
      section: item.section,
      question: item.question,
      points: item.points,
      rule: item.rule,
      comparator: item.comparator,
      threshold: item.threshold,
      unit: item.unit,
      photo: item.photo,
      guidance: item.guidance,
      siteTypes: item.siteTypes,
      categoryCode: item.categoryCode,
      veto: item.veto,
      immediate: item.immediate,
      rectifyLimit: item.rectifyLimit,
    })),
  );
}

/** The table's column of each field of an item, to say where a problem is. */
const ITEM_FIELD_LABELS = {
  key: 'inspections.fields.itemKey',
  section: 'inspections.fields.section',
  question: 'inspections.fields.question',
  points: 'inspections.fields.points',
  rule: 'inspections.fields.rule',
  comparator: 'inspections.fields.rule',
  threshold: 'inspections.fields.threshold',
  unit: 'inspections.fields.unit',
  photo: 'inspections.fields.photo',
  guidance: 'inspections.fields.guidance',
  siteTypes: 'inspections.fields.siteTypes',
  categoryCode: 'inspections.fields.rectifyCategory',
  rectifyLimit: 'inspections.fields.rectifyLimit',
} as const;

interface Header {
  code: string;
  name: string;
  description: string;
  siteTypes: SiteType[];
}

/** Creates a checklist, or edits one (a version in use becomes the next version; the old one stays). */
export default function ChecklistEditor() {
  const params = useParams();
  const id = params.id ? Number(params.id) : undefined;
  const checklist = useChecklist(id);
  if (id !== undefined) {
    if (checklist.isPending) return <PageSpinner />;
    if (checklist.isError)
      return <ErrorResult error={checklist.error} onRetry={() => void checklist.refetch()} />;
  }
  return <Editor key={checklist.data?.id ?? 'new'} detail={checklist.data ?? null} />;
}

function Editor({ detail }: { detail: ChecklistDetail | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const label = useEnumLabel();
  const save = useSaveChecklist();
  const [form] = Form.useForm<Header>();
  const [rows, setRows] = useState<Row[]>(() => (detail ? rowsOf(detail) : [blankItem('', '1.1')]));
  const { minors, options } = useCategoryOptions();
  // Items name their rectification category by code; the tree offers minor classes by id.
  const codeOptions = useMemo(
    () =>
      options.map((major) => ({
        ...major,
        children: major.children.map((minor) => ({
          value: minors.get(minor.value)?.code ?? String(minor.value),
          title: minor.title,
        })),
      })),
    [options, minors],
  );

  const change = (uid: number, patch: Partial<Row>) =>
    setRows((current) => current.map((row) => (row.uid === uid ? { ...row, ...patch } : row)));
  const move = (index: number, by: -1 | 1) =>
    setRows((current) => {
      const next = [...current];
      const [row] = next.splice(index, 1);
      if (row) next.splice(index + by, 0, row);
      return next;
    });
  const add = () =>
    setRows((current) => {
      const last = current[current.length - 1];
      return [...current, blankItem(last?.section ?? '', `${current.length + 1}`)];
    });

  const submit = async () => {
    const header = await form.validateFields();
    const items = rows.map(({ uid: _uid, ...item }) => item);
    const body = {
      name: header.name,
      description: header.description ?? '',
      siteTypes: header.siteTypes ?? [],
      items,
    };
    save.mutate(
      detail
        ? { id: detail.id, body: { ...body, rowVersion: detail.rowVersion } }
        : { id: null, body: { ...body, code: header.code } },
      { onSuccess: (saved) => navigate(`/inspections/checklists/${saved.id}`) },
    );
  };

  const issues = save.error instanceof ApiError ? save.error.issues : [];
  // An item's problem in words: which row, which column (as the table heads it), what is wrong.
  const issueText = (issue: { path: string; message: string }) => {
    const [, index, field] = /^items\.(\d+)\.?(\w*)/.exec(issue.path) ?? [];
    if (index === undefined) return issue.message;
    const column =
      field && field in ITEM_FIELD_LABELS
        ? t(ITEM_FIELD_LABELS[field as keyof typeof ITEM_FIELD_LABELS])
        : '';
    return t('inspections.checklists.itemIssue', { n: Number(index) + 1, column, message: issue.message });
  };
  const itemIssue = (index: number) =>
    issues
      .filter((issue) => issue.path.startsWith(`items.${index}.`) || issue.path === `items.${index}`)
      .map(issueText)
      .join('；');

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          detail
            ? t('inspections.checklists.editTitle', { name: detail.name, version: detail.version })
            : t('inspections.checklists.create')
        }
        extra={
          <Space>
            <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              loading={save.isPending}
              onClick={() => void submit()}
              data-testid="save-checklist"
            >
              {t('common.save')}
            </Button>
          </Space>
        }
      >
        {detail?.inUse ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('inspections.checklists.inUse')}
          />
        ) : null}
        {save.error ? (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={issues.length ? t('inspections.checklists.fixItems') : errorText(save.error)}
            description={
              issues.length ? (
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {issues.map((issue) => (
                    <li key={`${issue.path}:${issue.message}`}>{issueText(issue)}</li>
                  ))}
                </ul>
              ) : null
            }
          />
        ) : null}
        <Form
          form={form}
          layout="vertical"
          initialValues={{
            code: detail?.code ?? '',
            name: detail?.name ?? '',
            description: detail?.description ?? '',
            siteTypes: detail?.siteTypes ?? [],
          }}
        >
          <Space wrap align="start">
            <Form.Item
              name="code"
              label={t('inspections.fields.code')}
              rules={[
                {
                  required: true,
                  pattern: /^[a-z0-9][a-z0-9-]{1,39}$/,
                  message: t('inspections.checklists.codeRule'),
                },
              ]}
            >
              <Input style={{ width: 200 }} disabled={detail !== null} />
            </Form.Item>
            <Form.Item name="name" label={t('inspections.fields.name')} rules={[{ required: true, min: 2 }]}>
              <Input style={{ width: 320 }} />
            </Form.Item>
            <Form.Item name="siteTypes" label={t('inspections.fields.siteTypes')}>
              <Select
                mode="multiple"
                style={{ width: 360 }}
                placeholder={t('inspections.checklists.everySite')}
                options={SITE_TYPES.map((s) => ({ value: s, label: label(SITE_TYPE_LABELS, s) }))}
              />
            </Form.Item>
          </Space>
          <Form.Item name="description" label={t('inspections.fields.description')}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </Form>
      </Card>
      <Card
        size="small"
        title={t('inspections.checklists.itemsTitle', { count: rows.length })}
        extra={
          <Button icon={<PlusOutlined />} onClick={add} data-testid="add-item">
            {t('inspections.checklists.addItem')}
          </Button>
        }
      >
        <Table<Row>
          rowKey="uid"
          size="small"
          pagination={false}
          dataSource={rows}
          scroll={{ x: 2100 }}
          columns={[
            {
              key: 'order',
              title: '#',
              width: 90,
              fixed: 'left',
              render: (_: unknown, row, index) => (
                <Space size={0}>
                  <Button
                    size="small"
                    type="text"
                    aria-label={t('inspections.checklists.moveUp')}
                    icon={<ArrowUpOutlined />}
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                  />
                  <Button
                    size="small"
                    type="text"
                    aria-label={t('inspections.checklists.moveDown')}
                    icon={<ArrowDownOutlined />}
                    disabled={index === rows.length - 1}
                    onClick={() => move(index, 1)}
                  />
                  <Button
                    size="small"
                    type="text"
                    danger
                    aria-label={t('common.remove')}
                    icon={<DeleteOutlined />}
                    disabled={rows.length === 1}
                    onClick={() => setRows((current) => current.filter((r) => r.uid !== row.uid))}
                  />
                </Space>
              ),
            },
            {
              key: 'key',
              title: t('inspections.fields.itemKey'),
              width: 80,
              render: (_: unknown, row) => (
                <Input
                  size="small"
                  value={row.key}
                  onChange={(e) => change(row.uid, { key: e.target.value })}
                />
              ),
            },
            {
              key: 'section',
              title: t('inspections.fields.section'),
              width: 150,
              render: (_: unknown, row) => (
                <Input
                  size="small"
                  value={row.section}
                  onChange={(e) => change(row.uid, { section: e.target.value })}
                />
              ),
            },
            {
              key: 'question',
              title: t('inspections.fields.question'),
              width: 300,
              render: (_: unknown, row, index) => (
                <>
                  <Input.TextArea
                    size="small"
                    autoSize={{ minRows: 1, maxRows: 4 }}
                    value={row.question}
                    status={itemIssue(index) ? 'error' : undefined}
                    onChange={(e) => change(row.uid, { question: e.target.value })}
                  />
                  {itemIssue(index) ? (
                    <div style={{ color: '#cf1322', fontSize: 12 }}>{itemIssue(index)}</div>
                  ) : null}
                </>
              ),
            },
            {
              key: 'points',
              title: t('inspections.fields.points'),
              width: 80,
              render: (_: unknown, row) => (
                <InputNumber
                  size="small"
                  min={0}
                  max={1000}
                  value={row.points}
                  onChange={(points) => change(row.uid, { points: points ?? 0 })}
                />
              ),
            },
            {
              key: 'rule',
              title: t('inspections.fields.rule'),
              width: 260,
              render: (_: unknown, row) => (
                <Space size={4} wrap>
                  <Select
                    size="small"
                    style={{ width: 130 }}
                    value={row.rule}
                    onChange={(rule) => change(row.uid, { rule })}
                    options={ITEM_RULES.map((r) => ({ value: r, label: label(ITEM_RULE_LABELS, r) }))}
                  />
                  {row.rule === 'count' ? (
                    <>
                      <Select
                        size="small"
                        style={{ width: 60 }}
                        value={row.comparator ?? '>='}
                        onChange={(comparator) => change(row.uid, { comparator })}
                        options={ITEM_COMPARATORS.map((c) => ({ value: c, label: c }))}
                      />
                      <InputNumber
                        size="small"
                        style={{ width: 70 }}
                        min={0}
                        aria-label={t('inspections.fields.threshold')}
                        value={row.threshold ?? null}
                        onChange={(threshold) =>
                          change(row.uid, { threshold, comparator: row.comparator ?? '>=' })
                        }
                      />
                      <Input
                        size="small"
                        style={{ width: 50 }}
                        aria-label={t('inspections.fields.unit')}
                        value={row.unit ?? ''}
                        onChange={(e) => change(row.uid, { unit: e.target.value || null })}
                      />
                    </>
                  ) : null}
                </Space>
              ),
            },
            {
              key: 'photo',
              title: t('inspections.fields.photo'),
              width: 150,
              render: (_: unknown, row) => (
                <Select
                  size="small"
                  style={{ width: 140 }}
                  value={row.photo}
                  onChange={(photo) => change(row.uid, { photo })}
                  options={PHOTO_RULES.map((p) => ({ value: p, label: label(PHOTO_RULE_LABELS, p) }))}
                />
              ),
            },
            {
              key: 'guidance',
              title: t('inspections.fields.guidance'),
              width: 260,
              render: (_: unknown, row) => (
                <Input.TextArea
                  size="small"
                  autoSize={{ minRows: 1, maxRows: 4 }}
                  value={row.guidance}
                  onChange={(e) => change(row.uid, { guidance: e.target.value })}
                />
              ),
            },
            {
              key: 'siteTypes',
              title: t('inspections.fields.siteTypes'),
              width: 200,
              render: (_: unknown, row) => (
                <Select
                  size="small"
                  mode="multiple"
                  style={{ width: 190 }}
                  placeholder={t('inspections.checklists.everySite')}
                  value={row.siteTypes}
                  onChange={(siteTypes) => change(row.uid, { siteTypes })}
                  options={SITE_TYPES.map((s) => ({ value: s, label: label(SITE_TYPE_LABELS, s) }))}
                />
              ),
            },
            {
              key: 'category',
              title: t('inspections.fields.rectifyCategory'),
              width: 200,
              render: (_: unknown, row) => (
                <TreeSelect
                  size="small"
                  style={{ width: 190 }}
                  allowClear
                  showSearch={{ treeNodeFilterProp: 'title' }}
                  value={row.categoryCode ?? undefined}
                  treeData={codeOptions}
                  onChange={(code: string | undefined) => change(row.uid, { categoryCode: code ?? null })}
                />
              ),
            },
            {
              key: 'flags',
              title: t('inspections.checklists.flags'),
              width: 120,
              render: (_: unknown, row) => (
                <Space orientation="vertical" size={0}>
                  <Checkbox checked={row.veto} onChange={(e) => change(row.uid, { veto: e.target.checked })}>
                    {t('inspections.checklists.veto')}
                  </Checkbox>
                  <Checkbox
                    checked={row.immediate}
                    onChange={(e) => change(row.uid, { immediate: e.target.checked })}
                  >
                    {t('inspections.checklists.immediate')}
                  </Checkbox>
                </Space>
              ),
            },
            {
              key: 'limit',
              title: t('inspections.fields.rectifyLimit'),
              width: 190,
              render: (_: unknown, row) => (
                <Space.Compact size="small">
                  <InputNumber
                    size="small"
                    style={{ width: 64 }}
                    min={1}
                    max={1000}
                    aria-label={t('inspections.fields.rectifyLimit')}
                    value={row.rectifyLimit?.amount ?? null}
                    onChange={(amount) =>
                      change(row.uid, {
                        rectifyLimit: amount
                          ? { amount, unit: row.rectifyLimit?.unit ?? 'workingDays' }
                          : null,
                      })
                    }
                  />
                  <Select<TimeUnit>
                    size="small"
                    style={{ width: 110 }}
                    value={row.rectifyLimit?.unit ?? 'workingDays'}
                    disabled={!row.rectifyLimit}
                    onChange={(unit) =>
                      row.rectifyLimit && change(row.uid, { rectifyLimit: { ...row.rectifyLimit, unit } })
                    }
                    options={TIME_UNITS.map((u) => ({ value: u, label: label(TIME_UNIT_LABELS, u) }))}
                  />
                </Space.Compact>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
