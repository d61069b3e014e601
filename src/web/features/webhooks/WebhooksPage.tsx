import {
  Alert,
  App,
  Button,
  Checkbox,
  Drawer,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryStatus,
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookCreated,
  type WebhookEvent,
} from '../../../shared/webhooks.ts';
import { errorText } from '../../api/client.ts';
import { AdminTable } from '../../components/AdminTable.tsx';
import { showServerIssues } from '../../components/formErrors.ts';
import { SaveModal } from '../../components/SaveModal.tsx';
import { formatDateTime } from '../../components/time.ts';
import {
  useDeliveries,
  useRemoveWebhook,
  useRetryDelivery,
  useSaveWebhook,
  useTestWebhook,
  useWebhooks,
} from './api.ts';

// The same rule as the URL in createWebhookSchema (src/shared/webhooks.ts).
const URL_PATTERN = /^https?:\/\/\S+$/;
const PAGE_SIZE = 20;

type EventKey = (WebhookEvent extends `case.${infer K}` ? K : never) | 'test';

function eventKey(event: string): EventKey {
  return (event.startsWith('case.') ? event.slice('case.'.length) : 'test') as EventKey;
}

/** Status colour and text together (GLOSSARY: never colour alone). */
const STATUS_COLORS: Record<DeliveryStatus, string> = {
  pending: 'blue',
  delivered: 'green',
  failed: 'orange',
  dead: 'red',
};

function StatusTag({ status }: { status: DeliveryStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid={`delivery-${status}`}>
      {t(`webhooks.statuses.${status}`)}
    </Tag>
  );
}

function isCreated(webhook: Webhook | WebhookCreated): webhook is WebhookCreated {
  return 'secret' in webhook;
}

interface WebhookFormValues {
  name: string;
  url: string;
  events: WebhookEvent[];
  secret?: string;
}

function WebhookModal({
  webhook,
  onClose,
  onCreated,
}: {
  webhook: Webhook | null;
  onClose: () => void;
  onCreated: (created: WebhookCreated) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<WebhookFormValues>();
  const save = useSaveWebhook({
    onSuccess: (saved) => {
      if (isCreated(saved)) onCreated(saved);
      else void message.success(t('webhooks.updated'));
      onClose();
    },
    onError: (error) => showServerIssues(form, error, ['name', 'url', 'events', 'secret']),
  });
  const submit = (values: WebhookFormValues) => {
    const body = {
      name: values.name.trim(),
      url: values.url.trim(),
      events: values.events,
      ...(values.secret ? { secret: values.secret } : {}),
    };
    save.mutate(
      webhook ? { id: webhook.id, body: { ...body, version: webhook.version } } : { id: null, body },
    );
  };

  return (
    <SaveModal
      title={t(webhook ? 'webhooks.edit' : 'webhooks.create')}
      onClose={onClose}
      onSave={() => form.submit()}
      saving={save.isPending}
      error={save.isError ? save.error : null}
      width={640}
    >
      <Form<WebhookFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          webhook ? { name: webhook.name, url: webhook.url, events: webhook.events } : { events: [] }
        }
      >
        <Form.Item
          name="name"
          label={t('webhooks.fields.name')}
          rules={[
            { required: true, whitespace: true, max: 64, message: t('webhooks.validation.nameRequired') },
          ]}
        >
          <Input placeholder={t('webhooks.fields.namePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="url"
          label={t('webhooks.fields.url')}
          rules={[{ required: true, pattern: URL_PATTERN, message: t('webhooks.validation.urlFormat') }]}
        >
          <Input placeholder="https://example.org/gridgov" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="events"
          label={t('webhooks.fields.events')}
          rules={[
            { required: true, type: 'array', min: 1, message: t('webhooks.validation.eventsRequired') },
          ]}
        >
          <Checkbox.Group
            style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', rowGap: 8 }}
            options={WEBHOOK_EVENTS.map((event) => ({
              value: event,
              label: t(`webhooks.events.${eventKey(event)}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="secret"
          label={t('webhooks.fields.secret')}
          extra={t(webhook ? 'webhooks.fields.newSecretHelp' : 'webhooks.fields.secretHelp')}
          rules={[{ min: 16, max: 200, message: t('webhooks.validation.secretLength') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </SaveModal>
  );
}

/** The secret of a new webhook: shown this once, to copy into the receiving system. */
function SecretModal({ created, onClose }: { created: WebhookCreated; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={t('webhooks.secretTitle')}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('common.ok')}
        </Button>
      }
    >
      <Alert type="warning" showIcon title={t('webhooks.secretNote')} style={{ marginBottom: 12 }} />
      <Typography.Paragraph>
        {t('common.labelValue', { label: t('webhooks.fields.name'), value: created.name })}
      </Typography.Paragraph>
      <Typography.Paragraph code copyable data-testid="webhook-secret">
        {created.secret}
      </Typography.Paragraph>
    </Modal>
  );
}

/** The delivery log of one webhook, newest first, with a retry for what failed. */
function DeliveriesDrawer({ webhook, onClose }: { webhook: Webhook; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [status, setStatus] = useState<DeliveryStatus | undefined>();
  const [page, setPage] = useState(1);
  const deliveries = useDeliveries(webhook.id, { status, page, pageSize: PAGE_SIZE });
  const retry = useRetryDelivery(webhook.id, {
    onSuccess: (delivery) => {
      if (delivery.status === 'delivered') void message.success(t('webhooks.delivery.retried'));
      else void message.warning(t('webhooks.testFailed', { error: delivery.lastError ?? '' }));
    },
    onError: (error) => void message.error(errorText(error)),
  });

  return (
    <Drawer
      open
      size={960}
      title={t('webhooks.delivery.title', { name: webhook.name })}
      onClose={onClose}
      destroyOnHidden
    >
      <Flex gap={8} style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 180 }}
          aria-label={t('webhooks.delivery.statusFilter')}
          placeholder={t('webhooks.delivery.allStatuses')}
          value={status}
          onChange={(value?: DeliveryStatus) => {
            setStatus(value);
            setPage(1);
          }}
          options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`webhooks.statuses.${s}`) }))}
        />
      </Flex>
      {deliveries.isError ? (
        <Alert type="error" showIcon title={errorText(deliveries.error)} style={{ marginBottom: 12 }} />
      ) : null}
      <Table<Delivery>
        rowKey="id"
        size="small"
        loading={deliveries.isFetching}
        dataSource={deliveries.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('webhooks.delivery.empty') }}
        columns={[
          {
            key: 'createdAt',
            title: t('webhooks.delivery.createdAt'),
            width: 140,
            render: (_, d) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(d.createdAt)}</span>,
          },
          {
            key: 'event',
            title: t('webhooks.delivery.event'),
            render: (_, d) => t(`webhooks.events.${eventKey(d.event)}`),
          },
          {
            key: 'case',
            title: t('webhooks.delivery.case'),
            render: (_, d) => (d.caseId ? <Link to={`/cases/${d.caseId}`}>{d.caseNumber}</Link> : '—'),
          },
          {
            key: 'status',
            title: t('webhooks.delivery.status'),
            render: (_, d) => <StatusTag status={d.status} />,
          },
          { key: 'attempts', title: t('webhooks.delivery.attempts'), dataIndex: 'attempts', align: 'right' },
          {
            key: 'result',
            title: t('webhooks.delivery.result'),
            render: (_, d) => (
              <>
                {d.lastError ? (
                  <Typography.Text type="danger" style={{ fontSize: 12 }} ellipsis={{ tooltip: d.lastError }}>
                    {d.lastError}
                  </Typography.Text>
                ) : (
                  (d.lastStatusCode ?? '—')
                )}
                {d.status === 'failed' && d.nextAttemptAt ? (
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('webhooks.delivery.nextAttemptAt', { time: formatDateTime(d.nextAttemptAt) })}
                    </Typography.Text>
                  </div>
                ) : null}
              </>
            ),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_, d) =>
              d.status === 'failed' || d.status === 'dead' ? (
                <Button
                  size="small"
                  loading={retry.isPending && retry.variables?.id === d.id}
                  onClick={() => retry.mutate(d)}
                >
                  {t('webhooks.delivery.retry')}
                </Button>
              ) : null,
          },
        ]}
      />
      <Flex justify="flex-end" gap={8} style={{ marginTop: 12 }}>
        <Button disabled={page === 1} onClick={() => setPage((p) => p - 1)}>
          {t('webhooks.delivery.newer')}
        </Button>
        <Button disabled={!deliveries.data?.more} onClick={() => setPage((p) => p + 1)}>
          {t('webhooks.delivery.older')}
        </Button>
      </Flex>
    </Drawer>
  );
}

/** Webhook 推送: other systems told of case events, with the log of every delivery. */
export default function WebhooksPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const webhooks = useWebhooks();
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const [viewing, setViewing] = useState<Webhook | null>(null);

  const onError = (error: Error) => void message.error(errorText(error));
  const toggle = useSaveWebhook({ onSuccess: () => void message.success(t('webhooks.updated')), onError });
  const remove = useRemoveWebhook({ onSuccess: () => void message.success(t('webhooks.deleted')), onError });
  const test = useTestWebhook({
    onSuccess: (delivery) => {
      if (delivery.status === 'delivered')
        void message.success(t('webhooks.testDelivered', { code: delivery.lastStatusCode ?? '' }));
      else void message.warning(t('webhooks.testFailed', { error: delivery.lastError ?? '' }));
    },
    onError,
  });

  return (
    <AdminTable<Webhook>
      title={t('webhooks.title')}
      createLabel={t('webhooks.create')}
      intro={<Alert type="info" showIcon title={t('webhooks.intro')} style={{ marginBottom: 16 }} />}
      rows={webhooks.data}
      loading={webhooks.isFetching}
      error={webhooks.error}
      emptyText={t('webhooks.empty')}
      editor={(webhook, close) => <WebhookModal webhook={webhook} onClose={close} onCreated={setCreated} />}
      columns={({ edit }) => [
        {
          key: 'name',
          title: `${t('webhooks.fields.name')} / ${t('webhooks.fields.url')}`,
          render: (_, webhook) => (
            <>
              <div>{webhook.name}</div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} copyable>
                {webhook.url}
              </Typography.Text>
            </>
          ),
        },
        {
          key: 'events',
          title: t('webhooks.fields.events'),
          render: (_, webhook) => (
            <Flex gap={4} wrap>
              {webhook.events.map((event) => (
                <Tag key={event}>{t(`webhooks.events.${eventKey(event)}`)}</Tag>
              ))}
            </Flex>
          ),
        },
        {
          key: 'scope',
          title: t('webhooks.fields.scope'),
          render: (_, webhook) => webhook.regionName ?? t('common.all'),
        },
        {
          key: 'status',
          title: t('webhooks.fields.status'),
          render: (_, webhook) =>
            webhook.active ? (
              <Tag color="green">{t('webhooks.active')}</Tag>
            ) : (
              <Tag>{t('webhooks.inactive')}</Tag>
            ),
        },
        {
          key: 'actions',
          title: t('common.actions'),
          render: (_, webhook) => (
            <Space size={0} wrap>
              <Button type="link" size="small" onClick={() => setViewing(webhook)}>
                {t('webhooks.deliveries')}
              </Button>
              <Button
                type="link"
                size="small"
                disabled={!webhook.active}
                loading={test.isPending && test.variables?.id === webhook.id}
                onClick={() => test.mutate(webhook)}
              >
                {t('webhooks.sendTest')}
              </Button>
              <Button type="link" size="small" onClick={() => edit(webhook)}>
                {t('common.edit')}
              </Button>
              <Button
                type="link"
                size="small"
                onClick={() =>
                  toggle.mutate({
                    id: webhook.id,
                    body: { version: webhook.version, active: !webhook.active },
                  })
                }
              >
                {t(webhook.active ? 'webhooks.deactivate' : 'webhooks.activate')}
              </Button>
              <Popconfirm
                title={t('webhooks.deleteConfirm')}
                okText={t('common.ok')}
                cancelText={t('common.cancel')}
                onConfirm={() => remove.mutate(webhook)}
              >
                <Button type="link" size="small" danger>
                  {t('common.remove')}
                </Button>
              </Popconfirm>
            </Space>
          ),
        },
      ]}
    >
      {created ? <SecretModal created={created} onClose={() => setCreated(null)} /> : null}
      {viewing ? <DeliveriesDrawer webhook={viewing} onClose={() => setViewing(null)} /> : null}
    </AdminTable>
  );
}
