import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Drawer, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../shared/roles.ts';
import { UNIT_KINDS, type Unit, type Volunteer } from '../../../shared/volunteers.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { revealVolunteer, useAddVolunteer, useCreateUnit, useUnits, useUnitVolunteers } from './api.ts';
import { useVolunteerLabels } from './labels.ts';

/** 成员单位: the units in scope (a contact: their own) with volunteers, party members and person-times. */
export function UnitsPanel() {
  const { t } = useTranslation();
  const labels = useVolunteerLabels();
  const session = useSession();
  const role = session.data?.user.role as Role | undefined;
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Unit | null>(null);
  const [adding, setAdding] = useState(false);
  const units = useUnits({ ...(q ? { q } : {}), page, pageSize: 20 });
  const columns: ColumnsType<Unit> = [
    {
      key: 'name',
      title: t('volunteers.units.name'),
      render: (_, u) => (
        <Space size={4}>
          {u.name}
          {u.synthetic ? <Tag>{t('volunteers.synthetic')}</Tag> : null}
        </Space>
      ),
    },
    { key: 'kind', title: t('volunteers.units.kind'), render: (_, u) => labels.unitKind(u.kind) },
    {
      key: 'region',
      title: t('volunteers.units.region'),
      responsive: ['lg'],
      render: (_, u) => t('common.nameWithCode', { name: u.regionName, code: u.regionCode }),
    },
    {
      key: 'contact',
      title: t('volunteers.units.contact'),
      responsive: ['lg'],
      render: (_, u) => u.contactName ?? '',
    },
    { key: 'volunteers', title: t('volunteers.units.volunteers'), dataIndex: 'volunteers', align: 'right' },
    { key: 'party', title: t('volunteers.units.partyMembers'), dataIndex: 'partyMembers', align: 'right' },
    { key: 'times', title: t('volunteers.units.personTimes'), dataIndex: 'personTimes', align: 'right' },
  ];
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={t('volunteers.units.name')}
          onSearch={(value) => {
            setQ(value.trim());
            setPage(1);
          }}
          style={{ width: 240 }}
        />
        {role === 'administrator' ? (
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            {t('volunteers.units.add')}
          </Button>
        ) : null}
      </Space>
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={units.data?.items ?? []}
        loading={units.isFetching}
        scroll={{ x: 'max-content' }}
        onRow={(u) => ({ onClick: () => setOpen(u), style: { cursor: 'pointer' } })}
        pagination={{ current: page, pageSize: 20, total: units.data?.total ?? 0, onChange: setPage }}
      />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        size="large"
        title={open?.name}
        destroyOnHidden
      >
        {open ? <Roster unit={open} mayWrite={role === 'administrator' || role === 'unitContact'} /> : null}
      </Drawer>
      {adding ? <UnitForm defaultRegion={session.data?.scope.code} onClose={() => setAdding(false)} /> : null}
    </Space>
  );
}

function Roster({ unit, mayWrite }: { unit: Unit; mayWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const roster = useUnitVolunteers(unit.id);
  const [shown, setShown] = useState<Record<number, string>>({});
  const [adding, setAdding] = useState(false);
  const columns: ColumnsType<Volunteer> = [
    {
      key: 'name',
      title: t('volunteers.units.volunteerName'),
      render: (_, v) => (
        <Space size={4}>
          {v.name}
          {v.partyMember ? <Tag color="red">{t('volunteers.units.partyMember')}</Tag> : null}
        </Space>
      ),
    },
    {
      key: 'phone',
      title: t('volunteers.units.phone'),
      render: (_, v) => (
        <Space size={4}>
          {shown[v.id] ?? v.phone}
          {mayWrite && !shown[v.id] ? (
            <Button
              size="small"
              type="link"
              onClick={() =>
                revealVolunteer(v.id, 'phone')
                  .then((r) => setShown((s) => ({ ...s, [v.id]: r.value ?? '' })))
                  .catch((error) => message.error(errorText(error)))
              }
            >
              {t('volunteers.units.reveal')}
            </Button>
          ) : null}
        </Space>
      ),
    },
    { key: 'id', title: t('volunteers.units.idNumber'), render: (_, v) => v.idNumber ?? '' },
    { key: 'times', title: t('volunteers.units.personTimes'), dataIndex: 'personTimes', align: 'right' },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {mayWrite ? (
        <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          {t('volunteers.units.addVolunteer')}
        </Button>
      ) : null}
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={roster.data ?? []}
        loading={roster.isFetching}
        pagination={{ pageSize: 20 }}
        scroll={{ x: 'max-content' }}
      />
      {adding ? <VolunteerForm unitId={unit.id} onClose={() => setAdding(false)} /> : null}
    </Space>
  );
}

function VolunteerForm({ unitId, onClose }: { unitId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const add = useAddVolunteer(unitId);
  const [form] = Form.useForm();
  const submit = async () => {
    const values = await form.validateFields();
    add.mutate(
      { ...values, idNumber: values.idNumber || null, partyMember: Boolean(values.partyMember) },
      {
        onSuccess: () => {
          message.success(t('volunteers.units.created'));
          onClose();
        },
        onError: (error) => message.error(errorText(error)),
      },
    );
  };
  return (
    <Modal
      open
      title={t('volunteers.units.addVolunteer')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={add.isPending}
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="name"
          label={t('volunteers.units.volunteerName')}
          rules={[{ required: true, max: 50 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="phone" label={t('volunteers.units.phone')} rules={[{ required: true }]}>
          <Input inputMode="tel" />
        </Form.Item>
        <Form.Item name="idNumber" label={t('volunteers.units.idNumber')}>
          <Input />
        </Form.Item>
        <Form.Item name="partyMember" valuePropName="checked">
          <Checkbox>{t('volunteers.units.partyMember')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

function UnitForm({ defaultRegion, onClose }: { defaultRegion: string | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useVolunteerLabels();
  const create = useCreateUnit();
  const [form] = Form.useForm();
  const submit = async () => {
    const values = await form.validateFields();
    create.mutate(values, {
      onSuccess: () => {
        message.success(t('volunteers.units.created'));
        onClose();
      },
      onError: (error) => message.error(errorText(error)),
    });
  };
  return (
    <Modal
      open
      title={t('volunteers.units.add')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={create.isPending}
    >
      <Form form={form} layout="vertical" initialValues={{ regionCode: defaultRegion, kind: 'department' }}>
        <Form.Item name="name" label={t('volunteers.units.name')} rules={[{ required: true, max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label={t('volunteers.units.kind')} rules={[{ required: true }]}>
          <Select options={UNIT_KINDS.map((k) => ({ value: k, label: labels.unitKind(k) }))} />
        </Form.Item>
        <Form.Item name="regionCode" label={t('volunteers.units.region')} rules={[{ required: true }]}>
          <RegionPicker />
        </Form.Item>
        <Form.Item name="contactName" label={t('volunteers.units.contact')}>
          <Input maxLength={50} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
