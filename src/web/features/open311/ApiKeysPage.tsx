import { Alert, App, Button, Form, Input, InputNumber, Modal, Popconfirm, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Open311Key, Open311KeyCreated } from '../../../shared/open311.ts';
import { errorText } from '../../api/client.ts';
import { AdminTable } from '../../components/AdminTable.tsx';
import { showServerIssues } from '../../components/formErrors.ts';
import { formatDateTime } from '../../components/time.ts';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from './api.ts';
import Open311EndpointsCard from './Open311EndpointsCard.tsx';

interface KeyFormValues {
  name: string;
  rateLimitPerMinute: number;
}

/** Api keys of Open311 client applications: issue (the key is shown once), list, revoke. */
export default function ApiKeysPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [created, setCreated] = useState<Open311KeyCreated | null>(null);
  const keys = useApiKeys();
  const revoke = useRevokeApiKey({
    onSuccess: () => void message.success(t('apiKeys.revoked')),
    onError: (error) => void message.error(errorText(error)),
  });

  return (
    <>
      <AdminTable<Open311Key>
        title={t('apiKeys.title')}
        createLabel={t('apiKeys.create')}
        intro={<Typography.Paragraph type="secondary">{t('apiKeys.intro')}</Typography.Paragraph>}
        rows={keys.data}
        loading={keys.isLoading}
        error={keys.error}
        // Keys are issued and revoked, never edited: the editor only ever opens for a new one.
        editor={(_, close) => <CreateKeyModal onClose={close} onCreated={setCreated} />}
        columns={() => [
          { title: t('apiKeys.fields.name'), dataIndex: 'name' },
          {
            title: t('apiKeys.fields.prefix'),
            dataIndex: 'prefix',
            render: (p: string) => <Typography.Text code>{p}…</Typography.Text>,
          },
          { title: t('apiKeys.fields.rate'), dataIndex: 'rateLimitPerMinute' },
          {
            title: t('apiKeys.fields.region'),
            dataIndex: 'regionName',
            render: (name: string | null, k) => name ?? k.regionCode,
          },
          {
            title: t('apiKeys.fields.createdAt'),
            dataIndex: 'createdAt',
            render: (at: string) => formatDateTime(at),
          },
          {
            title: t('apiKeys.fields.state'),
            dataIndex: 'revokedAt',
            render: (at: string | null) =>
              at ? (
                <Tag color="red">{t('apiKeys.revokedAt', { at: formatDateTime(at) })}</Tag>
              ) : (
                <Tag color="green">{t('apiKeys.active')}</Tag>
              ),
          },
          {
            title: t('common.actions'),
            render: (_: unknown, k) =>
              k.revokedAt ? null : (
                <Popconfirm title={t('apiKeys.revokeConfirm')} onConfirm={() => revoke.mutate(k.id)}>
                  <Button danger size="small">
                    {t('apiKeys.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      >
        {created ? (
          <Modal
            open
            title={t('apiKeys.keyTitle')}
            onCancel={() => setCreated(null)}
            onOk={() => setCreated(null)}
            cancelButtonProps={{ hidden: true }}
          >
            <Alert type="warning" showIcon title={t('apiKeys.keyNote')} style={{ marginBottom: 12 }} />
            <Typography.Paragraph code copyable data-testid="open311-key">
              {created.key}
            </Typography.Paragraph>
          </Modal>
        ) : null}
      </AdminTable>
      <Open311EndpointsCard />
    </>
  );
}

/** Issues a key: its name and rate; the key itself is shown once, by the page. */
function CreateKeyModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (key: Open311KeyCreated) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<KeyFormValues>();
  const create = useCreateApiKey({
    onSuccess: (key) => {
      onClose();
      onCreated(key);
    },
    onError: (error) => showServerIssues(form, error, ['name', 'rateLimitPerMinute']),
  });
  return (
    <Modal
      open
      title={t('apiKeys.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<KeyFormValues>
        form={form}
        layout="vertical"
        initialValues={{ rateLimitPerMinute: 60 }}
        onFinish={(values) => create.mutate({ ...values, name: values.name.trim() })}
      >
        <Form.Item
          name="name"
          label={t('apiKeys.fields.name')}
          rules={[{ required: true, whitespace: true, max: 80 }]}
        >
          <Input placeholder={t('apiKeys.fields.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="rateLimitPerMinute" label={t('apiKeys.fields.rate')} rules={[{ required: true }]}>
          <InputNumber min={1} max={10000} precision={0} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
