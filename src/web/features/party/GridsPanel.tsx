import { Alert, Card, Col, Row, Segmented, Statistic, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LayerGridList } from '../../../shared/territory.ts';
import { errorText } from '../../api/client.ts';
import { useLayerGrids } from './api.ts';

type Grid = LayerGridList['grids'][number];

/** The party layer's grids: their number per level and the list of one level with its secretaries. */
export function GridsPanel() {
  const { t } = useTranslation();
  const [level, setLevel] = useState(1);
  const all = useLayerGrids('party');
  const grids = useLayerGrids('party', level);
  return (
    <>
      {all.isError ? <Alert type="error" showIcon title={errorText(all.error)} /> : null}
      <Row gutter={[12, 12]}>
        {(all.data?.counts ?? []).map((c) => (
          <Col key={c.gridLevel} xs={8}>
            <Card size="small" data-testid={`party-grids-level-${c.gridLevel}`}>
              <Statistic title={t('party.grids.level', { level: c.gridLevel })} value={c.count} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card
        size="small"
        style={{ marginTop: 12 }}
        extra={
          <Segmented
            value={level}
            onChange={(value) => setLevel(Number(value))}
            options={[1, 2, 3].map((value) => ({ value, label: t('party.grids.level', { level: value }) }))}
          />
        }
      >
        <Table<Grid>
          size="small"
          rowKey="code"
          loading={grids.isFetching}
          dataSource={grids.data?.grids ?? []}
          scroll={{ x: 760 }}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          columns={[
            { title: t('party.grids.name'), dataIndex: 'name', ellipsis: true },
            { title: t('party.grids.code'), dataIndex: 'code' },
            { title: t('party.grids.region'), dataIndex: 'regionName', ellipsis: true },
            {
              title: t('party.grids.secretary'),
              render: (_, g) => g.people.map((p) => p.name).join('、') || '—',
            },
            { title: t('party.grids.children'), dataIndex: 'childCount', align: 'right' },
          ]}
        />
      </Card>
    </>
  );
}
