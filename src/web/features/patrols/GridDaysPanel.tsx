import { Alert, DatePicker, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GridDay } from '../../../shared/patrols.ts';
import { errorText } from '../../api/client.ts';
import { useGridDays } from './api.ts';
import { formatDistance, formatDuration, formatShare, shanghaiToday } from './format.ts';

type Show = 'all' | 'patrolled' | 'missed';

/** 网格日统计: per leaf grid and day, patrolled or not, time, distance, coverage and problems found. */
export function GridDaysPanel() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[string, string]>([shanghaiToday(-6), shanghaiToday()]);
  const [show, setShow] = useState<Show>('all');
  const query = useGridDays({ from: range[0], to: range[1] });
  const rows = (query.data?.items ?? []).filter(
    (r) => show === 'all' || (show === 'patrolled' ? r.patrolled : !r.patrolled),
  );
  const all = query.data?.items ?? [];
  const done = all.filter((r) => r.patrolled).length;

  const columns: ColumnsType<GridDay> = [
    { key: 'day', title: t('patrols.fields.day'), dataIndex: 'day', width: 110 },
    {
      key: 'grid',
      title: t('patrols.fields.grid'),
      render: (_: unknown, r) => (
        <>
          <div>{r.gridName}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.villageName}
          </Typography.Text>
        </>
      ),
    },
    { key: 'workers', title: t('patrols.fields.workers'), render: (_: unknown, r) => r.workers.join('、') },
    {
      key: 'patrolled',
      title: t('patrols.fields.patrolled'),
      render: (_: unknown, r) =>
        r.patrolled ? (
          <Tag color="green">{t('patrols.patrolled')}</Tag>
        ) : (
          <Tag color="orange">{t('patrols.notPatrolled')}</Tag>
        ),
    },
    { key: 'patrols', title: t('patrols.fields.patrols'), dataIndex: 'patrols', align: 'right' },
    {
      key: 'duration',
      title: t('patrols.fields.duration'),
      align: 'right',
      render: (_: unknown, r) => (r.patrolled ? formatDuration(r.durationS, t) : '—'),
    },
    {
      key: 'distance',
      title: t('patrols.fields.distance'),
      align: 'right',
      render: (_: unknown, r) => (r.patrolled ? formatDistance(r.distanceM, t) : '—'),
    },
    {
      key: 'coverage',
      title: t('patrols.fields.coverage', { metres: query.data?.coverageMetres ?? 50 }),
      align: 'right',
      sorter: (a, b) => a.coverage - b.coverage,
      render: (_: unknown, r) => (r.patrolled ? formatShare(r.coverage) : '—'),
    },
    { key: 'problems', title: t('patrols.fields.problems'), dataIndex: 'problems', align: 'right' },
    {
      key: 'synthetic',
      title: '',
      render: (_: unknown, r) => (r.synthetic ? <Tag>{t('patrols.synthetic')}</Tag> : null),
    },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(range[0]), dayjs(range[1])]}
          onChange={(values) => {
            if (values?.[0] && values[1])
              setRange([values[0].format('YYYY-MM-DD'), values[1].format('YYYY-MM-DD')]);
          }}
        />
        <Segmented<Show>
          value={show}
          onChange={setShow}
          options={[
            { value: 'all', label: t('patrols.gridDays.all') },
            { value: 'patrolled', label: t('patrols.patrolled') },
            { value: 'missed', label: t('patrols.notPatrolled') },
          ]}
        />
        <Typography.Text type="secondary" data-testid="grid-days-summary">
          {t('patrols.gridDays.summary', {
            done,
            total: all.length,
            rate: all.length ? formatShare(done / all.length) : '—',
          })}
        </Typography.Text>
      </Space>
      {query.error ? <Alert type="error" showIcon title={errorText(query.error)} /> : null}
      <Table<GridDay>
        size="small"
        rowKey={(r) => `${r.gridCode}|${r.day}`}
        loading={query.isFetching}
        columns={columns}
        dataSource={rows}
        scroll={{ x: 900 }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        data-testid="grid-days-table"
      />
    </Space>
  );
}
