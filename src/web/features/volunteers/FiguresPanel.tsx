import { Card, Col, DatePicker, Drawer, Row, Segmented, Space, Statistic, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FigureGroup, Figures, SignInListQuery } from '../../../shared/volunteers.ts';
import { useFigures, useSignIns } from './api.ts';
import { shanghaiTime, shanghaiToday, useVolunteerLabels } from './labels.ts';

type FigureRow = Figures['rows'][number];

/** 服务统计: person-times and hours by unit, community or month; a row opens the sign-ins behind it. */
export function FiguresPanel() {
  const { t } = useTranslation();
  const [by, setBy] = useState<FigureGroup>('unit');
  const [range, setRange] = useState<[string, string]>([shanghaiToday(-29), shanghaiToday()]);
  const [drill, setDrill] = useState<{ name: string; query: Partial<SignInListQuery> } | null>(null);
  const figures = useFigures({ by, from: range[0], to: range[1] });
  const totals = figures.data?.totals;
  const filterOf = (row: FigureRow): Partial<SignInListQuery> =>
    by === 'unit'
      ? { unitId: Number(row.key) }
      : by === 'community'
        ? { regionCode: row.key }
        : { month: row.key };
  const columns: ColumnsType<FigureRow> = [
    {
      key: 'name',
      title: t('volunteers.figures.name'),
      render: (_, r) =>
        by === 'community' ? t('common.nameWithCode', { name: r.name, code: r.key }) : r.name,
    },
    { key: 'times', title: t('volunteers.figures.personTimes'), dataIndex: 'personTimes', align: 'right' },
    {
      key: 'party',
      title: t('volunteers.figures.partyMemberTimes'),
      dataIndex: 'partyMemberTimes',
      align: 'right',
    },
    { key: 'people', title: t('volunteers.figures.volunteers'), dataIndex: 'volunteers', align: 'right' },
    { key: 'hours', title: t('volunteers.figures.hours'), dataIndex: 'hours', align: 'right' },
  ];
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      <Space wrap>
        <Segmented
          value={by}
          onChange={(value) => setBy(value as FigureGroup)}
          options={(['unit', 'community', 'month'] as const).map((g) => ({
            value: g,
            label: t(`volunteers.figures.by.${g}`),
          }))}
        />
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(range[0]), dayjs(range[1])]}
          onChange={(values) => {
            if (values?.[0] && values[1])
              setRange([values[0].format('YYYY-MM-DD'), values[1].format('YYYY-MM-DD')]);
          }}
        />
      </Space>
      <Row gutter={[12, 12]}>
        {(
          [
            ['personTimes', totals?.personTimes],
            ['partyMemberTimes', totals?.partyMemberTimes],
            ['volunteers', totals?.volunteers],
            ['hours', totals?.hours],
            ['units', totals?.units],
          ] as const
        ).map(([key, value]) => (
          <Col key={key} xs={12} md={8} lg={4}>
            <Card size="small">
              <Statistic
                title={t(`volunteers.figures.${key}`)}
                value={value ?? 0}
                data-testid={`figure-${key}`}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Table
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={figures.data?.rows ?? []}
        loading={figures.isFetching}
        pagination={{ pageSize: 20 }}
        onRow={(r) => ({
          onClick: () => setDrill({ name: r.name, query: { ...filterOf(r), from: range[0], to: range[1] } }),
          style: { cursor: 'pointer' },
        })}
      />
      <SignInDrawer drill={drill} onClose={() => setDrill(null)} />
    </Space>
  );
}

function SignInDrawer({
  drill,
  onClose,
}: {
  drill: { name: string; query: Partial<SignInListQuery> } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const labels = useVolunteerLabels();
  const [page, setPage] = useState(1);
  const rows = useSignIns(drill ? { ...drill.query, page, pageSize: 20 } : null);
  type SignIn = NonNullable<typeof rows.data>['items'][number];
  const columns: ColumnsType<SignIn> = [
    { key: 'day', title: t('volunteers.requests.day'), dataIndex: 'day' },
    {
      key: 'name',
      title: t('volunteers.figures.volunteer'),
      render: (_, r) => (
        <Space size={4}>
          {r.volunteerName}
          {r.partyMember ? <Tag color="red">{t('volunteers.units.partyMember')}</Tag> : null}
        </Space>
      ),
    },
    { key: 'unit', title: t('volunteers.figures.unit'), dataIndex: 'unitName' },
    {
      key: 'community',
      title: t('volunteers.requests.community'),
      render: (_, r) => t('common.nameWithCode', { name: r.regionName, code: r.regionCode }),
    },
    {
      key: 'task',
      title: t('volunteers.requests.task'),
      render: (_, r) => `${labels.requestKind(r.kind)} · ${r.requestTitle}`,
    },
    {
      key: 'time',
      title: t('volunteers.requests.time'),
      render: (_, r) => `${shanghaiTime(r.signedInAt)}–${shanghaiTime(r.signedOutAt)}`,
    },
    { key: 'hours', title: t('volunteers.figures.hours'), dataIndex: 'hours', align: 'right' },
  ];
  return (
    <Drawer
      open={drill !== null}
      onClose={() => {
        setPage(1);
        onClose();
      }}
      size="large"
      title={drill ? t('volunteers.figures.drill', { name: drill.name }) : ''}
      destroyOnHidden
    >
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows.data?.items ?? []}
        loading={rows.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page, pageSize: 20, total: rows.data?.total ?? 0, onChange: setPage }}
      />
    </Drawer>
  );
}
