import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Image, Input, Radio, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { evidenceUrl, useCase } from '../cases/api.ts';
import type { FieldUser } from './FieldPage.tsx';
import { LocalPhotos } from './LocalPhotos.tsx';
import type { FieldAction } from './outbox.ts';
import { TaskCard, useQueuedCaseIds } from './TasksTab.tsx';
import { useFieldTasks } from './tasks.ts';
import { fieldOutbox } from './useOutbox.ts';

interface VerifyValues {
  action: FieldAction;
  note?: string;
  photos: Blob[];
}

/** 核查: pass or fail a handled case on site, with a note and photos; queued like a report. */
export function VerifyTab({
  user,
  caseId,
  onPick,
  sync,
}: {
  user: FieldUser;
  caseId: number | null;
  onPick: (caseId: number | null) => void;
  sync: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const tasks = useFieldTasks(user.id, 'handled');
  const queued = useQueuedCaseIds(user.id);

  if (caseId === null) {
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('field.verify.pick')}
        </Typography.Title>
        {tasks.savedAt ? <Alert type="info" showIcon title={t('field.verify.offlineDetail')} /> : null}
        {tasks.loading ? <Spin className="gg-field-spin" /> : null}
        {!tasks.loading && tasks.items.length === 0 ? <Empty description={t('field.verify.none')} /> : null}
        {tasks.items.map((task) => (
          <TaskCard
            key={task.id}
            task={task}
            extra={
              queued.has(task.id) ? (
                <Typography.Text type="warning">{t('field.tasks.queued')}</Typography.Text>
              ) : (
                <Button type="primary" block onClick={() => onPick(task.id)}>
                  {t('field.tasks.verify')}
                </Button>
              )
            }
          />
        ))}
      </Space>
    );
  }
  return (
    <VerifyForm
      user={user}
      caseId={caseId}
      summary={tasks.items.find((task) => task.id === caseId)}
      queued={queued.has(caseId)}
      onDone={() => onPick(null)}
      sync={sync}
    />
  );
}

function VerifyForm({
  user,
  caseId,
  summary,
  queued,
  onDone,
  sync,
}: {
  user: FieldUser;
  caseId: number;
  summary: Parameters<typeof TaskCard>[0]['task'] | undefined;
  queued: boolean;
  onDone: () => void;
  sync: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<VerifyValues>();
  const action = Form.useWatch('action', form) ?? 'verifyPass';
  const detail = useCase(caseId);
  const [saving, setSaving] = useState(false);
  const shown = detail.data ?? summary;
  const finished = detail.data?.events.filter((event) => event.action === 'finish').at(-1);
  const finishPhotos = Array.isArray(finished?.data.evidence)
    ? finished.data.evidence.filter((id): id is string => typeof id === 'string')
    : [];

  const back = (
    <Button type="link" icon={<ArrowLeftOutlined />} onClick={onDone} style={{ paddingInline: 0 }}>
      {t('field.verify.back')}
    </Button>
  );
  if (!shown) {
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        {back}
        {detail.isPending ? <Spin /> : <Alert type="error" showIcon title={t('field.verify.unavailable')} />}
      </Space>
    );
  }

  const submit = async (values: VerifyValues) => {
    const words = values.note?.trim() || undefined;
    setSaving(true);
    try {
      const outbox = fieldOutbox();
      const item = await outbox.addAction(user.id, {
        caseId,
        caseNumber: shown.caseNumber,
        action: values.action,
        version: shown.version,
        body: values.action === 'verifyFail' ? { reason: words } : { note: words },
        fromState: shown.state,
        eventsSeen: detail.data?.events.length ?? null,
        actorName: user.displayName,
        photos: values.photos ?? [],
      });
      await sync();
      const after = outbox.items().find((other) => other.id === item.id);
      if (after?.status === 'sent') {
        void message.success(t('field.verify.sent'));
        void queryClient.invalidateQueries({ queryKey: ['cases'] });
        void queryClient.invalidateQueries({ queryKey: ['case', caseId] });
      } else if (after?.status === 'conflict' || after?.status === 'failed') {
        void message.error(after.error ?? t('common.unexpectedError'));
      } else {
        void message.info(t('field.verify.queued'));
      }
      onDone();
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {back}
      <TaskCard task={shown} />
      {finished ? (
        <Card size="small" title={t('field.verify.handledNote')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text>
              {finished.actorName}：{finished.note ?? '—'}
            </Typography.Text>
            {finishPhotos.length ? (
              <Image.PreviewGroup>
                <Space wrap>
                  {finishPhotos.map((id) => (
                    <Image
                      key={id}
                      src={evidenceUrl(id, { caseId })}
                      width={88}
                      height={88}
                      style={{ objectFit: 'cover' }}
                    />
                  ))}
                </Space>
              </Image.PreviewGroup>
            ) : null}
          </Space>
        </Card>
      ) : null}
      {detail.isError && summary ? (
        <Alert type="info" showIcon title={t('field.verify.offlineDetail')} />
      ) : null}
      {queued ? (
        <Alert type="warning" showIcon title={t('field.verify.alreadyQueued')} />
      ) : (
        <Card size="small" title={t('field.verify.result')}>
          <Form<VerifyValues>
            form={form}
            layout="vertical"
            initialValues={{ action: 'verifyPass', photos: [] }}
            onFinish={(values) => void submit(values)}
            requiredMark={false}
          >
            <Form.Item name="action">
              <Radio.Group buttonStyle="solid" className="gg-field-choice">
                <Radio.Button value="verifyPass">{t('field.verify.pass')}</Radio.Button>
                <Radio.Button value="verifyFail">{t('field.verify.fail')}</Radio.Button>
              </Radio.Group>
            </Form.Item>
            <Form.Item
              name="note"
              label={t('field.verify.note')}
              rules={
                action === 'verifyFail'
                  ? [{ required: true, min: 2, whitespace: true, message: t('field.verify.noteRequired') }]
                  : []
              }
            >
              <Input.TextArea rows={3} maxLength={1000} />
            </Form.Item>
            <Form.Item name="photos" label={t('field.verify.photos')}>
              <LocalPhotos />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={saving} danger={action === 'verifyFail'}>
              {t('field.verify.submit')}
            </Button>
          </Form>
        </Card>
      )}
    </Space>
  );
}
