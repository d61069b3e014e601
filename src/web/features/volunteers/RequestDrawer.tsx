import { App, Button, Descriptions, Drawer, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../shared/roles.ts';
import type { Assignment, RequestDetail } from '../../../shared/volunteers.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { useRequest, useSendVolunteers, useUnits, useUnitVolunteers } from './api.ts';
import { shanghaiTime, useVolunteerLabels } from './labels.ts';

/** One request: filled/wanted, the units that sent people and who; a unit's contact sends named volunteers. */
export function RequestDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const labels = useVolunteerLabels();
  const session = useSession();
  const role = session.data?.user.role as Role | undefined;
  const detail = useRequest(id);
  const r = detail.data;
  const columns: ColumnsType<Assignment> = [
    {
      key: 'name',
      title: t('volunteers.figures.volunteer'),
      render: (_, a) => (
        <Space size={4}>
          {a.volunteerName}
          {a.partyMember ? <Tag color="red">{t('volunteers.units.partyMember')}</Tag> : null}
        </Space>
      ),
    },
    { key: 'unit', title: t('volunteers.figures.unit'), dataIndex: 'unitName' },
    { key: 'phone', title: t('volunteers.units.phone'), dataIndex: 'phone' },
    { key: 'in', title: t('volunteers.figures.signedInAt'), render: (_, a) => shanghaiTime(a.signedInAt) },
    { key: 'out', title: t('volunteers.figures.signedOutAt'), render: (_, a) => shanghaiTime(a.signedOutAt) },
  ];
  return (
    <Drawer open={id !== null} onClose={onClose} size="large" title={r?.title ?? ''} destroyOnHidden>
      {r ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('volunteers.requests.community')}>
              {t('common.nameWithCode', { name: r.regionName, code: r.regionCode })}
            </Descriptions.Item>
            <Descriptions.Item label={t('volunteers.requests.kind')}>
              {labels.requestKind(r.kind)}
            </Descriptions.Item>
            <Descriptions.Item label={t('volunteers.requests.place')}>{r.place}</Descriptions.Item>
            <Descriptions.Item label={t('volunteers.requests.time')}>
              {r.day} {r.startTime}–{r.endTime}
            </Descriptions.Item>
            <Descriptions.Item label={t('volunteers.requests.filled')}>
              <Typography.Text strong data-testid="request-filled">
                {r.filled}/{r.wanted}
              </Typography.Text>
              {r.filled >= r.wanted ? (
                <Tag color="green" style={{ marginLeft: 8 }}>
                  {t('volunteers.requests.full')}
                </Tag>
              ) : null}
            </Descriptions.Item>
            <Descriptions.Item label={t('volunteers.requests.units')}>
              {r.units.map((u) => `${u.unitName} ${u.sent}`).join('，') || '—'}
            </Descriptions.Item>
            {r.note ? (
              <Descriptions.Item label={t('volunteers.requests.note')}>{r.note}</Descriptions.Item>
            ) : null}
          </Descriptions>
          {role === 'unitContact' && r.filled < r.wanted && !r.cancelled ? <SendForm request={r} /> : null}
          <Typography.Title level={5}>{t('volunteers.requests.people')}</Typography.Title>
          <Table
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={r.assignments}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty description={t('volunteers.requests.noPeople')} /> }}
          />
        </Space>
      ) : null}
    </Drawer>
  );
}

/** A unit's contact picks the unit and the named volunteers to send, up to what is still wanted. */
function SendForm({ request }: { request: RequestDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const units = useUnits({ page: 1, pageSize: 200 });
  const [unitId, setUnitId] = useState<number | null>(null);
  const chosenUnit = unitId ?? units.data?.items[0]?.id ?? null;
  const roster = useUnitVolunteers(chosenUnit);
  const [picked, setPicked] = useState<number[]>([]);
  const send = useSendVolunteers(request.id);
  const already = new Set(request.assignments.map((a) => a.volunteerId));
  const left = request.wanted - request.filled;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="send-form">
      <Typography.Title level={5}>{t('volunteers.requests.send')}</Typography.Title>
      <Select
        style={{ width: '100%' }}
        value={chosenUnit ?? undefined}
        onChange={(value) => {
          setUnitId(value);
          setPicked([]);
        }}
        options={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
      />
      <Select
        mode="multiple"
        style={{ width: '100%' }}
        placeholder={t('volunteers.requests.sendPick', { count: left })}
        value={picked}
        maxCount={left}
        onChange={setPicked}
        data-testid="send-pick"
        optionFilterProp="label"
        options={(roster.data ?? [])
          .filter((v) => !already.has(v.id))
          .map((v) => ({
            value: v.id,
            label: v.partyMember ? `${v.name} · ${t('volunteers.units.partyMember')}` : v.name,
          }))}
      />
      <Button
        type="primary"
        disabled={!picked.length || chosenUnit === null}
        loading={send.isPending}
        data-testid="send-submit"
        onClick={() =>
          chosenUnit !== null &&
          send.mutate(
            { unitId: chosenUnit, volunteerIds: picked },
            {
              onSuccess: () => {
                message.success(t('volunteers.requests.sent'));
                setPicked([]);
              },
              onError: (error) => message.error(errorText(error)),
            },
          )
        }
      >
        {t('volunteers.requests.send')}
      </Button>
    </Space>
  );
}
