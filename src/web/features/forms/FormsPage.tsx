import { ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { formText } from '../../../shared/form-answers.ts';
import { FORM_AUTHOR_ROLES, type FormSummary } from '../../../shared/forms.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { useLocale } from '../../i18n/index.ts';
import { XlsxImportModal } from '../inspections/XlsxImportModal.tsx';
import { FORMS, formRequests, useForms } from './api.ts';

/** 表单管理: the forms of the reader's branch, XLSForm import, and a new form's code and title. */
export default function FormsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const navigate = useNavigate();
  const session = useSession();
  const mayBuild = !!session.data && FORM_AUTHOR_ROLES.includes(session.data.user.role);
  const forms = useForms();
  const [importing, setImporting] = useState(false);
  const [creating, setCreating] = useState(false);

  return (
    <Card
      title={t('forms.title')}
      extra={
        mayBuild && (
          <Space wrap>
            <Button icon={<ImportOutlined />} onClick={() => setImporting(true)}>
              {t('forms.import')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('forms.new')}
            </Button>
          </Space>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('forms.intro')}</Typography.Paragraph>
      <Table<FormSummary>
        rowKey="id"
        size="middle"
        loading={forms.isLoading}
        dataSource={forms.data ?? []}
        scroll={{ x: 640 }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          {
            key: 'title',
            title: t('forms.formTitle'),
            render: (_, f) => (
              <Space wrap>
                <Link to={`/forms/${f.id}`}>{formText(f.title, locale)}</Link>
                {f.synthetic && <Tag>{t('forms.synthetic')}</Tag>}
              </Space>
            ),
          },
          { key: 'code', title: t('forms.code'), dataIndex: 'code' },
          { key: 'questions', title: t('forms.questions'), dataIndex: 'questionCount', width: 80 },
          {
            key: 'version',
            title: t('forms.version'),
            render: (_, f) => (
              <Space wrap size={4}>
                {f.publishedVersion !== null ? (
                  <Tag color="green">{t('forms.published', { version: f.publishedVersion })}</Tag>
                ) : (
                  <Tag>{t('forms.unpublished')}</Tag>
                )}
                {f.latestVersion !== f.publishedVersion && (
                  <Tag color="orange">{t('forms.draft', { version: f.latestVersion })}</Tag>
                )}
              </Space>
            ),
          },
        ]}
      />
      {importing && (
        <ImportModal onClose={() => setImporting(false)} onDone={(id) => navigate(`/forms/${id}`)} />
      )}
      {creating && (
        <NewFormModal onClose={() => setCreating(false)} onDone={(id) => navigate(`/forms/${id}`)} />
      )}
    </Card>
  );
}

function ImportModal({ onClose, onDone }: { onClose: () => void; onDone: (id: number) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const result = await formRequests.importXlsform(file, {});
      await queryClient.invalidateQueries({ queryKey: FORMS });
      message.success(t('forms.importDone', { count: result.questions, code: result.code }));
      if (result.form) onDone(result.form.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <XlsxImportModal
      title={t('forms.import')}
      help={t('forms.importHelp')}
      fileName={file?.name ?? null}
      onFile={(f) => {
        setFile(f);
        setError(null);
      }}
      error={error}
      busy={busy}
      okText={t('forms.import')}
      okDisabled={!file}
      onOk={run}
      onClose={onClose}
    />
  );
}

function NewFormModal({ onClose, onDone }: { onClose: () => void; onDone: (id: number) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ code: string; title: string }>();
  const [busy, setBusy] = useState(false);
  const create = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const detail = await formRequests.create({
        code: values.code,
        title: { zh: values.title },
        definition: {
          questions: [{ name: 'q1', type: 'text', label: { zh: values.title }, required: false }],
        },
      });
      onDone(detail.id);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('forms.new')} onCancel={onClose} onOk={create} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical">
        <Form.Item name="title" label={t('forms.formTitle')} rules={[{ required: true }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('forms.code')}
          rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{2,40}$/ }]}
        >
          <Input maxLength={40} placeholder="household-visit" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
