import { CopyOutlined, DownloadOutlined, EditOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { TIME_UNIT_LABELS } from '../../../shared/cases.ts';
import type { ChecklistDetail, ChecklistItem } from '../../../shared/checklists.ts';
import {
  ITEM_RULE_LABELS,
  PHOTO_RULE_LABELS,
  type RectifyLimit,
  TEMPLATE_STATUS_LABELS,
} from '../../../shared/inspections.ts';
import { errorText } from '../../api/client.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { SaveModal } from '../../components/SaveModal.tsx';
import { formatDateTime } from '../../components/time.ts';
import { checklistExportUrl, useChecklist, useChecklistStatus, useCopyChecklist } from './api.ts';
import { SiteTypes, TemplateStatusTag } from './ChecklistsPage.tsx';
import { RegionName, useEnumLabel } from './labels.tsx';

export function useLimitText() {
  const label = useEnumLabel();
  return (limit: RectifyLimit | null) =>
    limit ? `${limit.amount} ${label(TIME_UNIT_LABELS, limit.unit)}` : '—';
}

/** An item's rule in words: a count item with its threshold ("≥ 5 处"). */
function RuleText({ item }: { item: ChecklistItem }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const rule = label(ITEM_RULE_LABELS, item.rule);
  if (item.rule !== 'count') return <>{rule}</>;
  return (
    <>
      {t('inspections.withNote', {
        text: rule,
        note: `${item.comparator} ${item.threshold}${item.unit ?? ''}`,
      })}
    </>
  );
}

/** The badges of an item: 一票否决, 立行立改. */
export function ItemBadges({ veto, immediate }: { veto: boolean; immediate: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {veto ? (
        <Tag color="red" data-testid="veto-badge">
          {t('inspections.checklists.veto')}
        </Tag>
      ) : null}
      {immediate ? <Tag color="orange">{t('inspections.checklists.immediate')}</Tag> : null}
    </>
  );
}

/** One version of a checklist: its sections and items, and what the user may do with it. */
export default function ChecklistPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const checklist = useChecklist(id);
  if (checklist.isPending) return <PageSpinner />;
  if (checklist.isError)
    return <ErrorResult error={checklist.error} onRetry={() => void checklist.refetch()} />;
  const detail = checklist.data;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={`${detail.name} · ${t('inspections.checklists.versionN', { version: detail.version })}`}
        extra={
          <ChecklistActions detail={detail} onOpen={(to) => navigate(`/inspections/checklists/${to}`)} />
        }
      >
        <Overview detail={detail} onVersion={(to) => navigate(`/inspections/checklists/${to}`)} />
      </Card>
      {detail.sections.map((section) => (
        <Card
          key={section.name}
          size="small"
          title={section.name}
          extra={t('inspections.checklists.sectionPoints', { points: section.points })}
        >
          <ItemsTable items={section.items} />
        </Card>
      ))}
    </Space>
  );
}

function Overview({ detail, onVersion }: { detail: ChecklistDetail; onVersion: (id: number) => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  return (
    <>
      {detail.inUse && detail.editable ? (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('inspections.checklists.inUse')} />
      ) : null}
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
        <Descriptions.Item label={t('inspections.fields.code')}>{detail.code}</Descriptions.Item>
        <Descriptions.Item label={t('inspections.fields.status')}>
          <TemplateStatusTag status={detail.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('inspections.fields.version')}>
          <Select<number>
            size="small"
            style={{ minWidth: 200 }}
            aria-label={t('inspections.fields.version')}
            value={detail.id}
            onChange={onVersion}
            options={detail.versions.map((v) => ({
              value: v.id,
              label: `${t('inspections.checklists.versionN', { version: v.version })} · ${label(TEMPLATE_STATUS_LABELS, v.status)}`,
            }))}
          />
        </Descriptions.Item>
        <Descriptions.Item label={t('inspections.fields.itemCount')}>{detail.itemCount}</Descriptions.Item>
        <Descriptions.Item label={t('inspections.fields.pointsTotal')}>
          {detail.pointsTotal}
        </Descriptions.Item>
        <Descriptions.Item label={t('inspections.checklists.vetoCount')}>
          {detail.vetoCount}
        </Descriptions.Item>
        <Descriptions.Item label={t('inspections.fields.siteTypes')}>
          <SiteTypes types={detail.siteTypes} />
        </Descriptions.Item>
        <Descriptions.Item label={t('inspections.fields.office')}>
          <RegionName code={detail.regionCode} />
        </Descriptions.Item>
        <Descriptions.Item label={t('inspections.fields.updatedAt')}>
          {formatDateTime(detail.updatedAt)}
        </Descriptions.Item>
        {detail.description ? (
          <Descriptions.Item label={t('inspections.fields.description')} span={3}>
            {detail.description}
          </Descriptions.Item>
        ) : null}
      </Descriptions>
    </>
  );
}

export function ItemsTable({ items }: { items: ChecklistItem[] }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const limitText = useLimitText();
  return (
    <Table<ChecklistItem>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={items}
      scroll={{ x: 1400 }}
      columns={[
        { key: 'key', title: t('inspections.fields.itemKey'), dataIndex: 'key', width: 64 },
        {
          key: 'question',
          title: t('inspections.fields.question'),
          width: 320,
          render: (_: unknown, item) => (
            <Space orientation="vertical" size={2}>
              <span>
                {item.question} <ItemBadges veto={item.veto} immediate={item.immediate} />
              </span>
              {item.siteTypes.length ? <SiteTypes types={item.siteTypes} /> : null}
            </Space>
          ),
        },
        {
          key: 'points',
          title: t('inspections.fields.points'),
          dataIndex: 'points',
          width: 64,
          align: 'right',
        },
        {
          key: 'rule',
          title: t('inspections.fields.rule'),
          width: 150,
          render: (_: unknown, item) => <RuleText item={item} />,
        },
        {
          key: 'photo',
          title: t('inspections.fields.photo'),
          width: 130,
          render: (_: unknown, item) => label(PHOTO_RULE_LABELS, item.photo),
        },
        {
          key: 'guidance',
          title: t('inspections.fields.guidance'),
          width: 280,
          render: (_: unknown, item) => item.guidance || '—',
        },
        {
          key: 'category',
          title: t('inspections.fields.rectifyCategory'),
          width: 160,
          render: (_: unknown, item) => item.categoryName ?? '—',
        },
        {
          key: 'limit',
          title: t('inspections.fields.rectifyLimit'),
          width: 110,
          render: (_: unknown, item) => limitText(item.rectifyLimit),
        },
      ]}
    />
  );
}

function ChecklistActions({ detail, onOpen }: { detail: ChecklistDetail; onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const status = useChecklistStatus();
  const [copying, setCopying] = useState(false);
  const step = (name: 'activate' | 'retire') =>
    status.mutate(
      { id: detail.id, step: name, rowVersion: detail.rowVersion },
      {
        onSuccess: () => void message.success(t(`inspections.checklists.${name}Done`)),
        onError: (error) => void message.error(errorText(error)),
      },
    );
  return (
    <Space wrap>
      <Button icon={<DownloadOutlined />} href={checklistExportUrl(detail.id)}>
        {t('inspections.exportXlsx')}
      </Button>
      {detail.editable ? (
        <>
          <Button icon={<CopyOutlined />} onClick={() => setCopying(true)}>
            {t('inspections.checklists.copy')}
          </Button>
          <Button
            icon={<EditOutlined />}
            onClick={() => navigate(`/inspections/checklists/${detail.id}/edit`)}
          >
            {t('common.edit')}
          </Button>
          {detail.status !== 'active' ? (
            <Popconfirm
              title={t('inspections.checklists.activateConfirm')}
              onConfirm={() => step('activate')}
              okText={t('inspections.checklists.activate')}
              cancelText={t('common.cancel')}
            >
              <Button type="primary" loading={status.isPending}>
                {t('inspections.checklists.activate')}
              </Button>
            </Popconfirm>
          ) : (
            <Popconfirm
              title={t('inspections.checklists.retireConfirm')}
              onConfirm={() => step('retire')}
              okText={t('inspections.checklists.retire')}
              cancelText={t('common.cancel')}
            >
              <Button danger loading={status.isPending}>
                {t('inspections.checklists.retire')}
              </Button>
            </Popconfirm>
          )}
        </>
      ) : null}
      {copying ? <CopyModal detail={detail} onClose={() => setCopying(false)} onCopied={onOpen} /> : null}
    </Space>
  );
}

function CopyModal(props: { detail: ChecklistDetail; onClose: () => void; onCopied: (id: number) => void }) {
  const { t } = useTranslation();
  const copy = useCopyChecklist();
  const [form] = Form.useForm<{ code: string; name: string }>();
  const save = async () => {
    const values = await form.validateFields();
    copy.mutate(
      { id: props.detail.id, ...values },
      {
        onSuccess: (copied) => {
          props.onClose();
          props.onCopied(copied.id);
        },
      },
    );
  };
  return (
    <SaveModal
      title={t('inspections.checklists.copyTitle')}
      onClose={props.onClose}
      onSave={() => void save()}
      saving={copy.isPending}
      error={copy.error}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          code: `${props.detail.code}-copy`,
          name: t('inspections.checklists.copyName', { name: props.detail.name }),
        }}
      >
        <Form.Item name="code" label={t('inspections.fields.code')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="name" label={t('inspections.fields.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
      </Form>
    </SaveModal>
  );
}
