import { Alert, Button, Card, Col, Row, Segmented, Statistic, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PARTY_FIGURE_GROUPS, type PartyFigureGroup, type PartyFigureRow } from '../../../shared/party.ts';
import { errorText } from '../../api/client.ts';
import { type PartyDrill, usePartyFigures } from './api.ts';
import { ReportsDrawer } from './ReportsDrawer.tsx';

const KEYS = ['members', 'posts', 'postsFilled', 'issues', 'closed', 'open', 'rejected'] as const;

/** The drill-down filter of a figure row: its branch, party grid or post. */
function filterOf(by: PartyFigureGroup, row: PartyFigureRow): Omit<PartyDrill, 'title'> {
  if (row.key === 'total') return {};
  if (by === 'branch') return { branchId: Number(row.key) };
  if (by === 'post') return { postId: Number(row.key) };
  return { gridCode: row.key };
}

/** 数读: members, posts filled and issues by outcome, in total and per branch, party grid or post. */
export function FiguresPanel({ onMembers }: { onMembers: (filter: Omit<PartyDrill, 'title'>) => void }) {
  const { t } = useTranslation();
  const [by, setBy] = useState<PartyFigureGroup>('branch');
  const [drill, setDrill] = useState<PartyDrill | null>(null);
  const figures = usePartyFigures(by);
  const total = figures.data?.total;

  const number = (row: PartyFigureRow, key: (typeof KEYS)[number]) => {
    const value = row[key];
    const filter = filterOf(by, row);
    const title = row.key === 'total' ? t('party.figures.issues') : row.name;
    if (key === 'members') {
      return (
        <Button type="link" size="small" disabled={!value} onClick={() => onMembers(filter)}>
          {value.toLocaleString()}
        </Button>
      );
    }
    if (key === 'issues' || key === 'closed' || key === 'open' || key === 'rejected') {
      const outcome = key === 'issues' ? {} : { outcome: key };
      return (
        <Button
          type="link"
          size="small"
          disabled={!value}
          onClick={() => setDrill({ ...filter, ...outcome, title })}
          data-testid={row.key === 'total' ? `drill-${key}` : undefined}
        >
          {value.toLocaleString()}
        </Button>
      );
    }
    return value.toLocaleString();
  };

  return (
    <>
      {figures.isError ? <Alert type="error" showIcon title={errorText(figures.error)} /> : null}
      <Row gutter={[12, 12]}>
        {KEYS.map((key) => (
          <Col key={key} xs={12} sm={8} md={6} lg={3}>
            <Card size="small" data-testid={`party-total-${key}`}>
              <Statistic
                title={t(`party.figures.${key}`)}
                value={total?.[key] ?? 0}
                loading={figures.isPending}
                valueRender={(node) =>
                  total && key !== 'posts' && key !== 'postsFilled' ? number(total, key) : node
                }
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Card
        size="small"
        style={{ marginTop: 12 }}
        title={t('party.figures.drillHint')}
        extra={
          <Segmented
            value={by}
            onChange={(value) => setBy(value as PartyFigureGroup)}
            options={PARTY_FIGURE_GROUPS.map((value) => ({ value, label: t(`party.figures.by.${value}`) }))}
          />
        }
      >
        <Table<PartyFigureRow>
          size="small"
          rowKey="key"
          loading={figures.isFetching}
          dataSource={figures.data?.rows ?? []}
          scroll={{ x: 860 }}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          columns={[
            {
              title: t('party.figures.name'),
              dataIndex: 'name',
              fixed: 'left',
              width: 240,
              render: (name: string, row) => (
                <span>
                  {name} <span style={{ color: '#999', fontSize: 12 }}>{row.code}</span>
                </span>
              ),
            },
            { title: t('party.figures.region'), dataIndex: 'regionName', ellipsis: true },
            ...KEYS.map((key) => ({
              title: t(`party.figures.${key}`),
              key,
              align: 'right' as const,
              sorter: (a: PartyFigureRow, b: PartyFigureRow) => a[key] - b[key],
              render: (_: unknown, row: PartyFigureRow) => number(row, key),
            })),
          ]}
        />
      </Card>
      <ReportsDrawer drill={drill} onClose={() => setDrill(null)} />
    </>
  );
}
