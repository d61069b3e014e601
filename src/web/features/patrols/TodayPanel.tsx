import { Alert, Card, Col, List, Row, Space, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { useGridGeoJson } from '../territory/api.ts';
import { useGridDays, useTodayTracks, useUnpatrolled } from './api.ts';
import { formatShare, shanghaiToday } from './format.ts';
import { PatrolMap, type TrackLine } from './PatrolMap.tsx';

/** Today: every track over the grids (green patrolled, orange not), and the grids not patrolled yet. */
export function TodayPanel() {
  const { t } = useTranslation();
  const session = useSession();
  const root = session.data?.scope.code ?? null;
  const grids = useGridGeoJson(root);
  const tracks = useTodayTracks(undefined);
  const unpatrolled = useUnpatrolled(undefined);
  const day = tracks.data?.day ?? shanghaiToday();
  const today = useGridDays({ from: day, to: day });
  const patrolled = useMemo(
    () => new Set((today.data?.items ?? []).filter((r) => r.patrolled).map((r) => r.gridCode)),
    [today.data],
  );
  const lines: TrackLine[] = useMemo(
    () =>
      (tracks.data?.features ?? []).map((f) => ({
        id: f.properties.patrolId,
        label: f.properties.userName,
        coordinates: f.geometry.coordinates,
        synthetic: f.properties.synthetic,
      })),
    [tracks.data],
  );
  const worked = today.data?.items ?? [];
  // Real patrols first: on the demo town they would otherwise sink among hundreds of synthetic ones.
  const done = worked
    .filter((r) => r.patrolled)
    .sort((a, b) => Number(a.synthetic) - Number(b.synthetic) || a.gridCode.localeCompare(b.gridCode));
  const error = tracks.error ?? unpatrolled.error ?? grids.error;
  const synthetic = tracks.data?.features.some((f) => f.properties.synthetic);

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {error ? <Alert type="error" showIcon title={errorText(error)} /> : null}
      <Space wrap>
        <Typography.Text>{t('patrols.today.heading', { day })}</Typography.Text>
        <Tag color="green" data-testid="patrolled-count">
          {t('patrols.today.patrolled', { count: patrolled.size, total: worked.length })}
        </Tag>
        <Tag color="orange">
          {t('patrols.today.notPatrolled', { count: unpatrolled.data?.items.length ?? 0 })}
        </Tag>
        <Tag color="blue">{t('patrols.today.tracks', { count: lines.length })}</Tag>
        {synthetic ? <Tag>{t('patrols.syntheticNote')}</Tag> : null}
      </Space>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={16}>
          <PatrolMap grids={grids.data} patrolled={patrolled} tracks={lines} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('patrols.today.legend', { metres: today.data?.coverageMetres ?? 50 })}
          </Typography.Text>
        </Col>
        <Col xs={24} lg={8}>
          <Card
            size="small"
            title={t('patrols.today.unpatrolledTitle', { count: unpatrolled.data?.items.length ?? 0 })}
            styles={{ body: { maxHeight: 420, overflow: 'auto', padding: 0 } }}
          >
            <List
              size="small"
              loading={unpatrolled.isPending}
              dataSource={unpatrolled.data?.items ?? []}
              locale={{ emptyText: t('patrols.today.allPatrolled') }}
              renderItem={(g) => (
                <List.Item data-testid="unpatrolled-grid" style={{ padding: '6px 12px' }}>
                  <Space orientation="vertical" size={0}>
                    <Typography.Text>
                      {g.villageName} · {g.gridName}
                    </Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('patrols.fields.workers')}: {g.workers.join('、')}
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          </Card>
          <Card size="small" title={t('patrols.today.patrolledTitle')} style={{ marginTop: 12 }}>
            <List
              size="small"
              dataSource={done}
              locale={{ emptyText: t('patrols.today.noneYet') }}
              renderItem={(r) => (
                <List.Item data-testid="patrolled-grid">
                  <Typography.Text>
                    {r.villageName} · {r.gridName}
                  </Typography.Text>
                  <Typography.Text type="secondary">
                    {r.synthetic ? `${t('patrols.synthetic')} · ` : ''}
                    {formatShare(r.coverage)}
                  </Typography.Text>
                </List.Item>
              )}
              pagination={
                worked.filter((r) => r.patrolled).length > 8 ? { pageSize: 8, size: 'small' } : false
              }
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
