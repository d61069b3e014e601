import { LinkOutlined } from '@ant-design/icons';
import { Alert, Card, DatePicker, Flex, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  REGISTRATION_CONFIRMER_ROLES,
  type Registration,
  type RegistrationCount,
} from '../../../shared/registrations.ts';
import type { Role } from '../../../shared/roles.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { formatDateTime } from '../../components/time.ts';
import { shanghaiToday } from '../patrols/format.ts';
import { useConfirmRegistration, useRegistrationCounts, useRegistrations } from './api.ts';
import { CountsChart } from './CountsChart.tsx';
import { RevealValue } from './RevealValue.tsx';

type Flag = 'true' | 'false' | undefined;
const PAGE_SIZE = 20;

/** Where a registration is going: community, grid and the code, as the console shows places. */
export function destinationOf(r: Registration): string {
  return `${r.villageName}${r.gridName ? ` · ${r.gridName}` : ''}（${r.regionCode}）`;
}

/**
 * `/registrations` (报备登记): the registrations of the user's communities — per community and day, then each
 * one with its late flag, masked ID number and phone (revealed one at a time, audited) and its confirmation.
 */
export default function RegistrationsPage() {
  const { t } = useTranslation();
  const role = useSession().data?.user.role;
  const mayConfirm = role !== undefined && (REGISTRATION_CONFIRMER_ROLES as readonly Role[]).includes(role);
  const [range, setRange] = useState<[string, string]>([shanghaiToday(-6), shanghaiToday()]);
  const [late, setLate] = useState<Flag>();
  const [confirmed, setConfirmed] = useState<Flag>();
  const [page, setPage] = useState(1);
  const [confirming, setConfirming] = useState<Registration | null>(null);
  const [note, setNote] = useState('');
  const period = { from: range[0], to: range[1] };
  const list = useRegistrations({ ...period, late, confirmed, page, pageSize: PAGE_SIZE });
  const counts = useRegistrationCounts(period);
  const confirm = useConfirmRegistration();

  const flagSelect = (value: Flag, onChange: (v: Flag) => void, labels: [string, string], label: string) => (
    <Select<Flag>
      aria-label={label}
      style={{ width: 130 }}
      value={value}
      allowClear
      placeholder={`${label}：${t('registrations.console.all')}`}
      onChange={(v) => {
        onChange(v);
        setPage(1);
      }}
      options={[
        { value: 'true', label: labels[0] },
        { value: 'false', label: labels[1] },
      ]}
    />
  );

  const columns: ColumnsType<Registration> = [
    {
      key: 'registeredAt',
      title: t('registrations.console.columns.registeredAt'),
      width: 140,
      render: (_, r) => formatDateTime(r.registeredAt),
    },
    {
      key: 'name',
      title: t('registrations.console.columns.name'),
      render: (_, r) => (
        <Space size={4} wrap>
          {r.name}
          {r.synthetic ? <Tag>{t('registrations.synthetic')}</Tag> : null}
        </Space>
      ),
    },
    {
      key: 'idNumber',
      title: t('registrations.console.columns.idNumber'),
      render: (_, r) => <RevealValue registration={r} field="idNumber" />,
    },
    {
      key: 'phone',
      title: t('registrations.console.columns.phone'),
      render: (_, r) => <RevealValue registration={r} field="phone" />,
    },
    { key: 'origin', title: t('registrations.console.columns.origin'), dataIndex: 'origin' },
    {
      key: 'arrivedAt',
      title: t('registrations.console.columns.arrivedAt'),
      width: 140,
      render: (_, r) => formatDateTime(r.arrivedAt),
    },
    {
      key: 'destination',
      title: t('registrations.console.columns.destination'),
      render: (_, r) => (
        <>
          <div>{destinationOf(r)}</div>
          <Typography.Text type="secondary">{r.address}</Typography.Text>
        </>
      ),
    },
    {
      key: 'late',
      title: t('registrations.console.columns.late'),
      render: (_, r) =>
        r.late ? (
          <Tag color="red" data-testid="late-tag">
            {t('registrations.console.lateTag', { hours: r.hoursAfterArrival })}
          </Tag>
        ) : (
          <Tag color="green">{t('registrations.console.onTimeTag')}</Tag>
        ),
    },
    {
      key: 'confirmed',
      title: t('registrations.console.columns.confirmed'),
      render: (_, r) =>
        r.confirmedAt ? (
          <Space direction="vertical" size={0}>
            <Tag color="blue">{t('registrations.console.confirmedTag')}</Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('registrations.console.confirmedBy', {
                name: r.confirmedByName ?? '—',
                at: formatDateTime(r.confirmedAt),
              })}
            </Typography.Text>
            {r.confirmNote ? (
              <Typography.Text style={{ fontSize: 12 }}>{r.confirmNote}</Typography.Text>
            ) : null}
          </Space>
        ) : mayConfirm ? (
          <Typography.Link
            data-testid={`confirm-${r.id}`}
            onClick={() => {
              setNote('');
              setConfirming(r);
            }}
          >
            {t('registrations.console.confirm')}
          </Typography.Link>
        ) : (
          <Tag>{t('registrations.console.unconfirmedTag')}</Tag>
        ),
    },
  ];

  const countColumns: ColumnsType<RegistrationCount> = [
    { key: 'day', title: t('registrations.console.columns.day'), dataIndex: 'day', width: 110 },
    {
      key: 'community',
      title: t('registrations.console.columns.community'),
      render: (_, c) => `${c.villageName}（${c.villageCode}）`,
    },
    { key: 'total', title: t('registrations.console.columns.total'), dataIndex: 'total', align: 'right' },
    { key: 'late', title: t('registrations.console.columns.lateCount'), dataIndex: 'late', align: 'right' },
    {
      key: 'confirmed',
      title: t('registrations.console.columns.confirmedCount'),
      dataIndex: 'confirmed',
      align: 'right',
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Card
        title={t('registrations.console.title')}
        extra={
          <Typography.Link href="/public/registration" target="_blank">
            <LinkOutlined /> {t('registrations.console.publicLink')}
          </Typography.Link>
        }
      >
        <Typography.Paragraph type="secondary">{t('registrations.console.help')}</Typography.Paragraph>
        <Space wrap style={{ marginBottom: 12 }}>
          <DatePicker.RangePicker
            allowClear={false}
            value={[dayjs(range[0]), dayjs(range[1])]}
            onChange={(values) => {
              if (values?.[0] && values[1]) {
                setRange([values[0].format('YYYY-MM-DD'), values[1].format('YYYY-MM-DD')]);
                setPage(1);
              }
            }}
          />
          {flagSelect(
            late,
            setLate,
            [t('registrations.console.lateOnly'), t('registrations.console.onTime')],
            t('registrations.console.late'),
          )}
          {flagSelect(
            confirmed,
            setConfirmed,
            [t('registrations.console.confirmedOnly'), t('registrations.console.unconfirmed')],
            t('registrations.console.confirmed'),
          )}
        </Space>
        {list.isError ? (
          <Alert type="error" showIcon title={errorText(list.error)} style={{ marginBottom: 12 }} />
        ) : null}
        <Table<Registration>
          data-testid="registrations-table"
          rowKey="id"
          size="middle"
          scroll={{ x: 1100 }}
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          columns={columns}
          locale={{ emptyText: t('registrations.console.empty') }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            onChange: setPage,
          }}
        />
      </Card>
      <Card title={t('registrations.console.countsTitle')} size="small">
        {counts.isError ? <Alert type="error" showIcon title={errorText(counts.error)} /> : null}
        <CountsChart rows={counts.data?.rows ?? []} />
        <Table<RegistrationCount>
          data-testid="registration-counts"
          rowKey={(c) => `${c.day}-${c.villageCode}`}
          size="small"
          loading={counts.isFetching}
          dataSource={counts.data?.rows ?? []}
          columns={countColumns}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: t('registrations.console.countsEmpty') }}
        />
      </Card>
      <Modal
        open={confirming !== null}
        title={t('registrations.console.confirmTitle')}
        okText={t('registrations.console.confirm')}
        confirmLoading={confirm.isPending}
        onCancel={() => setConfirming(null)}
        onOk={() => {
          if (!confirming) return;
          confirm.mutate(
            { id: confirming.id, version: confirming.version, note: note.trim() || undefined },
            { onSuccess: () => setConfirming(null) },
          );
        }}
      >
        {confirming ? (
          <Typography.Paragraph>
            {confirming.name} · {destinationOf(confirming)}
          </Typography.Paragraph>
        ) : null}
        <Input.TextArea
          rows={3}
          maxLength={500}
          value={note}
          placeholder={t('registrations.console.confirmNote')}
          onChange={(e) => setNote(e.target.value)}
        />
        {confirm.isError ? <Alert type="error" showIcon title={errorText(confirm.error)} /> : null}
      </Modal>
    </Flex>
  );
}
