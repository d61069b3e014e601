import { AimOutlined, CameraOutlined, PlayCircleOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, List, Popconfirm, Space, Statistic, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { POINT_INTERVAL_MS } from '../../../shared/patrols.ts';
import { formatDateTime } from '../../components/time.ts';
import { apiPatrolSender, usePatrols } from '../patrols/api.ts';
import { formatDistance, formatDuration, formatShare, shanghaiToday } from '../patrols/format.ts';
import type { FieldUser } from './FieldPage.tsx';
import { type LocalPatrol, patrolStore } from './patrol-store.ts';

/** How often waiting points are sent while the patrol page is open and online. */
const SYNC_MS = 15_000;

type Fix = { status: 'waiting' } | { status: 'ok'; accuracy: number } | { status: 'denied' | 'error' };

/** The user's patrols kept on this phone, re-read on every change of the store. */
function useLocalPatrols(owner: number): LocalPatrol[] {
  const [patrols, setPatrols] = useState<LocalPatrol[]>([]);
  useEffect(() => {
    const store = patrolStore();
    let live = true;
    const reload = () => {
      void store.list(owner).then((list) => {
        if (live) setPatrols(list);
      });
    };
    reload();
    const stop = store.subscribe(reload);
    return () => {
      live = false;
      stop();
    };
  }, [owner]);
  return patrols;
}

/**
 * Records the phone's position while a patrol is under way and the page is open. watchPosition reports when the
 * position changes; the latest fix is also recorded every POINT_INTERVAL_MS, so a worker standing still still
 * leaves points and a move reported just after a kept point is not lost (the store keeps points at least that
 * far apart). A fix older than 30 s is not repeated: the phone has lost its position.
 */
function useTrackRecorder(owner: number, patrol: LocalPatrol | null): Fix {
  const [fix, setFix] = useState<Fix>({ status: 'waiting' });
  const key = patrol?.key ?? null;
  useEffect(() => {
    if (!key || !('geolocation' in navigator)) return;
    const store = patrolStore();
    let latest: { lon: number; lat: number; accuracy: number; seenAt: number } | null = null;
    const keep = () => {
      if (!latest || Date.now() - latest.seenAt > 30_000) return;
      void store.record(owner, key, { ...latest, at: new Date() });
    };
    const watch = navigator.geolocation.watchPosition(
      (position) => {
        latest = {
          lon: position.coords.longitude,
          lat: position.coords.latitude,
          accuracy: position.coords.accuracy,
          seenAt: Date.now(),
        };
        setFix({ status: 'ok', accuracy: Math.round(position.coords.accuracy) });
        keep();
      },
      (error) => setFix({ status: error.code === error.PERMISSION_DENIED ? 'denied' : 'error' }),
      { enableHighAccuracy: true, maximumAge: POINT_INTERVAL_MS, timeout: 60_000 },
    );
    const timer = window.setInterval(keep, POINT_INTERVAL_MS);
    return () => {
      navigator.geolocation.clearWatch(watch);
      window.clearInterval(timer);
    };
  }, [owner, key]);
  return fix;
}

/** Sends what waits: now, on the `online` event and every SYNC_MS while online; `onSent` after a full send. */
function usePatrolSync(owner: number, online: boolean, onSent: () => void): () => Promise<void> {
  const onSentRef = useRef(onSent);
  onSentRef.current = onSent;
  const sync = useCallback(async () => {
    if (!navigator.onLine) return;
    if (await patrolStore().sync(owner, apiPatrolSender)) onSentRef.current();
  }, [owner]);
  useEffect(() => {
    if (!online) return;
    void sync();
    const timer = window.setInterval(() => void sync(), SYNC_MS);
    return () => window.clearInterval(timer);
  }, [online, sync]);
  return sync;
}

/** Seconds since `from`, ticking. */
function useElapsed(from: string | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!from) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [from]);
  return from ? Math.max(0, Math.round((now - Date.parse(from)) / 1000)) : 0;
}

/** 巡查: start and end a patrol; while it runs the phone records the track, kept offline and sent later. */
export function PatrolTab({
  user,
  online,
  onReport,
}: {
  user: FieldUser;
  online: boolean;
  onReport: () => void;
}) {
  const { t } = useTranslation();
  const locals = useLocalPatrols(user.id);
  const active = locals.find((p) => p.endedAt === null) ?? null;
  const fix = useTrackRecorder(user.id, active);
  const elapsed = useElapsed(active?.startedAt ?? null);
  const today = shanghaiToday();
  const mine = usePatrols(
    { userId: user.id, from: today, to: today, limit: 20 },
    { refetchInterval: 30_000 },
  );
  const sync = usePatrolSync(user.id, online, () => void mine.refetch());
  const waiting = locals.reduce((sum, p) => sum + p.pending.length, 0);
  const unsentSteps = locals.filter((p) => !p.startSent || (p.endedAt && !p.endSent)).length;

  const start = async () => {
    await patrolStore().start(user.id);
    await sync();
  };
  const end = async () => {
    if (!active) return;
    await patrolStore().end(user.id, active.key);
    await sync();
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="patrol-tab">
      {active ? (
        <Card size="small" data-testid="patrol-active" title={t('patrols.field.underWay')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Space size="large" wrap>
              <Statistic title={t('patrols.field.elapsed')} value={formatDuration(elapsed, t)} />
              <div data-testid="patrol-distance">
                <Statistic title={t('patrols.field.distance')} value={formatDistance(active.distanceM, t)} />
              </div>
              <div data-testid="patrol-points">
                <Statistic title={t('patrols.field.points')} value={active.recorded} />
              </div>
            </Space>
            <Typography.Text type="secondary">
              <AimOutlined />{' '}
              {fix.status === 'ok'
                ? t('patrols.field.gpsOk', { accuracy: fix.accuracy })
                : t(`patrols.field.gps.${fix.status}`)}
            </Typography.Text>
            <Alert type="info" showIcon title={t('patrols.field.keepOpen')} />
            <Space wrap>
              <Button icon={<CameraOutlined />} onClick={onReport}>
                {t('patrols.field.reportProblem')}
              </Button>
              <Popconfirm title={t('patrols.field.endConfirm')} onConfirm={() => void end()}>
                <Button danger type="primary" icon={<StopOutlined />} data-testid="patrol-end">
                  {t('patrols.field.end')}
                </Button>
              </Popconfirm>
            </Space>
          </Space>
        </Card>
      ) : (
        <Card size="small">
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Paragraph style={{ margin: 0 }}>{t('patrols.field.intro')}</Typography.Paragraph>
            <Button
              type="primary"
              block
              size="large"
              icon={<PlayCircleOutlined />}
              onClick={() => void start()}
              data-testid="patrol-start"
            >
              {t('patrols.field.start')}
            </Button>
          </Space>
        </Card>
      )}
      <div data-testid="patrol-sync" data-waiting={waiting}>
        <Alert
          type={waiting || unsentSteps ? 'warning' : 'success'}
          showIcon
          title={
            waiting || unsentSteps
              ? t('patrols.field.waiting', { count: waiting })
              : t('patrols.field.allSent')
          }
          description={online ? undefined : t('patrols.field.offlineKept')}
        />
      </div>
      {locals.some((p) => p.refused > 0) ? (
        <Alert
          type="error"
          showIcon
          title={t('patrols.field.refused', { count: locals.reduce((s, p) => s + p.refused, 0) })}
          description={locals.find((p) => p.error)?.error}
        />
      ) : null}
      <Typography.Title level={5} style={{ margin: '8px 0 0' }}>
        {t('patrols.field.today')}
      </Typography.Title>
      {mine.data?.items.length ? (
        <List
          size="small"
          bordered
          style={{ background: '#fff' }}
          dataSource={mine.data.items}
          renderItem={(p) => (
            <List.Item data-testid="patrol-today-item">
              <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap size={6}>
                  <Typography.Text strong>{formatDateTime(p.startedAt)}</Typography.Text>
                  {p.endedAt ? (
                    <Tag color="green">{t('patrols.ended')}</Tag>
                  ) : (
                    <Tag color="blue">{t('patrols.underWay')}</Tag>
                  )}
                  {p.synthetic ? <Tag>{t('patrols.synthetic')}</Tag> : null}
                </Space>
                <Typography.Text type="secondary">
                  {formatDuration(p.durationS, t)} · {formatDistance(p.distanceM, t)} ·{' '}
                  {t('patrols.problemsCount', { count: p.problems })}
                </Typography.Text>
                {p.grids.map((g) => (
                  <Typography.Text key={g.code} type="secondary" style={{ fontSize: 12 }}>
                    {g.name}: {t('patrols.coverageOf', { share: formatShare(g.coverage) })}
                  </Typography.Text>
                ))}
              </Space>
            </List.Item>
          )}
        />
      ) : (
        <Empty description={t('patrols.field.noneToday')} />
      )}
    </Space>
  );
}
