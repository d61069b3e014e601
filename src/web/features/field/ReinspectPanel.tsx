import { ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Image, Input, Radio, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MyReinspection } from '../../../shared/visits.ts';
import { formatDateTime } from '../../components/time.ts';
import { visitEvidenceUrl } from '../inspections/api.ts';
import type { FieldUser } from './FieldPage.tsx';
import { LocalPhotos } from './LocalPhotos.tsx';
import { usePendingReinspections } from './useInspections.ts';
import { fieldOutbox, useOutboxItems } from './useOutbox.ts';

/** 回头看: the rectified items awaiting the inspector's re-inspection; pass or fail with photos, queued offline. */
export function ReinspectPanel({ user, sync }: { user: FieldUser; sync: () => Promise<void> }) {
  const { t } = useTranslation();
  const pending = usePendingReinspections(user.id);
  const queued = new Set(
    useOutboxItems(user.id).flatMap((item) =>
      item.kind === 'reinspect' && item.status !== 'sent' ? [item.caseId] : [],
    ),
  );
  const [open, setOpen] = useState<number | null>(null);

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
        <Button icon={<ReloadOutlined />} onClick={pending.refetch}>
          {t('fieldInspections.refresh')}
        </Button>
      </Space>
      {pending.savedAt ? (
        <Alert
          type="info"
          showIcon
          title={t('fieldInspections.reinspect.savedAt', { time: formatDateTime(pending.savedAt) })}
        />
      ) : null}
      {pending.loading ? <Spin className="gg-field-spin" /> : null}
      {!pending.loading && pending.items.length === 0 ? (
        <Empty description={t('fieldInspections.reinspect.empty')} />
      ) : null}
      {pending.items.map((item) => (
        <Card key={item.caseId} size="small" className="gg-field-task" data-testid="reinspect-item">
          <Space orientation="vertical" size={4} style={{ width: '100%' }}>
            <Space wrap size={6}>
              <Typography.Text strong>{item.caseNumber}</Typography.Text>
              {item.noticeNumber ? <Tag>{item.noticeNumber}</Tag> : null}
              {item.reworkCount ? (
                <Tag color="orange">
                  {t('fieldInspections.reinspect.rework', { count: item.reworkCount })}
                </Tag>
              ) : null}
            </Space>
            <Typography.Text>
              {item.targetName} · {item.campaignName}
            </Typography.Text>
            {item.targetAddress ? (
              <Typography.Text type="secondary">{item.targetAddress}</Typography.Text>
            ) : null}
            <Typography.Text strong data-testid="reinspect-question">
              {item.itemKey} {item.question}
            </Typography.Text>
            {item.guidance ? (
              <Typography.Paragraph
                type="secondary"
                ellipsis={{ rows: 3, expandable: true }}
                style={{ margin: 0 }}
              >
                {t('fieldInspections.visit.guidance')} · {item.guidance}
              </Typography.Paragraph>
            ) : null}
            <Typography.Text>
              {t('fieldInspections.reinspect.found', {
                inspector: item.inspectorName,
                time: formatDateTime(item.visitedAt),
                note: item.note || '—',
              })}
            </Typography.Text>
            {item.evidence.length ? (
              <Image.PreviewGroup>
                <Space wrap size={4}>
                  {item.evidence.map((id) => (
                    <Image
                      key={id}
                      width={64}
                      height={64}
                      style={{ objectFit: 'cover' }}
                      src={visitEvidenceUrl(id, item.visitId, true)}
                      preview={{ src: visitEvidenceUrl(id, item.visitId) }}
                    />
                  ))}
                </Space>
              </Image.PreviewGroup>
            ) : null}
            {item.handledAt ? (
              <Typography.Text type="secondary">
                {t('fieldInspections.reinspect.handledAt', { time: formatDateTime(item.handledAt) })}
              </Typography.Text>
            ) : null}
            {item.handledNote ? (
              <Typography.Text type="secondary">
                {t('fieldInspections.reinspect.handledNote', { note: item.handledNote })}
              </Typography.Text>
            ) : null}
            {queued.has(item.caseId) ? (
              <Tag color="gold">{t('fieldInspections.reinspect.waiting')}</Tag>
            ) : open === item.caseId ? (
              <ReinspectForm user={user} item={item} sync={sync} onClose={() => setOpen(null)} />
            ) : (
              <Button type="primary" block onClick={() => setOpen(item.caseId)}>
                {t('fieldInspections.reinspect.start')}
              </Button>
            )}
          </Space>
        </Card>
      ))}
    </Space>
  );
}

function ReinspectForm({
  user,
  item,
  sync,
  onClose,
}: {
  user: FieldUser;
  item: MyReinspection;
  sync: () => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [outcome, setOutcome] = useState<'pass' | 'fail'>('pass');
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<Blob[]>([]);
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    if (outcome === 'fail' && note.trim().length < 2) {
      void message.error(t('fieldInspections.reinspect.reasonRequired'));
      return;
    }
    setSaving(true);
    try {
      const outbox = fieldOutbox();
      const queued = await outbox.addReinspection(user.id, {
        visitId: item.visitId,
        itemKey: item.itemKey,
        caseId: item.caseId,
        caseNumber: item.caseNumber,
        body: { outcome, note: note.trim() },
        actorName: user.displayName,
        photos,
      });
      await sync();
      const after = outbox.items().find((other) => other.id === queued.id);
      if (after?.status === 'sent') void message.success(t('fieldInspections.reinspect.sent'));
      else if (after?.status === 'failed' || after?.status === 'conflict')
        void message.error(after.error ?? t('common.unexpectedError'));
      else void message.info(t('fieldInspections.reinspect.queued'));
      onClose();
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Radio.Group
        buttonStyle="solid"
        className="gg-field-choice"
        value={outcome}
        onChange={(event) => setOutcome(event.target.value)}
      >
        <Radio.Button value="pass">
          <span data-testid="reinspect-pass">{t('fieldInspections.reinspect.pass')}</span>
        </Radio.Button>
        <Radio.Button value="fail">
          <span data-testid="reinspect-fail">{t('fieldInspections.reinspect.fail')}</span>
        </Radio.Button>
      </Radio.Group>
      <Input.TextArea
        rows={2}
        maxLength={1000}
        value={note}
        placeholder={outcome === 'fail' ? t('fieldInspections.reinspect.reasonRequired') : undefined}
        aria-label={t('fieldInspections.reinspect.note')}
        onChange={(event) => setNote(event.target.value)}
      />
      <LocalPhotos value={photos} onChange={setPhotos} />
      <Space style={{ width: '100%' }} className="gg-field-section-nav">
        <Button onClick={onClose}>{t('fieldInspections.reinspect.cancel')}</Button>
        <Button type="primary" loading={saving} onClick={() => void submit()} data-testid="reinspect-submit">
          {t('fieldInspections.reinspect.submit')}
        </Button>
      </Space>
    </Space>
  );
}
