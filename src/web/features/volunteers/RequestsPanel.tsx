import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Checkbox,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../shared/roles.ts';
import {
  COMMUNITY_ROLES,
  REQUEST_KINDS,
  type RequestInput,
  type VolunteerRequest,
} from '../../../shared/volunteers.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { useCreateRequest, useRequests } from './api.ts';
import { shanghaiToday, useVolunteerLabels } from './labels.ts';
import { RequestDrawer } from './RequestDrawer.tsx';
import { TaskToolField } from './TaskToolField.tsx';

/** 服务需求: the communities' requests, filled/wanted; a row opens who was sent; staff publish new ones. */
export function RequestsPanel() {
  const { t } = useTranslation();
  const session = useSession();
  const labels = useVolunteerLabels();
  const role = session.data?.user.role as Role | undefined;
  const [range, setRange] = useState<[string, string]>([shanghaiToday(-13), shanghaiToday(13)]);
  const [regionCode, setRegionCode] = useState<string | undefined>();
  const [openOnly, setOpenOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const query = useRequests({
    from: range[0],
    to: range[1],
    ...(regionCode ? { regionCode } : {}),
    ...(openOnly ? { open: 'true' as const } : {}),
    page,
    pageSize: 20,
  });

  const columns: ColumnsType<VolunteerRequest> = [
    { key: 'day', title: t('volunteers.requests.day'), dataIndex: 'day', width: 110 },
    {
      key: 'community',
      title: t('volunteers.requests.community'),
      render: (_, r) => t('common.nameWithCode', { name: r.regionName, code: r.regionCode }),
    },
    {
      key: 'kind',
      title: t('volunteers.requests.kind'),
      render: (_, r) => labels.requestKind(r.kind),
      width: 110,
    },
    {
      key: 'task',
      title: t('volunteers.requests.task'),
      render: (_, r) => (
        <Space size={4} wrap>
          {r.title}
          {r.synthetic ? <Tag>{t('volunteers.synthetic')}</Tag> : null}
        </Space>
      ),
    },
    { key: 'place', title: t('volunteers.requests.place'), dataIndex: 'place', responsive: ['lg'] },
    {
      key: 'time',
      title: t('volunteers.requests.time'),
      render: (_, r) => `${r.startTime}–${r.endTime}`,
      width: 110,
    },
    {
      key: 'filled',
      title: t('volunteers.requests.filled'),
      width: 150,
      render: (_, r) => (
        <Progress
          percent={Math.round((100 * r.filled) / r.wanted)}
          format={() => `${r.filled}/${r.wanted}`}
          size="small"
          status={r.filled >= r.wanted ? 'success' : 'active'}
        />
      ),
    },
    { key: 'signedIn', title: t('volunteers.requests.signedIn'), dataIndex: 'signedIn', width: 80 },
  ];

  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      <Space wrap>
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
        {role !== 'unitContact' ? (
          <RegionPicker
            value={regionCode}
            onChange={(code) => {
              setRegionCode(code);
              setPage(1);
            }}
            placeholder={t('volunteers.requests.community')}
            style={{ minWidth: 220 }}
          />
        ) : null}
        <Checkbox checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)}>
          {t('volunteers.requests.openOnly')}
        </Checkbox>
        {role && COMMUNITY_ROLES.includes(role) ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setAdding(true)}
            data-testid="add-request"
          >
            {t('volunteers.requests.add')}
          </Button>
        ) : null}
      </Space>
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={query.data?.items ?? []}
        loading={query.isFetching}
        scroll={{ x: 'max-content' }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        pagination={{ current: page, pageSize: 20, total: query.data?.total ?? 0, onChange: setPage }}
      />
      <RequestDrawer id={open} onClose={() => setOpen(null)} />
      {adding ? (
        <RequestForm
          defaultRegion={session.data?.scope.code}
          onClose={(id) => {
            setAdding(false);
            if (id) setOpen(id);
          }}
        />
      ) : null}
    </Space>
  );
}

function RequestForm({
  defaultRegion,
  onClose,
}: {
  defaultRegion: string | undefined;
  onClose: (createdId?: number) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useVolunteerLabels();
  const create = useCreateRequest();
  const [form] = Form.useForm();
  const submit = async () => {
    const values = await form.validateFields();
    // A tool chosen for one kind is dropped when the kind changes: only the current kind's tool is sent.
    const input: RequestInput = {
      ...values,
      day: values.day.format('YYYY-MM-DD'),
      note: values.note ?? '',
      visitCampaignId: values.kind === 'doorToDoor' ? (values.visitCampaignId ?? null) : null,
      checkpointId: values.kind === 'checkpoint' ? (values.checkpointId ?? null) : null,
    };
    create.mutate(input, {
      onSuccess: (created) => {
        message.success(t('volunteers.requests.created'));
        onClose(created.id);
      },
      onError: (error) => message.error(errorText(error)),
    });
  };
  return (
    <Modal
      open
      title={t('volunteers.requests.add')}
      onCancel={() => onClose()}
      onOk={submit}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'request-submit' } as never}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          regionCode: defaultRegion,
          kind: 'doorToDoor',
          day: dayjs(shanghaiToday()),
          startTime: '08:30',
          endTime: '12:00',
          wanted: 20,
        }}
      >
        <Form.Item name="regionCode" label={t('volunteers.requests.community')} rules={[{ required: true }]}>
          <RegionPicker />
        </Form.Item>
        <Form.Item name="kind" label={t('volunteers.requests.kind')} rules={[{ required: true }]}>
          <Select options={REQUEST_KINDS.map((k) => ({ value: k, label: labels.requestKind(k) }))} />
        </Form.Item>
        <TaskToolField />
        <Form.Item name="title" label={t('volunteers.requests.task')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="request-title" />
        </Form.Item>
        <Form.Item name="place" label={t('volunteers.requests.place')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="request-place" />
        </Form.Item>
        <Space wrap>
          <Form.Item name="day" label={t('volunteers.requests.day')} rules={[{ required: true }]}>
            <DatePicker allowClear={false} />
          </Form.Item>
          <Form.Item name="startTime" label={t('volunteers.requests.startTime')} rules={[{ required: true }]}>
            <Input style={{ width: 90 }} placeholder="08:30" />
          </Form.Item>
          <Form.Item name="endTime" label={t('volunteers.requests.endTime')} rules={[{ required: true }]}>
            <Input style={{ width: 90 }} placeholder="12:00" />
          </Form.Item>
          <Form.Item name="wanted" label={t('volunteers.requests.wanted')} rules={[{ required: true }]}>
            <InputNumber min={1} max={500} data-testid="request-wanted" />
          </Form.Item>
        </Space>
        <Form.Item name="note" label={t('volunteers.requests.note')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
