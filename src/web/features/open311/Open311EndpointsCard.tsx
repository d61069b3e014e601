import {
  App,
  Button,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  TreeSelect,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Open311Endpoint,
  type Open311Outbound,
  OUTBOUND_STATUSES,
  type OutboundStatus,
} from '../../../shared/open311.ts';
import { errorText } from '../../api/client.ts';
import { AdminTable } from '../../components/AdminTable.tsx';
import { showServerIssues } from '../../components/formErrors.ts';
import { SaveModal } from '../../components/SaveModal.tsx';
import { formatDateTime } from '../../components/time.ts';
import { useCategoryOptions } from '../cases/categoryOptions.ts';
import { useDepartments } from '../people/api.ts';
import {
  useOutboundEndpoints,
  useOutboundSends,
  useRemoveOutboundEndpoint,
  useRetryOutboundSend,
  useSaveOutboundEndpoint,
} from './api.ts';

const STATUS_COLORS: Record<OutboundStatus, string> = {
  pending: 'blue',
  sent: 'green',
  failed: 'gold',
  dead: 'red',
};

/** Categories named in the table before the rest are folded into a count. */
const CATEGORIES_SHOWN = 3;

interface EndpointFormValues {
  name: string;
  departmentId: number;
  baseUrl: string;
  apiKey?: string;
  jurisdictionId?: string | null;
  categoryIds: number[];
  active: boolean;
}

/** Adds an endpoint, or changes one: its api key is replaced only when a new one is typed. */
function EndpointModal({ endpoint, onClose }: { endpoint: Open311Endpoint | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<EndpointFormValues>();
  const departments = useDepartments();
  const categories = useCategoryOptions();
  const save = useSaveOutboundEndpoint({
    onSuccess: () => {
      void message.success(t('open311Endpoints.saved'));
      onClose();
    },
    onError: (error) => {
      const fields = ['name', 'departmentId', 'baseUrl', 'apiKey', 'jurisdictionId', 'categoryIds'];
      if (!showServerIssues(form, error, fields)) void message.error(errorText(error));
    },
  });
  const submit = (values: EndpointFormValues) => {
    const body = {
      name: values.name,
      departmentId: values.departmentId,
      baseUrl: values.baseUrl,
      jurisdictionId: values.jurisdictionId?.trim() || null,
      categoryIds: values.categoryIds,
      active: values.active,
      ...(values.apiKey?.trim() ? { apiKey: values.apiKey } : {}),
    };
    save.mutate(
      endpoint ? { id: endpoint.id, body: { ...body, version: endpoint.version } } : { id: null, body },
    );
  };

  return (
    <SaveModal
      title={t(endpoint ? 'open311Endpoints.edit' : 'open311Endpoints.create')}
      onClose={onClose}
      onSave={() => form.submit()}
      saving={save.isPending}
      width={600}
    >
      <Form<EndpointFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          endpoint
            ? {
                name: endpoint.name,
                departmentId: endpoint.departmentId,
                baseUrl: endpoint.baseUrl,
                jurisdictionId: endpoint.jurisdictionId,
                categoryIds: endpoint.categoryIds,
                active: endpoint.active,
              }
            : { categoryIds: [], active: true }
        }
      >
        <Form.Item
          name="name"
          label={t('open311Endpoints.fields.name')}
          rules={[{ required: true, whitespace: true, max: 80 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="departmentId"
          label={t('open311Endpoints.fields.department')}
          rules={[{ required: true }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={departments.isLoading}
            options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
        <Form.Item
          name="categoryIds"
          label={t('open311Endpoints.fields.categories')}
          extra={t('open311Endpoints.categoriesHelp')}
        >
          <TreeSelect
            treeCheckable
            showCheckedStrategy={TreeSelect.SHOW_CHILD}
            showSearch={{ treeNodeFilterProp: 'title' }}
            allowClear
            maxTagCount="responsive"
            loading={categories.isLoading}
            placeholder={t('open311Endpoints.allCategories')}
            treeData={categories.options}
          />
        </Form.Item>
        <Form.Item
          name="baseUrl"
          label={t('open311Endpoints.fields.baseUrl')}
          rules={[{ required: true, type: 'url' }]}
        >
          <Input placeholder="https://311.example.org/open311/v2" />
        </Form.Item>
        <Form.Item
          name="apiKey"
          label={t('open311Endpoints.fields.apiKey')}
          extra={endpoint ? t('open311Endpoints.apiKeyKeep', { masked: endpoint.apiKeyMasked }) : undefined}
          rules={[{ required: !endpoint, whitespace: true, max: 200 }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="jurisdictionId" label={t('open311Endpoints.fields.jurisdiction')}>
          <Input />
        </Form.Item>
        <Form.Item name="active" label={t('open311Endpoints.fields.active')} valuePropName="checked">
          <Switch
            checkedChildren={t('open311Endpoints.active')}
            unCheckedChildren={t('open311Endpoints.inactive')}
          />
        </Form.Item>
      </Form>
    </SaveModal>
  );
}

/** The categories an endpoint takes: a few by name, the rest counted (all names in the tooltip). */
function EndpointCategories({ ids }: { ids: number[] }) {
  const { t } = useTranslation();
  const { minors } = useCategoryOptions();
  if (ids.length === 0) return <Tag>{t('open311Endpoints.allCategories')}</Tag>;
  const names = ids.map((id) => {
    const minor = minors.get(id);
    return minor ? t('common.nameWithCode', { name: minor.name, code: minor.code }) : String(id);
  });
  return (
    <Space size={4} wrap>
      {names.slice(0, CATEGORIES_SHOWN).map((name) => (
        <Tag key={name}>{name}</Tag>
      ))}
      {names.length > CATEGORIES_SHOWN ? (
        <Tooltip title={names.slice(CATEGORIES_SHOWN).join('、')}>
          <Tag>{t('open311Endpoints.moreCategories', { count: names.length - CATEGORIES_SHOWN })}</Tag>
        </Tooltip>
      ) : null}
    </Space>
  );
}

/**
 * Open311 outbound: departments' own GeoReport v2 systems their dispatched cases (of the chosen categories) are
 * sent to — added, edited, switched on and off here — and the sends that failed, with retry.
 */
export default function Open311EndpointsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [status, setStatus] = useState<OutboundStatus>('failed');
  const endpoints = useOutboundEndpoints();
  const sends = useOutboundSends(status);
  const onError = (error: Error) => void message.error(errorText(error));
  const toggle = useSaveOutboundEndpoint({ onError });
  const remove = useRemoveOutboundEndpoint({ onError });
  const retry = useRetryOutboundSend({
    onSuccess: (row) => {
      if (row.status === 'sent') void message.success(t('open311Endpoints.retried'));
      else void message.warning(t('open311Endpoints.retryFailed', { error: row.lastError ?? '' }));
    },
    onError,
  });

  return (
    <AdminTable<Open311Endpoint>
      title={t('open311Endpoints.title')}
      style={{ marginTop: 16 }}
      createLabel={t('open311Endpoints.create')}
      secondaryCreate
      intro={<Typography.Paragraph type="secondary">{t('open311Endpoints.intro')}</Typography.Paragraph>}
      rows={endpoints.data}
      loading={endpoints.isLoading}
      error={endpoints.error}
      editor={(endpoint, close) => <EndpointModal endpoint={endpoint} onClose={close} />}
      columns={({ edit }) => [
        { title: t('open311Endpoints.fields.name'), dataIndex: 'name' },
        { title: t('open311Endpoints.fields.department'), dataIndex: 'departmentName' },
        {
          title: t('open311Endpoints.fields.baseUrl'),
          dataIndex: 'baseUrl',
          render: (url: string) => <Typography.Text code>{url}</Typography.Text>,
        },
        { title: t('open311Endpoints.fields.apiKey'), dataIndex: 'apiKeyMasked' },
        {
          title: t('open311Endpoints.fields.categories'),
          render: (_: unknown, e) => <EndpointCategories ids={e.categoryIds} />,
        },
        {
          title: t('open311Endpoints.fields.state'),
          render: (_: unknown, e) => (
            <Space size={4} wrap>
              <Switch
                aria-label={t('open311Endpoints.fields.active')}
                // On one line: a narrow column would otherwise break 启用 / 停用 inside the switch and hide it.
                style={{ whiteSpace: 'nowrap' }}
                checked={e.active}
                checkedChildren={t('open311Endpoints.active')}
                unCheckedChildren={t('open311Endpoints.inactive')}
                loading={toggle.isPending && toggle.variables?.id === e.id}
                onChange={(active) => toggle.mutate({ id: e.id, body: { active, version: e.version } })}
              />
              {e.failedCount > 0 ? (
                <Tag color="red">{t('open311Endpoints.failedCount', { count: e.failedCount })}</Tag>
              ) : null}
            </Space>
          ),
        },
        {
          title: t('open311Endpoints.fields.lastPull'),
          render: (_: unknown, e) =>
            e.lastPullError ? (
              <Typography.Text type="danger">{e.lastPullError}</Typography.Text>
            ) : e.lastPullAt ? (
              formatDateTime(e.lastPullAt)
            ) : (
              '—'
            ),
        },
        {
          title: t('common.actions'),
          render: (_: unknown, e) => (
            <Space size={4}>
              <Button size="small" onClick={() => edit(e)}>
                {t('common.edit')}
              </Button>
              <Popconfirm title={t('open311Endpoints.deleteConfirm')} onConfirm={() => remove.mutate(e.id)}>
                <Button danger size="small">
                  {t('open311Endpoints.delete')}
                </Button>
              </Popconfirm>
            </Space>
          ),
        },
      ]}
    >
      <Space style={{ margin: '16px 0 8px' }}>
        <Typography.Text strong>{t('open311Endpoints.sends')}</Typography.Text>
        <Select<OutboundStatus>
          aria-label={t('open311Endpoints.fields.status')}
          value={status}
          onChange={setStatus}
          style={{ width: 140 }}
          options={OUTBOUND_STATUSES.map((s) => ({ value: s, label: t(`open311Endpoints.statuses.${s}`) }))}
        />
      </Space>
      <Table<Open311Outbound>
        rowKey="id"
        size="small"
        loading={sends.isFetching}
        dataSource={sends.data ?? []}
        pagination={false}
        columns={[
          { title: t('open311Endpoints.fields.case'), dataIndex: 'caseNumber' },
          {
            title: t('open311Endpoints.fields.endpoint'),
            dataIndex: 'endpointId',
            render: (id: number) => endpoints.data?.find((e) => e.id === id)?.name ?? id,
          },
          {
            title: t('open311Endpoints.fields.status'),
            dataIndex: 'status',
            render: (s: OutboundStatus) => (
              <Tag color={STATUS_COLORS[s]} data-testid={`outbound-${s}`}>
                {t(`open311Endpoints.statuses.${s}`)}
              </Tag>
            ),
          },
          { title: t('open311Endpoints.fields.attempts'), dataIndex: 'attempts' },
          {
            title: t('open311Endpoints.fields.remote'),
            render: (_: unknown, r) => r.remoteRequestId ?? r.remoteToken ?? '—',
          },
          {
            title: t('open311Endpoints.fields.lastError'),
            render: (_: unknown, r) => (
              <Space orientation="vertical" size={0}>
                {r.lastError ? <Typography.Text type="danger">{r.lastError}</Typography.Text> : null}
                {r.status === 'failed' && r.nextAttemptAt ? (
                  <Typography.Text type="secondary">
                    {t('open311Endpoints.nextAttempt', { at: formatDateTime(r.nextAttemptAt) })}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('common.actions'),
            render: (_: unknown, r) =>
              r.status === 'failed' || r.status === 'dead' ? (
                <Button size="small" loading={retry.isPending} onClick={() => retry.mutate(r.id)}>
                  {t('common.retry')}
                </Button>
              ) : null,
          },
        ]}
      />
    </AdminTable>
  );
}
