import { Button, Empty, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../components/time.ts';
import { useCaseLabels } from '../cases/labels.tsx';
import { fieldCasePath } from './FieldCasePage.tsx';
import type { FieldTab, FieldUser } from './FieldPage.tsx';
import type { OutboxItem } from './outbox.ts';
import { fieldOutbox, useOthersItemCount, useOutboxItems } from './useOutbox.ts';

const STATUS_COLORS: Record<OutboxItem['status'], string> = {
  pending: 'gold',
  sending: 'processing',
  sent: 'green',
  failed: 'red',
  conflict: 'volcano',
};

/** Every item of the outbox with its state, newest first, and what the user can do about it. */
export function OutboxList({
  user,
  online,
  sync,
  onFix,
  tab,
  onLeave,
}: {
  user: FieldUser;
  online: boolean;
  sync: () => Promise<void>;
  onFix: (id: string) => void;
  /** The tab the list is opened over: a sent item's case opens in the field view, and goes back there. */
  tab: FieldTab;
  onLeave: () => void;
}) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const outbox = fieldOutbox();
  const items = [...useOutboxItems(user.id)].reverse();
  const others = useOthersItemCount(user.id);
  const pending = items.some((item) => item.status === 'pending');

  const labelOf = (item: OutboxItem) => {
    switch (item.kind) {
      case 'report':
        return t('field.outbox.reportLabel', { label: item.label });
      case 'action':
        return t('field.outbox.actionLabel', {
          action: labels.action(item.action),
          caseNumber: item.caseNumber,
        });
      case 'visit':
        return t('fieldInspections.outbox.visitLabel', { target: item.label });
      case 'checkpoint':
        return t('checkpoints.field.outboxLabel', { label: item.label });
      case 'householdVisit':
        return t('householdVisits.field.label', { address: item.label });
      case 'reinspect':
        return `${t('fieldInspections.outbox.reinspectLabel', { caseNumber: item.caseNumber })} · ${t(
          `fieldInspections.outbox.reinspectOutcome.${item.body.outcome}`,
        )}`;
    }
  };

  const statusText = (item: OutboxItem) =>
    item.status === 'pending' && !online
      ? t('field.outbox.status.waiting')
      : t(`field.outbox.status.${item.status}`);

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {pending && online ? (
        <Button block type="primary" onClick={() => void sync()} data-testid="outbox-send-now">
          {t('field.outbox.sendNow')}
        </Button>
      ) : null}
      {others ? (
        <Typography.Text type="secondary">{t('field.outbox.otherUsers', { count: others })}</Typography.Text>
      ) : null}
      {items.length === 0 ? (
        <Empty description={t('field.outbox.empty')} />
      ) : (
        <List
          dataSource={items}
          rowKey="id"
          renderItem={(item) => (
            <List.Item data-testid="outbox-item" data-status={item.status}>
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <Space wrap size={6}>
                  <Tag color={STATUS_COLORS[item.status]} data-testid="outbox-item-status">
                    {statusText(item)}
                  </Tag>
                  <Typography.Text strong>{labelOf(item)}</Typography.Text>
                </Space>
                {item.kind === 'report' ? (
                  <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                    {item.input.description}
                  </Typography.Paragraph>
                ) : null}
                <Typography.Text type="secondary">
                  {formatDateTime(item.createdAt)}
                  {item.photos.length + item.uploaded.length
                    ? ` · ${t('field.outbox.photos', { count: Math.max(item.photos.length, item.uploaded.length) })}`
                    : ''}
                </Typography.Text>
                {item.kind === 'visit' && item.visit ? (
                  <Typography.Text data-testid="outbox-visit-notice">
                    {t('fieldInspections.visit.noticeNumber', { number: item.visit.noticeNumber })} ·{' '}
                    {item.visit.cases.length
                      ? t('fieldInspections.visit.casesCreated', { count: item.visit.cases.length })
                      : t('fieldInspections.visit.noCases')}
                  </Typography.Text>
                ) : null}
                {item.status === 'sent' && item.caseId && item.kind !== 'reinspect' ? (
                  <Link to={fieldCasePath(item.caseId, tab)} onClick={onLeave}>
                    {t('field.outbox.sentAs', { caseNumber: item.caseNumber })}
                  </Link>
                ) : null}
                {item.error && item.status !== 'sent' ? (
                  <Typography.Text
                    type={item.status === 'pending' ? 'secondary' : 'danger'}
                    data-testid="outbox-item-error"
                  >
                    {item.error}
                  </Typography.Text>
                ) : null}
                {item.status === 'conflict' ? (
                  <Typography.Text type="secondary">{t('field.outbox.conflictHint')}</Typography.Text>
                ) : null}
                {item.status === 'failed' || item.status === 'conflict' ? (
                  <Space wrap>
                    {item.status === 'failed' && item.kind === 'report' ? (
                      <Button onClick={() => onFix(item.id)}>{t('field.outbox.fix')}</Button>
                    ) : null}
                    {item.status === 'failed' ? (
                      <Button
                        onClick={() => {
                          void outbox.retry(item.id).then(sync);
                        }}
                      >
                        {t('field.outbox.retry')}
                      </Button>
                    ) : null}
                    <Popconfirm
                      title={t('field.outbox.discardConfirm')}
                      okText={t('common.ok')}
                      cancelText={t('common.cancel')}
                      onConfirm={() => void outbox.discard(item.id)}
                    >
                      <Button danger>{t('field.outbox.discard')}</Button>
                    </Popconfirm>
                  </Space>
                ) : null}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Space>
  );
}
