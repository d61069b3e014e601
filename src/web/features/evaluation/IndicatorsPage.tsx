import { Alert, Card, DatePicker, Flex, Segmented, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorGrouping, SatisfactionFigures, SatisfactionRow } from '../../../shared/evaluation.ts';
import { errorText } from '../../api/client.ts';
import { useLocale } from '../../i18n/index.ts';
import { useSatisfaction } from './api.ts';
import { formatCount, formatRate, formatScore } from './format.ts';

type Period = { from?: string; to?: string };

/**
 * `/indicators` 考核指标: 满意度评价 of the reader's scope over a period (this month so far unless chosen), per lead
 * department or per region one level down, with the total.
 */
export default function IndicatorsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [period, setPeriod] = useState<Period>({});
  const [groupBy, setGroupBy] = useState<IndicatorGrouping>('department');
  const satisfaction = useSatisfaction({ ...period, groupBy });
  const data = satisfaction.data;

  const count = (pick: (f: SatisfactionFigures) => number) => ({
    align: 'right' as const,
    sorter: (a: SatisfactionRow, b: SatisfactionRow) => pick(a) - pick(b),
    render: (_: unknown, row: SatisfactionFigures) => formatCount(pick(row), locale),
  });
  // Rows without a rate sort below every rate, whichever way the column is sorted.
  const byNullable = (pick: (f: SatisfactionFigures) => number | null) => ({
    align: 'right' as const,
    sorter: (a: SatisfactionRow, b: SatisfactionRow) => (pick(a) ?? -1) - (pick(b) ?? -1),
  });
  const columns: ColumnsType<SatisfactionRow> = [
    {
      key: 'name',
      title: t(groupBy === 'department' ? 'indicators.fields.department' : 'indicators.fields.region'),
      render: (_: unknown, row) => (
        <>
          <div>{row.name}</div>
          {row.code ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {row.code}
            </Typography.Text>
          ) : null}
        </>
      ),
    },
    { key: 'closed', title: t('indicators.fields.closed'), ...count((f) => f.closed) },
    { key: 'rated', title: t('indicators.fields.rated'), ...count((f) => f.rated) },
    { key: 'satisfied', title: t('indicators.fields.satisfied'), ...count((f) => f.satisfied) },
    {
      key: 'rate',
      title: t('indicators.fields.satisfactionRate'),
      ...byNullable((f) => f.satisfactionRate),
      render: (_: unknown, row) => (
        <Typography.Text strong>{formatRate(row.satisfactionRate)}</Typography.Text>
      ),
    },
    {
      key: 'average',
      title: t('indicators.fields.averageScore'),
      ...byNullable((f) => f.averageScore),
      render: (_: unknown, row) => formatScore(row.averageScore),
    },
    { key: 'unrated', title: t('indicators.fields.unrated'), ...count((f) => f.unrated) },
  ];
  const total = data?.total;

  return (
    <Card title={t('indicators.title')}>
      <Flex wrap gap={12} align="center" style={{ marginBottom: 12 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('indicators.satisfaction.title')}
        </Typography.Title>
        <DatePicker.RangePicker
          aria-label={t('indicators.period')}
          allowEmpty={[true, true]}
          // The period answered stands in for an empty picker: this month so far.
          placeholder={[data?.from ?? t('indicators.from'), data?.to ?? t('indicators.to')]}
          onChange={(_, [from, to]) => setPeriod({ from: from || undefined, to: to || undefined })}
        />
        <Segmented<IndicatorGrouping>
          aria-label={t('indicators.groupBy')}
          value={groupBy}
          onChange={setGroupBy}
          options={[
            { value: 'department', label: t('indicators.byDepartment') },
            { value: 'region', label: t('indicators.byRegion') },
          ]}
        />
        {data ? (
          <Typography.Text type="secondary">
            {t('indicators.scopePeriod', { scope: data.scope.name, from: data.from, to: data.to })}
          </Typography.Text>
        ) : null}
      </Flex>
      <Typography.Paragraph type="secondary">{t('indicators.satisfaction.formula')}</Typography.Paragraph>
      {satisfaction.isError ? (
        <Alert type="error" showIcon title={errorText(satisfaction.error)} style={{ marginBottom: 12 }} />
      ) : null}
      <Table<SatisfactionRow>
        data-testid="satisfaction-table"
        rowKey="key"
        size="small"
        bordered
        loading={satisfaction.isFetching}
        dataSource={data?.rows ?? []}
        columns={columns}
        pagination={false}
        locale={{ emptyText: t('indicators.satisfaction.empty') }}
        summary={() =>
          total ? (
            <Table.Summary.Row className="gg-total-row">
              <Table.Summary.Cell index={0}>
                <Typography.Text strong>{t('indicators.total')}</Typography.Text>
              </Table.Summary.Cell>
              {[total.closed, total.rated, total.satisfied].map((value, i) => (
                <Table.Summary.Cell key={columns[i + 1]?.key} index={i + 1} align="right">
                  {formatCount(value, locale)}
                </Table.Summary.Cell>
              ))}
              <Table.Summary.Cell index={4} align="right">
                <Typography.Text strong>{formatRate(total.satisfactionRate)}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                {formatScore(total.averageScore)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={6} align="right">
                {formatCount(total.unrated, locale)}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </Card>
  );
}
