import { Alert, Button, DatePicker, Descriptions, Drawer, List, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PatrolSummary } from '../../../shared/patrols.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { formatDateTime } from '../../components/time.ts';
import { useGridGeoJson } from '../territory/api.ts';
import { usePatrol, usePatrols } from './api.ts';
import { formatDistance, formatDuration, formatShare, shanghaiToday } from './format.ts';
import { PatrolMap } from './PatrolMap.tsx';

/** 巡查日志: patrols newest first; a worker's name narrows the log to that worker; a row opens its track. */
export function PatrolLogPanel({
  userId,
  onUser,
}: {
  userId: number | null;
  onUser: (id: number | null) => void;
}) {
  const { t } = useTranslation();
  const [range, setRange] = useState<[string, string]>([shanghaiToday(-29), shanghaiToday()]);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<number | null>(null);
  const query = usePatrols({
    ...(userId ? { userId } : {}),
    from: range[0],
    to: range[1],
    limit: 20,
    offset: (page - 1) * 20,
  });
  const items = query.data?.items ?? [];
  const workerName = userId ? items.find((p) => p.userId === userId)?.userName : null;

  const columns: ColumnsType<PatrolSummary> = [
    {
      key: 'worker',
      title: t('patrols.fields.worker'),
      render: (_: unknown, p) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onUser(p.userId)}>
          {p.userName}
        </Button>
      ),
    },
    { key: 'day', title: t('patrols.fields.day'), dataIndex: 'day', width: 110 },
    {
      key: 'time',
      title: t('patrols.fields.time'),
      render: (_: unknown, p) =>
        `${formatDateTime(p.startedAt).slice(-5)} – ${p.endedAt ? formatDateTime(p.endedAt).slice(-5) : t('patrols.underWay')}`,
    },
    {
      key: 'duration',
      title: t('patrols.fields.duration'),
      align: 'right',
      render: (_, p) => formatDuration(p.durationS, t),
    },
    {
      key: 'distance',
      title: t('patrols.fields.distance'),
      align: 'right',
      render: (_, p) => formatDistance(p.distanceM, t),
    },
    {
      key: 'grids',
      title: t('patrols.fields.gridsCovered'),
      render: (_: unknown, p) =>
        p.grids.map((g) => (
          <div key={g.code}>
            {g.name} <Typography.Text type="secondary">{formatShare(g.coverage)}</Typography.Text>
          </div>
        )),
    },
    { key: 'problems', title: t('patrols.fields.problems'), dataIndex: 'problems', align: 'right' },
    {
      key: 'open',
      title: '',
      render: (_: unknown, p) => (
        <Space size={4}>
          {p.synthetic ? <Tag>{t('patrols.synthetic')}</Tag> : null}
          <Button size="small" onClick={() => setOpen(p.id)} data-testid="patrol-open">
            {t('patrols.log.track')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
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
        {userId ? (
          <Tag closable onClose={() => onUser(null)} color="blue">
            {t('patrols.log.onlyWorker', { name: workerName ?? userId })}
          </Tag>
        ) : (
          <Typography.Text type="secondary">{t('patrols.log.pickWorker')}</Typography.Text>
        )}
      </Space>
      {query.error ? <Alert type="error" showIcon title={errorText(query.error)} /> : null}
      <Table<PatrolSummary>
        size="small"
        rowKey="id"
        loading={query.isFetching}
        columns={columns}
        dataSource={items}
        scroll={{ x: 900 }}
        pagination={{
          current: page,
          pageSize: 20,
          total: query.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        data-testid="patrol-log"
      />
      <PatrolDrawer id={open} onClose={() => setOpen(null)} />
    </Space>
  );
}

function PatrolDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const patrol = usePatrol(id);
  const session = useSession();
  const grids = useGridGeoJson(session.data?.scope.code ?? null);
  const p = patrol.data;
  const touched = useMemo(() => new Set(p?.grids.map((g) => g.code) ?? []), [p]);
  const shown = useMemo(
    () =>
      grids.data
        ? { ...grids.data, features: grids.data.features.filter((f) => touched.has(f.properties.code)) }
        : undefined,
    [grids.data, touched],
  );
  const tracks = useMemo(
    () =>
      p
        ? [{ id: p.id, label: p.userName, coordinates: p.track.map((q) => [q[0], q[1]] as [number, number]) }]
        : [],
    [p],
  );
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size="min(720px, 100vw)"
      title={t('patrols.log.detail')}
      destroyOnHidden
    >
      {patrol.error ? <Alert type="error" showIcon title={errorText(patrol.error)} /> : null}
      {p ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {p.synthetic ? <Alert type="info" showIcon title={t('patrols.syntheticNote')} /> : null}
          <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
            <Descriptions.Item label={t('patrols.fields.worker')}>{p.userName}</Descriptions.Item>
            <Descriptions.Item label={t('patrols.fields.day')}>{p.day}</Descriptions.Item>
            <Descriptions.Item label={t('patrols.fields.started')}>
              {formatDateTime(p.startedAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('patrols.fields.ended')}>
              {p.endedAt ? formatDateTime(p.endedAt) : t('patrols.underWay')}
            </Descriptions.Item>
            <Descriptions.Item label={t('patrols.fields.duration')}>
              {formatDuration(p.durationS, t)}
            </Descriptions.Item>
            <Descriptions.Item label={t('patrols.fields.distance')}>
              {formatDistance(p.distanceM, t)}
            </Descriptions.Item>
            <Descriptions.Item label={t('patrols.fields.points')}>
              {t('patrols.log.pointsKept', { kept: p.track.length, recorded: p.pointCount })}
            </Descriptions.Item>
          </Descriptions>
          <PatrolMap grids={shown} patrolled={touched} tracks={tracks} fitTracks height={320} />
          <Typography.Title level={5}>
            {t('patrols.fields.coverage', { metres: p.coverageMetres })}
          </Typography.Title>
          <List
            size="small"
            bordered
            dataSource={p.grids}
            renderItem={(g) => (
              <List.Item>
                <Typography.Text>{g.name}</Typography.Text>
                <Typography.Text type="secondary">
                  {formatShare(g.coverage)} · {formatDistance(g.distanceM, t)} ·{' '}
                  {formatDuration(g.durationS, t)}
                </Typography.Text>
              </List.Item>
            )}
          />
          <Typography.Title level={5}>
            {t('patrols.log.problems', { count: p.problemList.length })}
          </Typography.Title>
          <List
            size="small"
            bordered
            dataSource={p.problemList}
            locale={{ emptyText: t('patrols.log.noProblems') }}
            renderItem={(c) => (
              <List.Item>
                <Link to={`/cases/${c.id}`}>{c.caseNumber}</Link>
                <Typography.Text ellipsis style={{ maxWidth: 360 }}>
                  {c.description}
                </Typography.Text>
              </List.Item>
            )}
          />
        </Space>
      ) : null}
    </Drawer>
  );
}
