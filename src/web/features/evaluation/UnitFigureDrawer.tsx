import { Alert, Drawer, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { UnitFigureQuery } from '../../../shared/indicators.ts';
import { errorText } from '../../api/client.ts';
import { formatDateTime } from '../../components/time.ts';
import { useInspectionVisits, usePatrolGrids } from './api.ts';

export interface UnitFigure {
  kind: 'patrol' | 'inspection';
  query: UnitFigureQuery;
  unitName: string;
}

const percent = (value: number) => `${(value * 100).toFixed(2)}%`;

/**
 * What a village's or grid's 巡查覆盖率 (its grids' patrolled days) or 检查得分率 (the visits it is the mean of)
 * is taken over, opened from the ranking.
 */
export function UnitFigureDrawer({ figure, onClose }: { figure: UnitFigure | null; onClose: () => void }) {
  const { t } = useTranslation();
  const patrols = usePatrolGrids(figure?.kind === 'patrol' ? figure.query : null);
  const visits = useInspectionVisits(figure?.kind === 'inspection' ? figure.query : null);
  const failed = patrols.error ?? visits.error;
  return (
    <Drawer
      open={figure !== null}
      onClose={onClose}
      size="large"
      destroyOnHidden
      title={
        figure
          ? `${figure.unitName} · ${t(
              figure.kind === 'patrol'
                ? 'evaluation.ranking.columns.patrolCoverage'
                : 'evaluation.ranking.columns.inspectionScoreRate',
            )}`
          : null
      }
    >
      {failed ? <Alert type="error" showIcon title={errorText(failed)} /> : null}
      {figure ? (
        <Typography.Paragraph type="secondary">
          {figure.query.from} — {figure.query.to}
        </Typography.Paragraph>
      ) : null}
      {figure?.kind === 'patrol' ? (
        <Table
          data-testid="patrol-grids"
          rowKey="gridCode"
          size="small"
          loading={patrols.isFetching}
          dataSource={patrols.data?.rows ?? []}
          pagination={false}
          columns={[
            { key: 'grid', title: t('evaluation.figureDrawer.grid'), dataIndex: 'gridName' },
            {
              key: 'days',
              title: t('evaluation.figureDrawer.daysPatrolled'),
              align: 'right',
              render: (_: unknown, row) => `${row.daysPatrolled} / ${row.daysInPeriod}`,
            },
          ]}
        />
      ) : null}
      {figure?.kind === 'inspection' ? (
        <Table
          data-testid="inspection-visits"
          rowKey="visitId"
          size="small"
          loading={visits.isFetching}
          dataSource={visits.data?.rows ?? []}
          pagination={false}
          columns={[
            {
              key: 'campaign',
              title: t('evaluation.figureDrawer.campaign'),
              render: (_: unknown, row) => (
                <Link to={`/campaigns/${row.campaignId}`}>{row.campaignName}</Link>
              ),
            },
            { key: 'target', title: t('evaluation.figureDrawer.target'), dataIndex: 'targetName' },
            {
              key: 'at',
              title: t('evaluation.figureDrawer.visitedAt'),
              render: (_: unknown, row) => formatDateTime(row.visitedAt),
            },
            {
              key: 'rate',
              title: t('evaluation.figureDrawer.rate'),
              align: 'right',
              render: (_: unknown, row) =>
                row.vetoed ? <Tag color="red">{t('evaluation.figureDrawer.vetoed')}</Tag> : percent(row.rate),
            },
          ]}
        />
      ) : null}
    </Drawer>
  );
}
