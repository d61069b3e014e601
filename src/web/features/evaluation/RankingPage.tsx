import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Flex, Row, Segmented, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  COUNT_KEYS,
  type CountKey,
  EVALUATION_SOURCE_LABELS,
  EVALUATION_SOURCES,
  type EvaluationSource,
  INDICATOR_KEYS,
  type RankingRow,
  UNIT_KIND_LABELS,
  UNIT_KINDS,
  type UnitKind,
} from '../../../shared/indicators.ts';
import { errorText } from '../../api/client.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { useRanking } from './api.ts';
import { CasesDrawer, type CasesQuery } from './CasesDrawer.tsx';
import { countLabel, formatFigure, indicatorLabel } from './figures.ts';
import { indicatorColumnsOf, RankingTable } from './RankingTable.tsx';
import { RankLists } from './RankLists.tsx';
import { SchemeCard } from './SchemeCard.tsx';
import { type UnitFigure, UnitFigureDrawer } from './UnitFigureDrawer.tsx';
import { downloadXlsx } from './xlsx.ts';

type PeriodKind = 'month' | 'week' | 'custom';
type Source = EvaluationSource;
const DATE = 'YYYY-MM-DD';

/** Monday of the week `day` falls in (the ISO week offices count in). */
const mondayOf = (day: Dayjs) => day.subtract((day.day() + 6) % 7, 'day');

/**
 * `/ranking` 排名: villages, grids or departments over a period (last month unless chosen), by the composite or
 * any indicator, with the change against the previous period; every count opens onto its cases.
 */
export default function RankingPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [kind, setKind] = useState<PeriodKind>('month');
  const [period, setPeriod] = useState<{ from: string; to: string } | null>(null);
  const [unit, setUnit] = useState<UnitKind>('village');
  const [source, setSource] = useState<Source | undefined>();
  const [sortBy, setSortBy] = useState<string>('composite');
  const [drill, setDrill] = useState<{ query: CasesQuery; name: string } | null>(null);
  const [figure, setFigure] = useState<UnitFigure | null>(null);
  const ranking = useRanking({ ...(period ?? {}), unit, sortBy, ...(source ? { source } : {}) });
  const data = ranking.data;

  const choose = (from: Dayjs, to: Dayjs) => setPeriod({ from: from.format(DATE), to: to.format(DATE) });
  const shownFrom = dayjs(period?.from ?? data?.from);
  const openDrill = (row: RankingRow | null, count: CountKey) => {
    if (!data) return;
    setDrill({
      name: row?.name ?? data.scope.name,
      query: {
        from: data.from,
        to: data.to,
        unit,
        count,
        ...(row ? { key: row.key } : {}),
        ...(source ? { source } : {}),
      },
    });
  };

  const exportTable = () => {
    if (!data) return;
    const indicators = indicatorColumnsOf(data);
    const header = [
      t('evaluation.ranking.columns.rank'),
      t('evaluation.ranking.columns.name'),
      t('evaluation.ranking.composite'),
      t('evaluation.ranking.columns.change'),
      ...indicators.map((k) => indicatorLabel(k, locale)),
      ...COUNT_KEYS.map((c) => countLabel(c, locale)),
    ];
    const rows = data.rows.map((row) => [
      row.rank ?? t('evaluation.ranking.noneDue'),
      row.name,
      row.composite === null ? null : Math.round(row.composite * 100) / 100,
      row.previousRank === null ? null : t('evaluation.ranking.previousRank', { rank: row.previousRank }),
      ...indicators.map((k) => formatFigure(k, row.figures[k], locale)),
      ...COUNT_KEYS.map((c) => row.counts[c]),
    ]);
    const title = `${t('evaluation.ranking.title')} ${pickLabel(UNIT_KIND_LABELS[unit], locale)} ${data.from}~${data.to}`;
    downloadXlsx(`${title}.xlsx`, `${data.from}~${data.to}`, [header, ...rows]);
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={t('evaluation.ranking.title')}
        extra={<Link to="/indicators">{t('evaluation.ranking.satisfactionLink')}</Link>}
      >
        <Flex wrap gap={12} align="center" style={{ marginBottom: 8 }}>
          <Segmented<PeriodKind>
            aria-label={t('evaluation.ranking.period')}
            value={kind}
            onChange={(value) => {
              setKind(value);
              setPeriod(null);
              if (value === 'week') {
                const monday = mondayOf(dayjs()).subtract(7, 'day');
                choose(monday, monday.add(6, 'day'));
              }
            }}
            options={(['month', 'week', 'custom'] as const).map((value) => ({
              value,
              label: t(`evaluation.ranking.periodKinds.${value}`),
            }))}
          />
          {kind === 'month' ? (
            <DatePicker
              picker="month"
              allowClear={false}
              aria-label={t('evaluation.ranking.period')}
              value={shownFrom.isValid() ? shownFrom : null}
              onChange={(d) => d && choose(d.startOf('month'), d.endOf('month'))}
            />
          ) : kind === 'week' ? (
            <DatePicker
              picker="week"
              allowClear={false}
              value={period ? dayjs(period.from) : null}
              onChange={(d) => d && choose(mondayOf(d), mondayOf(d).add(6, 'day'))}
            />
          ) : (
            <DatePicker.RangePicker
              value={period ? [dayjs(period.from), dayjs(period.to)] : null}
              onChange={(range) => range?.[0] && range[1] && choose(range[0], range[1])}
            />
          )}
          <Segmented<UnitKind>
            aria-label={t('evaluation.ranking.unit')}
            value={unit}
            onChange={setUnit}
            options={UNIT_KINDS.map((value) => ({
              value,
              label: pickLabel(UNIT_KIND_LABELS[value], locale),
            }))}
          />
          <Select<Source | undefined>
            aria-label={t('evaluation.ranking.source')}
            style={{ width: 150 }}
            value={source}
            allowClear
            placeholder={t('evaluation.ranking.allSources')}
            onChange={setSource}
            options={EVALUATION_SOURCES.map((value) => ({
              value,
              label: pickLabel(EVALUATION_SOURCE_LABELS[value], locale),
            }))}
          />
          <Select<string>
            aria-label={t('evaluation.ranking.sortBy')}
            style={{ width: 170 }}
            value={sortBy}
            onChange={setSortBy}
            options={[
              {
                value: 'composite',
                label: `${t('evaluation.ranking.sortBy')}：${t('evaluation.ranking.composite')}`,
              },
              ...INDICATOR_KEYS.map((k) => ({
                value: k,
                label: `${t('evaluation.ranking.sortBy')}：${indicatorLabel(k, locale)}`,
              })),
            ]}
          />
          <Button icon={<DownloadOutlined />} onClick={exportTable} disabled={!data}>
            {t('evaluation.ranking.exportXlsx')}
          </Button>
        </Flex>
        {data ? (
          <Typography.Paragraph type="secondary" data-testid="ranking-period">
            {t('evaluation.ranking.scopePeriod', {
              scope: data.scope.name,
              from: data.from,
              to: data.to,
              prevFrom: data.previous.from,
              prevTo: data.previous.to,
            })}
          </Typography.Paragraph>
        ) : null}
        {ranking.isError ? (
          <Alert type="error" showIcon title={errorText(ranking.error)} style={{ marginBottom: 12 }} />
        ) : null}
        <RankingTable
          ranking={data}
          loading={ranking.isFetching}
          locale={locale}
          onDrill={openDrill}
          onFigure={(row, kind) =>
            data &&
            setFigure({ kind, unitName: row.name, query: { from: data.from, to: data.to, key: row.key } })
          }
        />
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={16}>
          <RankLists ranking={data} />
        </Col>
        <Col xs={24} lg={8}>
          <SchemeCard scheme={data?.scheme} />
        </Col>
      </Row>
      <CasesDrawer query={drill?.query ?? null} unitName={drill?.name ?? ''} onClose={() => setDrill(null)} />
      <UnitFigureDrawer figure={figure} onClose={() => setFigure(null)} />
    </Space>
  );
}
