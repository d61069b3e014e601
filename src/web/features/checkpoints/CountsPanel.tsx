import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Select, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DailyCount } from '../../../shared/checkpoints.ts';
import { errorText } from '../../api/client.ts';
import { shanghaiToday } from '../patrols/format.ts';
import { countsExportUrl, useCheckpoints, useDailyCounts } from './api.ts';

const FIGURES = ['peopleIn', 'peopleOut', 'vehiclesIn', 'vehiclesOut', 'stopped', 'fever', 'total'] as const;

/** 每日统计: per checkpoint and day, people and vehicles in and out, stops and fevers; XLSX or CSV. */
export function CountsPanel() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[string, string]>([shanghaiToday(-6), shanghaiToday()]);
  const [checkpointId, setCheckpointId] = useState<number | undefined>();
  const checkpoints = useCheckpoints();
  const query = { from: range[0], to: range[1], checkpointId };
  const counts = useDailyCounts(query);

  const columns: ColumnsType<DailyCount> = [
    { key: 'day', title: t('checkpoints.columns.day'), dataIndex: 'day', width: 110 },
    { key: 'village', title: t('checkpoints.columns.village'), dataIndex: 'villageName' },
    { key: 'name', title: t('checkpoints.columns.name'), dataIndex: 'checkpointName' },
    ...FIGURES.map((key) => ({
      key,
      title: t(`checkpoints.columns.${key}`),
      dataIndex: key,
      align: 'right' as const,
    })),
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
        <Select
          allowClear
          style={{ width: 220 }}
          placeholder={t('checkpoints.filters.checkpoint')}
          value={checkpointId}
          onChange={(value?: number) => setCheckpointId(value)}
          options={(checkpoints.data?.checkpoints ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
        {(['xlsx', 'csv'] as const).map((format) => (
          <Button key={format} icon={<DownloadOutlined />} href={countsExportUrl(query, format)}>
            {t(format === 'xlsx' ? 'checkpoints.actions.exportXlsx' : 'checkpoints.actions.exportCsv')}
          </Button>
        ))}
      </Space>
      {counts.error ? <Alert type="error" showIcon title={errorText(counts.error)} /> : null}
      <Table
        rowKey={(r) => `${r.checkpointId}/${r.day}`}
        size="small"
        loading={counts.isFetching}
        dataSource={counts.data?.rows ?? []}
        columns={columns}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        data-testid="checkpoint-counts"
      />
    </Space>
  );
}
