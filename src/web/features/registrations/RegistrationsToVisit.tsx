import { CheckOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Input, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Registration } from '../../../shared/registrations.ts';
import { errorText } from '../../api/client.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { formatDateTime } from '../../components/time.ts';
import { useConfirmRegistration, useRegistrationsToVisit } from './api.ts';
import { RevealValue } from './RevealValue.tsx';

/**
 * 报备核实 on the phone: the registrations (报备) of the worker's grids (and those placed only in their community)
 * still waiting for a visit, oldest first, ID number and phone masked as in the console (a reveal is audited).
 * After the visit the worker confirms one with an optional note. Confirming needs the network: it checks the
 * registration's version on the server.
 */
export function RegistrationsToVisit({ online }: { online: boolean }) {
  const { t } = useTranslation();
  const list = useRegistrationsToVisit(true);
  const confirm = useConfirmRegistration();
  const [open, setOpen] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [done, setDone] = useState<string | null>(null);

  if (list.error) return <ErrorResult error={list.error} onRetry={() => void list.refetch()} />;
  const submit = async (registration: Registration) => {
    await confirm.mutateAsync({ id: registration.id, version: registration.version, note: note.trim() });
    setDone(registration.name);
    setOpen(null);
    setNote('');
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="registrations-to-visit">
      {done ? (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setDone(null)}
          title={t('registrations.field.confirmed', { name: done })}
        />
      ) : null}
      {confirm.error ? <Alert type="error" showIcon title={errorText(confirm.error)} /> : null}
      <List
        loading={list.isPending}
        dataSource={list.data ?? []}
        locale={{ emptyText: <Empty description={t('registrations.field.empty')} /> }}
        renderItem={(r) => (
          <List.Item key={r.id} style={{ display: 'block' }} data-testid={`registration-${r.id}`}>
            <Card
              size="small"
              title={r.name}
              extra={
                r.late ? (
                  <Tag color="red">{t('registrations.console.lateTag', { hours: r.hoursAfterArrival })}</Tag>
                ) : null
              }
            >
              <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                <Typography.Text>{r.address}</Typography.Text>
                <Typography.Text type="secondary">
                  {r.gridName ?? r.villageName} · {r.origin} ·{' '}
                  {t('registrations.field.arrived', { at: formatDateTime(r.arrivedAt) })}
                </Typography.Text>
                <Space wrap size={4}>
                  <RevealValue registration={r} field="phone" />
                  <RevealValue registration={r} field="idNumber" />
                </Space>
                {open === r.id ? (
                  <Space orientation="vertical" style={{ width: '100%' }}>
                    <Input.TextArea
                      rows={2}
                      maxLength={500}
                      value={note}
                      onChange={(e) => setNote(e.target.value)}
                      placeholder={t('registrations.field.notePlaceholder')}
                    />
                    {online ? null : (
                      <Alert type="warning" showIcon title={t('registrations.field.needOnline')} />
                    )}
                    <Space>
                      <Button
                        type="primary"
                        icon={<CheckOutlined />}
                        loading={confirm.isPending}
                        disabled={!online}
                        onClick={() => void submit(r).catch(() => undefined)}
                      >
                        {t('registrations.console.confirm')}
                      </Button>
                      <Button onClick={() => setOpen(null)}>{t('common.cancel')}</Button>
                    </Space>
                  </Space>
                ) : (
                  <Button block icon={<CheckOutlined />} onClick={() => setOpen(r.id)}>
                    {t('registrations.field.confirm')}
                  </Button>
                )}
              </Space>
            </Card>
          </List.Item>
        )}
      />
    </Space>
  );
}
