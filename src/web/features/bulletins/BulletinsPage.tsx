import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Modal,
  Radio,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import {
  BULLETIN_STATUSES,
  BULLETIN_WRITER_ROLES,
  type BulletinListItem,
  type BulletinStatus,
} from '../../../shared/bulletins.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { useBulletins, useGenerateBulletin } from './api.ts';

export const STATUS_COLOURS: Record<BulletinStatus, string> = { draft: 'orange', published: 'green' };

/** `/bulletins` 通报: the area's bulletins, drafts and published, and a button to generate the next. */
export default function BulletinsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession();
  const [status, setStatus] = useState<BulletinStatus | 'all'>('all');
  const [page, setPage] = useState(1);
  const [generating, setGenerating] = useState(false);
  const list = useBulletins({ status: status === 'all' ? undefined : status, page, pageSize: 20 });
  const mayWrite = BULLETIN_WRITER_ROLES.includes(session.data?.user.role ?? 'gridWorker');

  const columns = [
    {
      title: t('bulletins.columns.title'),
      key: 'title',
      render: (_: unknown, b: BulletinListItem) => (
        <Link to={`/bulletins/${b.id}`} data-testid="bulletin-link">
          {b.title}
          <Typography.Text type="secondary">
            （{t('bulletins.number', { year: b.year, seq: b.seq })}）
          </Typography.Text>
        </Link>
      ),
    },
    { title: t('bulletins.columns.area'), dataIndex: 'scopeName', key: 'area', responsive: ['md' as const] },
    {
      title: t('bulletins.columns.period'),
      key: 'period',
      render: (_: unknown, b: BulletinListItem) => `${b.from} ~ ${b.to}`,
    },
    {
      title: t('bulletins.columns.status'),
      key: 'status',
      render: (_: unknown, b: BulletinListItem) => (
        <Tag color={STATUS_COLOURS[b.status]}>{t(`bulletins.status.${b.status}`)}</Tag>
      ),
    },
    {
      title: t('bulletins.columns.issuedOn'),
      dataIndex: 'issuedOn',
      key: 'issuedOn',
      responsive: ['md' as const],
    },
  ];

  return (
    <Card
      title={t('bulletins.title')}
      extra={
        mayWrite && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setGenerating(true)}
            data-testid="bulletin-generate"
          >
            {t('bulletins.generate')}
          </Button>
        )
      }
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">{t('bulletins.intro')}</Typography.Paragraph>
        <Segmented
          value={status}
          onChange={(value) => {
            setStatus(value as BulletinStatus | 'all');
            setPage(1);
          }}
          options={[
            { value: 'all', label: t('bulletins.allStatuses') },
            ...BULLETIN_STATUSES.map((s) => ({ value: s, label: t(`bulletins.status.${s}`) })),
          ]}
        />
        {list.error && <Alert type="error" message={errorText(list.error)} />}
        <Table
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          columns={columns}
          locale={{ emptyText: t('bulletins.empty') }}
          scroll={{ x: 'max-content' }}
          pagination={{
            current: page,
            pageSize: 20,
            total: list.data?.total ?? 0,
            onChange: setPage,
            hideOnSinglePage: true,
          }}
        />
      </Space>
      {generating && (
        <GenerateModal onClose={() => setGenerating(false)} onDone={(id) => navigate(`/bulletins/${id}`)} />
      )}
    </Card>
  );
}

function GenerateModal({ onClose, onDone }: { onClose: () => void; onDone: (id: number) => void }) {
  const { t } = useTranslation();
  const generate = useGenerateBulletin();
  const [kind, setKind] = useState<'lastWeek' | 'custom'>('lastWeek');
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [office, setOffice] = useState('');
  const submit = () =>
    generate.mutate(
      {
        ...(kind === 'custom' && range
          ? { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') }
          : {}),
        ...(office.trim() ? { office: office.trim() } : {}),
      },
      { onSuccess: (bulletin) => onDone(bulletin.id) },
    );
  return (
    <Modal
      open
      title={t('bulletins.generateTitle')}
      onCancel={onClose}
      onOk={submit}
      okText={t('bulletins.generate')}
      okButtonProps={{
        loading: generate.isPending,
        disabled: kind === 'custom' && !range,
        id: 'bulletin-generate-ok',
      }}
    >
      <Form layout="vertical">
        <Form.Item label={t('bulletins.period')}>
          <Radio.Group value={kind} onChange={(e) => setKind(e.target.value)}>
            <Radio value="lastWeek">{t('bulletins.lastWeek')}</Radio>
            <Radio value="custom">{t('bulletins.customPeriod')}</Radio>
          </Radio.Group>
          {kind === 'custom' && (
            <DatePicker.RangePicker
              style={{ marginTop: 8, width: '100%' }}
              value={range}
              onChange={(value) => setRange(value?.[0] && value[1] ? [value[0], value[1]] : null)}
            />
          )}
        </Form.Item>
        <Form.Item label={t('bulletins.office')} extra={t('bulletins.officeHint')}>
          <Input value={office} maxLength={60} onChange={(e) => setOffice(e.target.value)} />
        </Form.Item>
        {generate.error && <Alert type="error" message={errorText(generate.error)} />}
      </Form>
    </Modal>
  );
}
