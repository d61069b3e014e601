// The console's texts, before this screen renders (the login and the portal go without them).
import '../../i18n/console.ts';
import { DesktopOutlined, ExpandOutlined, LogoutOutlined, SettingOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  ConfigProvider,
  Flex,
  Row,
  Select,
  Space,
  Tag,
  Tooltip,
  Typography,
  theme,
} from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { type Dashboard, DEADLINE_TONES } from '../../../shared/dashboard.ts';
import { UNIT_KIND_LABELS } from '../../../shared/indicators.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { formatDateTime } from '../../components/time.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { MediationCard } from '../mediation/MediationCard.tsx';
import { PartyCard } from '../party/PartyCard.tsx';
import { useGridGeoJson, useRegionTree } from '../territory/api.ts';
import { VolunteerCard } from '../volunteers/VolunteerCard.tsx';
import { useDashboard } from './api.ts';
import type { CasesQuery } from './CasesDrawer.tsx';
import { DashboardMap, TONE_COLORS } from './DashboardMap.tsx';
import {
  type Drill,
  HotSpotsChart,
  KeyFigures,
  PanelTitle,
  PinnedFigures,
  RankingPanel,
  SatisfactionPanel,
  SourcesChart,
  TrendChart,
} from './DashboardPanels.tsx';
import { indicatorFormula } from './figures.ts';

// The cases behind a figure and the choice of key figures open on a click: their table, drawer and dialog are
// loaded then, not with the page (issue 15's weight target for a console page's first load).
const CasesDrawer = lazy(() => import('./CasesDrawer.tsx').then((m) => ({ default: m.CasesDrawer })));
const KeyFiguresModal = lazy(() =>
  import('./KeyFiguresModal.tsx').then((m) => ({ default: m.KeyFiguresModal })),
);

/** The wall display refreshes itself this often. */
const WALL_REFRESH_MS = 60_000;
const WALL_BACKGROUND = '#07142b';

/**
 * `/dashboard` 数读: the leader's figures of their scope on one page; `/dashboard/wall` 大屏: the same for a wall
 * display (dark, large type, full screen, refreshing itself every minute).
 */
export default function DashboardPage({ wall = false }: { wall?: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [params, setParams] = useSearchParams();
  const scope = params.get('scope') ?? undefined;
  const dashboard = useDashboard(scope, wall ? WALL_REFRESH_MS : undefined);
  const data = dashboard.data;
  const grids = useGridGeoJson(data?.scope.code || null);
  const [drill, setDrill] = useState<{ query: CasesQuery; name: string } | null>(null);
  // Once opened, the drawer stays mounted, so that closing it slides it out.
  const [drilled, setDrilled] = useState(false);
  const [choosing, setChoosing] = useState(false);
  const admin = useSession().data?.user.role === 'administrator';
  const tree = useRegionTree();
  const villages = useMemo(() => {
    const list: { code: string; name: string }[] = [];
    const walk = (nodes: { code: string; name: string; children?: unknown[] }[]) => {
      for (const node of nodes) {
        if (node.code.length === 12) list.push({ code: node.code, name: node.name });
        else if (node.code.length < 12 && node.children) walk(node.children as typeof nodes);
      }
    };
    walk(tree.data ?? []);
    return list;
  }, [tree.data]);

  const open: Drill = (period, count, label, narrow) => {
    if (!data) return;
    const span = data[period];
    setDrilled(true);
    setDrill({
      name: `${data.scope.name} · ${label}`,
      query: {
        from: span.from,
        to: span.to,
        unit: data.drill.unit,
        count,
        ...(data.drill.key ? { key: data.drill.key } : {}),
        ...narrow,
      },
    });
  };

  if (dashboard.isPending) return <PageSpinner />;
  if (dashboard.isError && !data) return <Alert type="error" showIcon title={errorText(dashboard.error)} />;
  if (!data) return null;

  const header = (
    <Flex wrap gap={12} align="center" justify="space-between">
      <Space wrap align="center">
        <Typography.Title level={wall ? 3 : 4} style={{ margin: 0 }} data-testid="dashboard-title">
          {wall
            ? t('evaluation.dashboard.wallTitle', { scope: data.scope.name })
            : `${t('evaluation.dashboard.title')} · ${data.scope.name}`}
        </Typography.Title>
        {data.synthetic ? (
          <Tooltip title={t('evaluation.dashboard.syntheticNote')}>
            <Tag color="orange" data-testid="synthetic-notice">
              {t('evaluation.dashboard.synthetic')}
            </Tag>
          </Tooltip>
        ) : null}
      </Space>
      <Space wrap>
        {villages.length > 1 ? (
          <Select
            aria-label={t('evaluation.dashboard.scope')}
            style={{ width: 200 }}
            allowClear
            placeholder={t('evaluation.dashboard.allScope', { name: data.scope.name })}
            value={scope}
            onChange={(value?: string) => setParams(value ? { scope: value } : {})}
            options={villages.map((v) => ({ value: v.code, label: v.name }))}
          />
        ) : null}
        {admin && !wall ? (
          <Button icon={<SettingOutlined />} onClick={() => setChoosing(true)}>
            {t('evaluation.dashboard.chooseKeyFigures')}
          </Button>
        ) : null}
        {wall ? (
          <>
            <Button
              icon={<ExpandOutlined />}
              onClick={() => void document.documentElement.requestFullscreen?.()}
            >
              {t('evaluation.dashboard.fullscreen')}
            </Button>
            <Link to={`/dashboard${scope ? `?scope=${scope}` : ''}`}>
              <Button icon={<LogoutOutlined />}>{t('evaluation.dashboard.exitWall')}</Button>
            </Link>
          </>
        ) : (
          <Link to={`/dashboard/wall${scope ? `?scope=${scope}` : ''}`}>
            <Button type="primary" icon={<DesktopOutlined />} data-testid="wall-link">
              {t('evaluation.dashboard.wall')}
            </Button>
          </Link>
        )}
      </Space>
    </Flex>
  );

  const trendCard = (
    <Card size="small" title={t('evaluation.dashboard.trend')}>
      <TrendChart data={data} dark={wall} height={wall ? 250 : 260} />
    </Card>
  );
  const sourcesCard = (
    <Card size="small" title={t('evaluation.dashboard.sources')}>
      <SourcesChart data={data} dark={wall} height={wall ? 230 : 260} locale={locale} drill={open} />
    </Card>
  );
  const mapCard = (
    <Card size="small" title={<MapTitle data={data} />}>
      <DashboardMap grids={grids.data} points={data.map.points} height={wall ? 510 : 380} dark={wall} />
      <MapLegend data={data} />
    </Card>
  );
  const hotSpotsCard = (
    <Card size="small" title={t('evaluation.dashboard.hotSpots')} style={{ height: '100%' }}>
      <HotSpotsChart data={data} dark={wall} height={wall ? 250 : 380} drill={open} />
    </Card>
  );
  const satisfactionCard = (
    <Card
      size="small"
      title={
        <PanelTitle
          title={t('evaluation.dashboard.satisfaction')}
          formula={indicatorFormula('satisfactionRate', locale)}
        />
      }
      style={{ height: '100%' }}
    >
      <SatisfactionPanel data={data} locale={locale} drill={open} wall={wall} />
    </Card>
  );
  const rankingCard = (
    <Card
      size="small"
      title={t('evaluation.dashboard.ranking', {
        unit: pickLabel(UNIT_KIND_LABELS[data.ranking.unit], locale),
      })}
      extra={wall ? null : <Link to="/ranking">{t('evaluation.ranking.title')}</Link>}
    >
      <RankingPanel data={data} wall={wall} />
    </Card>
  );

  const body = (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="dashboard">
      {header}
      <Typography.Text type="secondary" style={{ fontSize: wall ? 16 : 12 }}>
        {t('evaluation.dashboard.refreshed', { time: formatDateTime(data.generatedAt) })}
      </Typography.Text>
      <KeyFigures data={data} locale={locale} drill={open} wall={wall} />
      <PinnedFigures data={data} locale={locale} drill={open} wall={wall} />
      {wall ? (
        // 大屏: three columns that fit one 1920×1080 screen, the map in the middle.
        <Row gutter={[12, 12]}>
          <Col span={7}>
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              {trendCard}
              {sourcesCard}
            </Space>
          </Col>
          <Col span={10}>{mapCard}</Col>
          <Col span={7}>
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              {hotSpotsCard}
              {rankingCard}
            </Space>
          </Col>
        </Row>
      ) : (
        <Row gutter={[12, 12]}>
          <Col xs={24} lg={16}>
            {trendCard}
          </Col>
          <Col xs={24} lg={8}>
            {sourcesCard}
          </Col>
          <Col xs={24} lg={16}>
            {mapCard}
          </Col>
          <Col xs={24} lg={8}>
            {hotSpotsCard}
          </Col>
          <Col xs={24} lg={8}>
            {satisfactionCard}
          </Col>
          <Col xs={24} lg={16}>
            {rankingCard}
          </Col>
          <Col xs={24} lg={8}>
            <VolunteerCard />
          </Col>
          <Col xs={24} lg={8}>
            <PartyCard />
          </Col>
          <Col xs={24} lg={8}>
            <MediationCard />
          </Col>
        </Row>
      )}
      <Suspense fallback={null}>
        {drilled ? (
          <CasesDrawer
            query={drill?.query ?? null}
            unitName={drill?.name ?? ''}
            onClose={() => setDrill(null)}
          />
        ) : null}
        {choosing ? <KeyFiguresModal initial={data.keyFigures} onClose={() => setChoosing(false)} /> : null}
      </Suspense>
    </Space>
  );

  if (!wall) return body;
  return (
    <ConfigProvider
      theme={{
        algorithm: theme.darkAlgorithm,
        token: { fontSize: 16, colorBgContainer: '#0f2246', colorBgLayout: WALL_BACKGROUND },
      }}
    >
      <div
        className="gg-wall"
        data-testid="wall"
        style={{ minHeight: '100vh', background: WALL_BACKGROUND, padding: '16px 24px' }}
      >
        {body}
      </div>
    </ConfigProvider>
  );
}

function MapTitle({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  return (
    <Space wrap size={4}>
      <span>{t('evaluation.dashboard.map')}</span>
      <Typography.Text type="secondary">
        {t('evaluation.dashboard.mapCount', { open: data.map.open })}
      </Typography.Text>
      {data.map.withoutLocation ? (
        <Typography.Text type="secondary">
          · {t('evaluation.dashboard.mapNoLocation', { count: data.map.withoutLocation })}
        </Typography.Text>
      ) : null}
    </Space>
  );
}

function MapLegend({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  return (
    <Flex wrap gap={12} style={{ marginTop: 8 }}>
      {DEADLINE_TONES.map((tone) => (
        <Space key={tone} size={4}>
          <span
            style={{
              display: 'inline-block',
              width: 12,
              height: 12,
              borderRadius: 6,
              background: TONE_COLORS[tone],
            }}
          />
          <span>{t(`evaluation.dashboard.mapLegend.${tone}`)}</span>
        </Space>
      ))}
      {data.map.clustered ? (
        <Typography.Text type="secondary">{t('evaluation.dashboard.mapClustered')}</Typography.Text>
      ) : null}
    </Flex>
  );
}
