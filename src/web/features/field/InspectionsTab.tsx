import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Segmented, Space, Spin, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MyTarget } from '../../../shared/campaigns.ts';
import { SITE_TYPE_LABELS } from '../../../shared/inspections.ts';
import { errorText } from '../../api/client.ts';
import { formatDateTime } from '../../components/time.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { GridMap, type MapPoint } from '../territory/GridMap.tsx';
import type { FieldUser } from './FieldPage.tsx';
import {
  distanceMetres,
  formatDistance,
  groupTargets,
  type TargetState,
  targetState,
} from './inspection-targets.ts';
import type { VisitItem } from './outbox.ts';
import { ReinspectPanel } from './ReinspectPanel.tsx';
import { useMyTargets, useRefreshWhenSent } from './useInspections.ts';
import { useOutboxItems } from './useOutbox.ts';
import { usePosition } from './usePosition.ts';
import { VisitDone, VisitForm } from './VisitForm.tsx';

const STATE_COLORS: Record<TargetState | 'queued', string> = {
  open: 'blue',
  overdue: 'red',
  visited: 'green',
  late: 'orange',
  queued: 'gold',
};

/** The key a target is opened by: one target in one round. */
const visitKey = (target: MyTarget) => `${target.round.id}-${target.target.id}`;

/** 督查: the inspector's targets to visit by campaign and round, on a map; a visit; and 回头看. */
export function InspectionsTab({
  user,
  visit,
  queued,
  onOpen,
  sync,
}: {
  user: FieldUser;
  /** The target being visited (`roundId-targetId`), or null for the list. */
  visit: string | null;
  /**
   * The outbox id of the visit just submitted: its fate (waiting, then the notice number) is shown until the
   * user goes back, also after the app was reopened.
   */
  queued: string | null;
  onOpen: (key: string | null, queued?: string) => void;
  sync: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [view, setView] = useState<'targets' | 'reinspections'>('targets');
  const targets = useMyTargets(user.id);
  useRefreshWhenSent(user.id);
  const opened = visit ? targets.items.find((target) => visitKey(target) === visit) : undefined;

  if (queued) return <VisitDone user={user} id={queued} onDone={() => onOpen(null)} />;
  if (visit) {
    if (opened)
      return (
        <VisitForm
          user={user}
          target={opened}
          onQueued={(id) => onOpen(visit, id)}
          onDone={() => onOpen(null)}
          sync={sync}
        />
      );
    return targets.loading ? (
      <Spin className="gg-field-spin" />
    ) : (
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Alert type="warning" showIcon title={t('fieldInspections.visit.unavailable')} />
        <Button onClick={() => onOpen(null)}>{t('fieldInspections.visit.back')}</Button>
      </Space>
    );
  }
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Segmented
        block
        value={view}
        onChange={setView}
        options={[
          { value: 'targets', label: t('fieldInspections.views.targets') },
          { value: 'reinspections', label: t('fieldInspections.views.reinspections') },
        ]}
        data-testid="inspections-view"
      />
      {view === 'targets' ? (
        <TargetList user={user} targets={targets} onOpen={onOpen} />
      ) : (
        <ReinspectPanel user={user} sync={sync} />
      )}
    </Space>
  );
}

function TargetList({
  user,
  targets,
  onOpen,
}: {
  user: FieldUser;
  targets: ReturnType<typeof useMyTargets>;
  onOpen: (key: string) => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [position] = usePosition();
  const here = position.status === 'located' ? position : null;
  const [selected, setSelected] = useState<number | null>(null);
  const outbox = useOutboxItems(user.id);
  // Visits of this phone: still waiting (the list does not know of them yet), or sent with their notice.
  const ours = useMemo(() => {
    const byKey = new Map<string, VisitItem>();
    for (const item of outbox)
      if (item.kind === 'visit') byKey.set(`${item.input.roundId}-${item.input.targetId}`, item);
    return byKey;
  }, [outbox]);
  const groups = useMemo(() => groupTargets(targets.items), [targets.items]);
  const points = useMemo<MapPoint[]>(
    () =>
      targets.items.flatMap(({ target }) =>
        target.lon !== null && target.lat !== null
          ? [{ id: target.id, lon: target.lon, lat: target.lat, label: target.name }]
          : [],
      ),
    [targets.items],
  );

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary">
          {t('common.total', { count: targets.items.length })}
        </Typography.Text>
        <Button icon={<ReloadOutlined />} onClick={targets.refetch} loading={targets.fetching}>
          {t('fieldInspections.refresh')}
        </Button>
      </Space>
      {targets.savedAt ? (
        <Alert
          type="info"
          showIcon
          title={t('fieldInspections.savedAt', { time: formatDateTime(targets.savedAt) })}
          data-testid="targets-saved"
        />
      ) : null}
      {targets.error ? <Alert type="error" showIcon title={errorText(targets.error)} /> : null}
      {targets.loading ? <Spin className="gg-field-spin" /> : null}
      {!targets.loading && !targets.error && targets.items.length === 0 ? (
        <Empty description={t('fieldInspections.empty')} />
      ) : null}
      {points.length ? (
        <section
          className="gg-map-wrap gg-field-map"
          data-testid="targets-map"
          aria-label={t('fieldInspections.map')}
        >
          <GridMap data={undefined} points={points} selectedPointId={selected} onPointSelect={setSelected} />
        </section>
      ) : null}
      {groups.map((group) => (
        <Card
          key={group.key}
          size="small"
          data-testid="target-group"
          title={
            <Space orientation="vertical" size={0} style={{ whiteSpace: 'normal' }}>
              <Typography.Text strong>{group.campaign.name}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                {t('fieldInspections.roundN', { number: group.round.number })} ·{' '}
                {t(`fieldInspections.roundKind.${group.round.kind}`)} ·{' '}
                {t('fieldInspections.window', { opens: group.round.opensOn, due: group.round.dueOn })}
              </Typography.Text>
            </Space>
          }
          extra={
            <Space size={2} orientation="vertical" align="end">
              {group.campaign.covert ? <Tag color="purple">{t('fieldInspections.covert')}</Tag> : null}
              {group.campaign.signatureRequired ? <Tag>{t('fieldInspections.signatureRequired')}</Tag> : null}
            </Space>
          }
        >
          <Space orientation="vertical" style={{ width: '100%' }}>
            {group.targets.map((item) => {
              const key = visitKey(item);
              const mine = ours.get(key);
              const waiting = mine && mine.status !== 'sent';
              const state = targetState(item);
              const shownState = waiting ? 'queued' : mine?.visit && state === 'open' ? 'visited' : state;
              const notice = mine?.visit?.noticeNumber;
              const { target } = item;
              return (
                <Card
                  key={key}
                  size="small"
                  className="gg-field-task"
                  data-testid="field-target"
                  data-selected={selected === target.id || undefined}
                  style={selected === target.id ? { borderColor: '#1677ff' } : undefined}
                  onClick={() => setSelected(target.id)}
                >
                  <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                    <Space wrap size={6}>
                      <Typography.Text strong>{target.name}</Typography.Text>
                      <Tag color={STATE_COLORS[shownState]} data-testid="target-state">
                        {t(`fieldInspections.state.${shownState}`)}
                      </Tag>
                    </Space>
                    <Typography.Text type="secondary">
                      {pickLabel(SITE_TYPE_LABELS[target.siteType], locale)}
                      {target.address ? ` · ${target.address}` : ''}
                      {here && target.lon !== null && target.lat !== null
                        ? ` · ${t('fieldInspections.distance', {
                            distance: formatDistance(
                              distanceMetres(here, { lon: target.lon, lat: target.lat }),
                            ),
                          })}`
                        : ''}
                    </Typography.Text>
                    {notice ? (
                      <Typography.Text>{t('fieldInspections.notice', { number: notice })}</Typography.Text>
                    ) : null}
                    {item.due !== 'done' && !mine ? (
                      <Button type="primary" block onClick={() => onOpen(key)} data-testid="target-start">
                        {t('fieldInspections.start')}
                      </Button>
                    ) : null}
                  </Space>
                </Card>
              );
            })}
          </Space>
        </Card>
      ))}
    </Space>
  );
}
