import { QuestionCircleOutlined } from '@ant-design/icons';
import { Card, Col, Empty, List, Row, Statistic, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Dashboard } from '../../../shared/dashboard.ts';
import type { Locale } from '../../../shared/errors.ts';
import {
  type CountKey,
  EVALUATION_SOURCE_LABELS,
  type EvaluationSource,
  type IndicatorKey,
} from '../../../shared/indicators.ts';
import { BarChart } from '../../components/charts/BarChart.tsx';
import { DonutChart } from '../../components/charts/DonutChart.tsx';
import { LineChart } from '../../components/charts/LineChart.tsx';
import { pickLabel } from '../../i18n/index.ts';
import { drillCountOf, formatFigure, formatScore100, indicatorFormula, indicatorLabel } from './figures.ts';
import { formatCount } from './format.ts';

/** Opens the cases behind a count, narrowed to one source or one category when a chart's part was clicked. */
export type Drill = (
  period: 'today' | 'month',
  count: CountKey,
  label: string,
  narrow?: { source?: EvaluationSource; categoryId?: number },
) => void;

/** A panel's title with its formula (or explanation) in a tooltip. */
export function PanelTitle({ title, formula }: { title: string; formula?: string }) {
  if (!formula) return <>{title}</>;
  return (
    <Tooltip title={formula}>
      <span>
        {title} <QuestionCircleOutlined style={{ fontSize: '0.8em', opacity: 0.6 }} />
      </span>
    </Tooltip>
  );
}

const clickable = (node: ReactNode, onClick: () => void, testId: string) => (
  <Typography.Link data-testid={testId} onClick={onClick} style={{ color: 'inherit' }}>
    {node}
  </Typography.Link>
);

type Figure = {
  key: string;
  label: string;
  formula: string;
  count: CountKey;
  show: (p: Dashboard['today']) => string;
};

/** 上报, 立案, 办结, 按期处置率, 超期待处置, 满意率: today and this month, each opening onto its cases. */
export function KeyFigures({
  data,
  locale,
  drill,
  wall,
}: {
  data: Dashboard;
  locale: Locale;
  drill: Drill;
  wall: boolean;
}) {
  const { t } = useTranslation();
  const count = (key: CountKey) => (p: Dashboard['today']) => formatCount(p.counts[key], locale);
  const rate = (key: IndicatorKey) => (p: Dashboard['today']) => formatFigure(key, p.figures[key], locale);
  const figures: Figure[] = [
    {
      key: 'reported',
      label: t('evaluation.dashboard.figures.reported'),
      formula: indicatorFormula('reported', locale),
      count: 'reported',
      show: count('reported'),
    },
    {
      key: 'registered',
      label: t('evaluation.dashboard.figures.registered'),
      formula: indicatorFormula('registered', locale),
      count: 'registered',
      show: count('registered'),
    },
    {
      key: 'handled',
      label: t('evaluation.dashboard.figures.handled'),
      formula: t('evaluation.dashboard.formulas.handled'),
      count: 'handled',
      show: count('handled'),
    },
    {
      key: 'onTimeHandlingRate',
      label: t('evaluation.dashboard.figures.onTimeHandlingRate'),
      formula: indicatorFormula('onTimeHandlingRate', locale),
      count: 'handledOnTime',
      show: rate('onTimeHandlingRate'),
    },
    {
      key: 'overduePending',
      label: t('evaluation.dashboard.figures.overduePending'),
      formula: t('evaluation.dashboard.formulas.overduePending'),
      count: 'overduePending',
      show: count('overduePending'),
    },
    {
      key: 'satisfactionRate',
      label: t('evaluation.dashboard.figures.satisfactionRate'),
      formula: indicatorFormula('satisfactionRate', locale),
      count: 'satisfied',
      show: rate('satisfactionRate'),
    },
  ];
  return (
    <Row gutter={[12, 12]}>
      {figures.map((f) => (
        <Col key={f.key} xs={12} md={8} xl={4}>
          <Card size="small" data-testid={`figure-${f.key}`} style={{ height: '100%' }}>
            <Statistic
              title={
                <PanelTitle
                  title={t('evaluation.dashboard.monthFigure', { label: f.label })}
                  formula={f.formula}
                />
              }
              valueRender={() =>
                clickable(
                  <span style={{ fontSize: wall ? 36 : 26, fontWeight: 600 }}>{f.show(data.month)}</span>,
                  () => drill('month', f.count, f.label),
                  `figure-${f.key}-month`,
                )
              }
            />
            <Typography.Text type="secondary" style={{ fontSize: wall ? 18 : 13 }}>
              {t('evaluation.dashboard.today')}{' '}
              {clickable(f.show(data.today), () => drill('today', f.count, f.label), `figure-${f.key}-today`)}
            </Typography.Text>
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/** The figures an administrator pinned, this month, each with its formula and its cases. */
export function PinnedFigures({
  data,
  locale,
  drill,
  wall,
}: {
  data: Dashboard;
  locale: Locale;
  drill: Drill;
  wall: boolean;
}) {
  if (data.keyFigures.length === 0) return null;
  return (
    <Row gutter={[12, 12]}>
      {data.keyFigures.map((key) => (
        <Col key={key} xs={12} md={6} xl={Math.max(3, Math.floor(24 / data.keyFigures.length))}>
          <Card size="small" data-testid={`key-figure-${key}`}>
            <Statistic
              title={
                <PanelTitle title={indicatorLabel(key, locale)} formula={indicatorFormula(key, locale)} />
              }
              valueRender={() =>
                clickable(
                  <span style={{ fontSize: wall ? 30 : 20, fontWeight: 600 }}>
                    {formatFigure(key, data.month.figures[key], locale)}
                  </span>,
                  () => drill('month', drillCountOf(key), indicatorLabel(key, locale)),
                  `key-figure-${key}-value`,
                )
              }
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

export function TrendChart({ data, dark, height }: { data: Dashboard; dark: boolean; height: number }) {
  const { t } = useTranslation();
  return (
    <LineChart
      testId="chart-trend"
      label={t('evaluation.dashboard.trend')}
      height={height}
      dark={dark}
      categories={data.trend.map((d) => d.date.slice(5))}
      series={[
        {
          name: t('evaluation.dashboard.trendReported'),
          color: '#1677ff',
          values: data.trend.map((d) => d.reported),
        },
        {
          name: t('evaluation.dashboard.trendHandled'),
          color: '#52c41a',
          values: data.trend.map((d) => d.handled),
        },
      ]}
    />
  );
}

export function SourcesChart({
  data,
  dark,
  height,
  locale,
  drill,
}: {
  data: Dashboard;
  dark: boolean;
  height: number;
  locale: Locale;
  drill: Drill;
}) {
  const { t } = useTranslation();
  if (data.sources.length === 0) return <Empty description={t('evaluation.dashboard.noData')} />;
  const open = ({ dataIndex, name }: { dataIndex: number; name: string }) => {
    const source = data.sources[dataIndex]?.source;
    if (source) drill('month', 'reported', name, { source });
  };
  return (
    <DonutChart
      testId="chart-sources"
      label={t('evaluation.dashboard.sources')}
      height={height}
      dark={dark}
      onClick={open}
      slices={data.sources.map((s) => ({
        name: pickLabel(EVALUATION_SOURCE_LABELS[s.source], locale),
        value: s.reported,
      }))}
    />
  );
}

export function HotSpotsChart({
  data,
  dark,
  height,
  drill,
}: {
  data: Dashboard;
  dark: boolean;
  height: number;
  drill: Drill;
}) {
  const { t } = useTranslation();
  if (data.hotSpots.length === 0) return <Empty description={t('evaluation.dashboard.noData')} />;
  const open = ({ dataIndex, name }: { dataIndex: number; name: string }) => {
    const spot = data.hotSpots[dataIndex];
    if (spot) drill('month', 'reported', name, { categoryId: spot.categoryId });
  };
  return (
    <BarChart
      testId="chart-hot-spots"
      label={t('evaluation.dashboard.hotSpots')}
      height={height}
      dark={dark}
      color="#fa8c16"
      onClick={open}
      bars={data.hotSpots.map((r) => ({ name: r.name, value: r.count }))}
    />
  );
}

export function SatisfactionPanel({
  data,
  locale,
  drill,
  wall,
}: {
  data: Dashboard;
  locale: Locale;
  drill: Drill;
  wall: boolean;
}) {
  const { t } = useTranslation();
  const { rated, satisfied, scoreSum } = data.month.counts;
  if (rated === 0) return <Empty description={t('evaluation.dashboard.noRatings')} />;
  return (
    <div data-testid="satisfaction">
      {clickable(
        <span style={{ fontSize: wall ? 56 : 36, fontWeight: 600, color: '#52c41a' }}>
          {formatFigure('satisfactionRate', data.month.figures.satisfactionRate, locale)}
        </span>,
        () => drill('month', 'rated', t('evaluation.dashboard.satisfaction')),
        'satisfaction-rate',
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: wall ? 18 : 13 }}>
        {t('evaluation.dashboard.satisfactionDetail', {
          rated,
          satisfied,
          average: (scoreSum / rated).toFixed(2),
        })}
      </Typography.Paragraph>
    </div>
  );
}

export function RankingPanel({ data, wall }: { data: Dashboard; wall: boolean }) {
  const { t } = useTranslation();
  const { ranking } = data;
  const red = new Set(ranking.redList);
  const black = new Set(ranking.blackList);
  return (
    <>
      <Typography.Text type="secondary" style={{ fontSize: wall ? 16 : 12 }}>
        {t('evaluation.dashboard.rankingScheme', { version: ranking.schemeVersion, count: ranking.ranked })}
      </Typography.Text>
      <List
        size="small"
        data-testid="dashboard-ranking"
        locale={{ emptyText: t('evaluation.dashboard.rankingEmpty') }}
        // The wall shows the three best and three worst, so the screen holds without scrolling.
        dataSource={
          wall && ranking.rows.length > 6
            ? [...ranking.rows.slice(0, 3), ...ranking.rows.slice(-3)]
            : ranking.rows
        }
        renderItem={(row) => (
          <List.Item
            extra={
              <Typography.Text strong style={{ fontSize: wall ? 18 : 14 }}>
                {formatScore100(row.composite)}
              </Typography.Text>
            }
          >
            <span style={{ fontSize: wall ? 18 : 14 }}>
              <Typography.Text
                strong
                style={{
                  color: red.has(row.key) ? '#cf1322' : black.has(row.key) ? '#8c8c8c' : undefined,
                  marginRight: 8,
                }}
              >
                {t('evaluation.ranking.rankN', { rank: row.rank })}
              </Typography.Text>
              {row.name}
            </span>
          </List.Item>
        )}
      />
    </>
  );
}
