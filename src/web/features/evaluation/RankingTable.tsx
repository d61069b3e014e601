import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../shared/errors.ts';
import {
  COUNT_KEYS,
  type CountKey,
  INDICATOR_KEYS,
  INDICATORS,
  type IndicatorKey,
  type Ranking,
  type RankingRow,
} from '../../../shared/indicators.ts';
import { countLabel, formatFigure, formatScore100, indicatorFormula, indicatorLabel } from './figures.ts';
import { formatCount } from './format.ts';

/** The indicators a ranking table shows: the composite's components first, then the others. */
export function indicatorColumnsOf(ranking: Ranking | undefined): IndicatorKey[] {
  const components = ranking?.scheme.components.map((c) => c.indicator) ?? [];
  // 上报数 and 立案数 are counts: they appear with the other counts, as links.
  const rest = INDICATOR_KEYS.filter((k) => !components.includes(k) && INDICATORS[k].unit !== 'count');
  return [...components, ...rest];
}

/** A column title with its formula in a tooltip (the header is what a reader hovers). */
export function Titled({ title, formula }: { title: string; formula: string }) {
  return (
    <Tooltip title={formula}>
      <span>
        {title} <QuestionCircleOutlined style={{ fontSize: 11, color: '#8c8c8c' }} />
      </span>
    </Tooltip>
  );
}

/** ↑ or ↓ the places gained or lost against the previous period, with the previous rank. */
function Change({ row }: { row: RankingRow }) {
  const { t } = useTranslation();
  if (row.rank === null) return <>—</>;
  if (row.previousRank === null)
    return <Typography.Text type="secondary">{t('evaluation.ranking.newlyRanked')}</Typography.Text>;
  const gained = row.previousRank - row.rank;
  const icon =
    gained > 0 ? (
      <ArrowUpOutlined style={{ color: '#389e0d' }} />
    ) : gained < 0 ? (
      <ArrowDownOutlined style={{ color: '#cf1322' }} />
    ) : (
      <MinusOutlined style={{ color: '#8c8c8c' }} />
    );
  return (
    <span>
      {icon} {gained !== 0 ? Math.abs(gained) : null}{' '}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('evaluation.ranking.previousRank', { rank: row.previousRank })}
      </Typography.Text>
    </span>
  );
}

export function RankingTable({
  ranking,
  loading,
  locale,
  onDrill,
  onFigure,
}: {
  ranking: Ranking | undefined;
  loading: boolean;
  locale: Locale;
  onDrill: (row: RankingRow | null, count: CountKey) => void;
  /** Opens what a village's or grid's patrol coverage or inspection score rate is taken over. */
  onFigure: (row: RankingRow, kind: 'patrol' | 'inspection') => void;
}) {
  const { t } = useTranslation();
  const link = (row: RankingRow | null, count: CountKey, value: number): ReactNode =>
    value === 0 ? (
      '0'
    ) : (
      <Typography.Link data-testid={`count-${count}`} onClick={() => onDrill(row, count)}>
        {formatCount(value, locale)}
      </Typography.Link>
    );
  // Villages and grids are patrolled and inspected; departments and workers are ranked on their cases alone.
  const patrolled = ranking !== undefined && (ranking.unit === 'village' || ranking.unit === 'grid');
  const columns: ColumnsType<RankingRow> = [
    {
      key: 'rank',
      title: t('evaluation.ranking.columns.rank'),
      fixed: 'left',
      width: 84,
      render: (_: unknown, row) =>
        row.rank === null ? (
          <Tooltip title={t('evaluation.ranking.noneDue')}>
            <span data-testid="rank">—</span>
          </Tooltip>
        ) : (
          <Typography.Text strong data-testid="rank">
            {row.rank}
          </Typography.Text>
        ),
    },
    {
      key: 'name',
      title: t('evaluation.ranking.columns.name'),
      fixed: 'left',
      width: 150,
      render: (_: unknown, row) => (
        <>
          <div data-testid="unit-name">{row.name}</div>
          {row.rank === null ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('evaluation.ranking.noneDue')}
            </Typography.Text>
          ) : null}
        </>
      ),
    },
    {
      key: 'composite',
      title: (
        <Titled
          title={t('evaluation.ranking.composite')}
          formula={t('evaluation.ranking.compositeFormula')}
        />
      ),
      align: 'right',
      width: 100,
      render: (_: unknown, row) => <Typography.Text strong>{formatScore100(row.composite)}</Typography.Text>,
    },
    {
      key: 'change',
      title: t('evaluation.ranking.columns.change'),
      width: 130,
      render: (_: unknown, row) => <Change row={row} />,
    },
    ...indicatorColumnsOf(ranking).map((key) => ({
      key,
      title: <Titled title={indicatorLabel(key, locale)} formula={indicatorFormula(key, locale)} />,
      align: 'right' as const,
      width: 110,
      render: (_: unknown, row: RankingRow) => formatFigure(key, row.figures[key], locale),
    })),
    // 巡查覆盖率 of villages and grids, from the patrols (departments do not patrol).
    ...(patrolled
      ? [
          {
            key: 'patrolCoverage',
            title: (
              <Titled
                title={t('evaluation.ranking.columns.patrolCoverage')}
                formula={t('evaluation.ranking.patrolFormula')}
              />
            ),
            align: 'right' as const,
            width: 110,
            render: (_: unknown, row: RankingRow) =>
              row.patrolCoverage === null ? (
                '—'
              ) : (
                <Typography.Link data-testid="patrol-coverage" onClick={() => onFigure(row, 'patrol')}>
                  {formatFigure('handlingRate', row.patrolCoverage, locale)}
                </Typography.Link>
              ),
          },
          {
            key: 'inspectionScoreRate',
            title: (
              <Titled
                title={t('evaluation.ranking.columns.inspectionScoreRate')}
                formula={t('evaluation.ranking.inspectionFormula')}
              />
            ),
            align: 'right' as const,
            width: 110,
            render: (_: unknown, row: RankingRow) =>
              row.inspectionVisits === 0 ? (
                '—'
              ) : (
                <Tooltip title={t('evaluation.ranking.inspectionVisits', { count: row.inspectionVisits })}>
                  <Typography.Link
                    data-testid="inspection-score-rate"
                    onClick={() => onFigure(row, 'inspection')}
                  >
                    {formatFigure('handlingRate', row.inspectionScoreRate, locale)}
                  </Typography.Link>
                </Tooltip>
              ),
          },
        ]
      : []),
    ...COUNT_KEYS.map((count) => ({
      key: `count-${count}`,
      title: countLabel(count, locale),
      align: 'right' as const,
      width: 96,
      render: (_: unknown, row: RankingRow) => link(row, count, row.counts[count]),
    })),
  ];
  const total = ranking?.total;
  const extra = patrolled ? 2 : 0;
  return (
    <Table<RankingRow>
      data-testid="ranking-table"
      rowKey="key"
      size="small"
      bordered
      loading={loading}
      dataSource={ranking?.rows ?? []}
      columns={columns}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('evaluation.ranking.empty') }}
      summary={() =>
        total ? (
          <Table.Summary fixed="bottom">
            <Table.Summary.Row className="gg-total-row">
              <Table.Summary.Cell index={0} colSpan={2}>
                <Typography.Text strong>{t('evaluation.ranking.total')}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {formatScore100(total.composite)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} />
              {indicatorColumnsOf(ranking).map((key, i) => (
                <Table.Summary.Cell key={key} index={4 + i} align="right">
                  {formatFigure(key, total.figures[key], locale)}
                </Table.Summary.Cell>
              ))}
              {patrolled ? (
                <>
                  <Table.Summary.Cell index={4 + indicatorColumnsOf(ranking).length} />
                  <Table.Summary.Cell index={5 + indicatorColumnsOf(ranking).length} />
                </>
              ) : null}
              {COUNT_KEYS.map((count, i) => (
                <Table.Summary.Cell
                  key={count}
                  index={4 + indicatorColumnsOf(ranking).length + extra + i}
                  align="right"
                >
                  {link(null, count, total.counts[count])}
                </Table.Summary.Cell>
              ))}
            </Table.Summary.Row>
          </Table.Summary>
        ) : null
      }
    />
  );
}
