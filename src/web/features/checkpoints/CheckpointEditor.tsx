import { Alert, App, Button, Drawer, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CHECKPOINT_KINDS,
  CHECKPOINT_STATUSES,
  type CheckpointDetail,
  type CheckpointInput,
  type DutyInput,
  SHIFT_HOURS,
  SHIFTS,
  type Shift,
} from '../../../shared/checkpoints.ts';
import { errorText } from '../../api/client.ts';
import type { GridFeatureCollection } from '../territory/api.ts';
import { GridMap } from '../territory/GridMap.tsx';
import { useCheckpoint, useCheckpointStaff, useSaveCheckpoint, useSaveRoster } from './api.ts';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
/** A roster cell's value: `u:<id>` for a user of the village, any other text an outside person's name. */
type Cell = string[];
const slot = (weekday: number, shift: Shift) => `${weekday}/${shift}`;

/** The drawer of one checkpoint: its place and details (administrators) and its weekly duty roster. */
export function CheckpointEditor({
  id,
  mayManage,
  grids,
  onClose,
}: {
  id: number | null;
  mayManage: boolean;
  grids: GridFeatureCollection | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const detail = useCheckpoint(id);
  const title = id === null ? t('checkpoints.actions.add') : (detail.data?.name ?? '');
  return (
    <Drawer open onClose={onClose} title={title} size="large" destroyOnHidden>
      {detail.error ? <Alert type="error" showIcon title={errorText(detail.error)} /> : null}
      {mayManage && (id === null || detail.data) ? (
        <DetailsForm
          detail={detail.data ?? null}
          grids={grids}
          onSaved={(saved) => (id === null ? onClose() : saved)}
        />
      ) : null}
      {detail.data ? <RosterEditor detail={detail.data} mayManage={mayManage} /> : null}
    </Drawer>
  );
}

function DetailsForm({
  detail,
  grids,
  onSaved,
}: {
  detail: CheckpointDetail | null;
  grids: GridFeatureCollection | undefined;
  onSaved: (saved: CheckpointDetail) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const save = useSaveCheckpoint();
  const [form] = Form.useForm<Omit<CheckpointInput, 'lon' | 'lat'>>();
  const [point, setPoint] = useState<[number, number] | null>(detail ? [detail.lon, detail.lat] : null);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (values: Omit<CheckpointInput, 'lon' | 'lat'>) => {
    if (!point) {
      setProblem(t('checkpoints.form.pointMissing'));
      return;
    }
    const [lon, lat] = point;
    save.mutate(
      {
        id: detail?.id ?? null,
        body: detail ? { ...values, lon, lat, version: detail.version } : { ...values, lon, lat },
      },
      {
        onSuccess: (saved) => {
          void message.success(t('checkpoints.form.created'));
          setProblem(null);
          onSaved(saved);
        },
        onError: (error) => setProblem(errorText(error)),
      },
    );
  };

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={detail ?? { kind: 'road', status: 'active', note: '' }}
      onFinish={submit}
      data-testid="checkpoint-form"
    >
      <Form.Item name="name" label={t('checkpoints.form.name')} rules={[{ required: true, max: 60 }]}>
        <Input />
      </Form.Item>
      <Space wrap>
        <Form.Item name="kind" label={t('checkpoints.form.kind')}>
          <Select
            style={{ width: 160 }}
            options={CHECKPOINT_KINDS.map((k) => ({ value: k, label: t(`checkpoints.kinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="status" label={t('checkpoints.form.status')}>
          <Select
            style={{ width: 120 }}
            options={CHECKPOINT_STATUSES.map((s) => ({ value: s, label: t(`checkpoints.statuses.${s}`) }))}
          />
        </Form.Item>
      </Space>
      <Form.Item name="note" label={t('checkpoints.form.note')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Typography.Text>{t('checkpoints.form.point')}</Typography.Text>
      <div className="gg-map-wrap" style={{ height: 260, marginBottom: 12 }}>
        <GridMap data={grids} point={point} onMapClick={setPoint} />
      </div>
      {point ? (
        <Typography.Paragraph type="secondary">
          {point[0].toFixed(6)}, {point[1].toFixed(6)}
          {detail ? ` · ${detail.villageName} ${detail.gridName}` : ''}
        </Typography.Paragraph>
      ) : null}
      {problem ? <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} /> : null}
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('checkpoints.actions.save')}
      </Button>
    </Form>
  );
}

function RosterEditor({ detail, mayManage }: { detail: CheckpointDetail; mayManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const staff = useCheckpointStaff(mayManage ? detail.id : null);
  const save = useSaveRoster(detail.id);
  const [cells, setCells] = useState<Record<string, Cell>>({});
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const next: Record<string, Cell> = {};
    for (const duty of detail.roster) {
      const key = slot(duty.weekday, duty.shift);
      next[key] = [...(next[key] ?? []), duty.userId !== null ? `u:${duty.userId}` : duty.name];
    }
    setCells(next);
  }, [detail.roster]);

  const nameOf = new Map<string, string>(
    detail.roster.flatMap((d) => (d.userId === null ? [] : [[`u:${d.userId}`, d.name] as const])),
  );
  const dayName = (weekday: number) => t(`checkpoints.weekdays.${String(weekday) as '1'}`);
  const options = [
    ...(staff.data?.staff ?? []).map((u) => ({ value: `u:${u.id}`, label: u.name })),
    ...[...nameOf]
      .filter(([value]) => !staff.data?.staff.some((u) => `u:${u.id}` === value))
      .map(([value, label]) => ({ value, label })),
  ];

  const submit = () => {
    const duties: DutyInput[] = Object.entries(cells).flatMap(([key, values]) => {
      const [weekday, shift] = key.split('/') as [string, Shift];
      return values.map((value) =>
        value.startsWith('u:')
          ? { weekday: Number(weekday), shift, userId: Number(value.slice(2)), name: null }
          : { weekday: Number(weekday), shift, userId: null, name: value.trim() },
      );
    });
    save.mutate(
      { version: detail.version, duties },
      {
        onSuccess: () => {
          setProblem(null);
          void message.success(t('checkpoints.roster.saved'));
        },
        onError: (error) => setProblem(errorText(error)),
      },
    );
  };

  return (
    <Space orientation="vertical" style={{ width: '100%', marginTop: 24 }} data-testid="checkpoint-roster">
      <Typography.Title level={5}>{t('checkpoints.roster.title', { name: detail.name })}</Typography.Title>
      <Typography.Text type="secondary">{t('checkpoints.roster.help')}</Typography.Text>
      <Table
        rowKey="weekday"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={WEEKDAYS.map((weekday) => ({ weekday }))}
        columns={[
          {
            key: 'day',
            title: '',
            width: 56,
            render: (_: unknown, row) => dayName(row.weekday),
          },
          ...SHIFTS.map((shift) => ({
            key: shift,
            title: `${t(`checkpoints.shifts.${shift}`)} ${SHIFT_HOURS[shift]}`,
            render: (_: unknown, row: { weekday: number }) => {
              const key = slot(row.weekday, shift);
              const value = cells[key] ?? [];
              return mayManage ? (
                <Select
                  mode="tags"
                  style={{ minWidth: 180 }}
                  value={value}
                  options={options}
                  optionFilterProp="label"
                  tokenSeparators={[',', '，', '、']}
                  placeholder={t('checkpoints.roster.staff')}
                  aria-label={`${dayName(row.weekday)} ${t(`checkpoints.shifts.${shift}`)}`}
                  onChange={(next: string[]) => setCells((current) => ({ ...current, [key]: next }))}
                />
              ) : (
                value.map((v) => nameOf.get(v) ?? v).join('、') || '—'
              );
            },
          })),
        ]}
      />
      {problem ? <Alert type="error" showIcon title={problem} /> : null}
      {mayManage ? (
        <Button type="primary" onClick={submit} loading={save.isPending} data-testid="roster-save">
          {t('checkpoints.actions.save')}
        </Button>
      ) : null}
    </Space>
  );
}
