import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Open311Key, Open311KeyCreated } from '../../../shared/open311.ts';
import { api, errorText } from '../../api/client.ts';
import { showServerIssues } from '../../components/formErrors.ts';
import { formatDateTime } from '../../components/time.ts';
import Open311EndpointsCard from './Open311EndpointsCard.tsx';

const KEYS_KEY = ['open311-keys'];

interface KeyFormValues {
  name: string;
  rateLimitPerMinute: number;
}

/** Api keys of Open311 client applications: issue (the key is shown once), list, revoke. */
export default function ApiKeysPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Open311KeyCreated | null>(null);
  const [form] = Form.useForm<KeyFormValues>();
  const keys = useQuery({ queryKey: KEYS_KEY, queryFn: () => api<Open311Key[]>('/open311/keys') });
  const create = useMutation({
    mutationFn: (values: KeyFormValues) =>
      api<Open311KeyCreated>('/open311/keys', {
        method: 'POST',
        body: { ...values, name: values.name.trim() },
      }),
    onSuccess: (key) => {
      void queryClient.invalidateQueries({ queryKey: KEYS_KEY });
      setCreating(false);
      setCreated(key);
    },
    onError: (error) => showServerIssues(form, error, ['name', 'rateLimitPerMinute']),
  });
  const revoke = useMutation({
    mutationFn: (id: number) => api<Open311Key>(`/open311/keys/${id}/revoke`, { method: 'POST' }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: KEYS_KEY });
      void message.success(t('apiKeys.revoked'));
    },
    onError: (error) => void message.error(errorText(error)),
  });

  return (
    <>
      <Card
        title={t('apiKeys.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('apiKeys.create')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('apiKeys.intro')}</Typography.Paragraph>
        {keys.isError ? <Alert type="error" showIcon title={errorText(keys.error)} /> : null}
        <Table<Open311Key>
          rowKey="id"
          loading={keys.isLoading}
          dataSource={keys.data ?? []}
          pagination={false}
          columns={[
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
        />
        {creating ? (
          <Modal
            open
            title={t('apiKeys.create')}
            onCancel={() => setCreating(false)}
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
              onFinish={(values) => create.mutate(values)}
            >
              <Form.Item
                name="name"
                label={t('apiKeys.fields.name')}
                rules={[{ required: true, whitespace: true, max: 80 }]}
              >
                <Input placeholder={t('apiKeys.fields.namePlaceholder')} />
              </Form.Item>
              <Form.Item
                name="rateLimitPerMinute"
                label={t('apiKeys.fields.rate')}
                rules={[{ required: true }]}
              >
                <InputNumber min={1} max={10000} precision={0} />
              </Form.Item>
            </Form>
          </Modal>
        ) : null}
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
      </Card>
      <Open311EndpointsCard />
    </>
  );
}
