import { DownloadOutlined, EyeOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Entry, FEVER_CELSIUS } from '../../../shared/checkpoints.ts';
import { errorText } from '../../api/client.ts';
import { formatDateTime } from '../../components/time.ts';
import { shanghaiToday } from '../patrols/format.ts';
import { entriesExportUrl, revealEntry, useCheckpoints, useEntries } from './api.ts';

/** 通行登记: the entries of a period, newest first; ID numbers masked, revealed one at a time (logged). */
export function EntriesPanel() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[string, string]>([shanghaiToday(-6), shanghaiToday()]);
  const [checkpointId, setCheckpointId] = useState<number | undefined>();
  const [page, setPage] = useState(1);
  const [revealed, setRevealed] = useState<Record<number, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const checkpoints = useCheckpoints();
  const query = { from: range[0], to: range[1], checkpointId, page, pageSize: 50 };
  const entries = useEntries(query);

  const reveal = async (id: number) => {
    try {
      const answer = await revealEntry(id);
      setRevealed((current) => ({ ...current, [id]: answer.value ?? '' }));
    } catch (error) {
      setProblem(errorText(error));
    }
  };

  const columns: ColumnsType<Entry> = [
    {
      key: 'at',
      title: t('checkpoints.columns.at'),
      render: (_: unknown, e) => formatDateTime(e.at),
      width: 150,
      // The row's time stays in view when the table scrolls sideways on a laptop screen.
      fixed: 'left',
    },
    { key: 'name', title: t('checkpoints.columns.name'), dataIndex: 'checkpointName' },
    {
      key: 'direction',
      title: t('checkpoints.columns.direction'),
      render: (_: unknown, e) => (
        <Tag color={e.direction === 'in' ? 'blue' : 'default'}>
          {t(`checkpoints.directions.${e.direction}`)} · {t(`checkpoints.subjects.${e.subject}`)}
        </Tag>
      ),
    },
    { key: 'plate', title: t('checkpoints.columns.plate'), render: (_: unknown, e) => e.plate ?? '' },
    {
      key: 'id',
      title: t('checkpoints.columns.idNumber'),
      render: (_: unknown, e) =>
        e.idNumber === null ? (
          ''
        ) : (
          <Space size={4}>
            <span style={{ fontVariantNumeric: 'tabular-nums' }}>{revealed[e.id] ?? e.idNumber}</span>
            {e.idNumberMasked && revealed[e.id] === undefined ? (
              <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => void reveal(e.id)}>
                {t('checkpoints.actions.reveal')}
              </Button>
            ) : null}
          </Space>
        ),
    },
    {
      key: 'temperature',
      title: t('checkpoints.columns.temperature'),
      render: (_: unknown, e) =>
        e.temperature === null ? (
          ''
        ) : (
          <Typography.Text type={e.temperature >= FEVER_CELSIUS ? 'danger' : undefined}>
            {e.temperature.toFixed(1)}°C
          </Typography.Text>
        ),
    },
    {
      key: 'checks',
      title: t('checkpoints.columns.checks'),
      // The answers as the entry's own form version asked them (the server labels them by that version),
      // wrapped to a narrow column so the row's outcome stays near.
      render: (_: unknown, e) =>
        e.checkAnswers.length ? (
          <div style={{ width: 200, whiteSpace: 'normal' }}>
            {e.checkAnswers.map((a) => (
              <div key={a.name}>
                <Typography.Text type="secondary">{a.question}：</Typography.Text>
                {a.answer}
              </div>
            ))}
          </div>
        ) : null,
    },
    {
      key: 'formVersion',
      title: t('checkpoints.columns.formVersion'),
      render: (_: unknown, e) => (e.formVersion === null ? '' : `v${e.formVersion}`),
    },
    {
      key: 'outcome',
      title: t('checkpoints.columns.outcome'),
      render: (_: unknown, e) => (
        <div style={{ maxWidth: 150, whiteSpace: 'normal' }}>
          <Tag color={e.outcome === 'passed' ? 'green' : 'red'}>{t(`checkpoints.outcomes.${e.outcome}`)}</Tag>
          {e.reason ?? ''}
        </div>
      ),
    },
    {
      key: 'by',
      title: t('checkpoints.columns.recordedBy'),
      render: (_: unknown, e) => (
        <>
          {e.recordedBy} {e.synthetic ? <Tag>{t('checkpoints.synthetic')}</Tag> : null}
        </>
      ),
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
            setPage(1);
          }}
        />
        <Select
          allowClear
          style={{ width: 220 }}
          placeholder={t('checkpoints.filters.checkpoint')}
          value={checkpointId}
          onChange={(value?: number) => {
            setCheckpointId(value);
            setPage(1);
          }}
          options={(checkpoints.data?.checkpoints ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
        {(['xlsx', 'csv'] as const).map((format) => (
          <Button key={format} icon={<DownloadOutlined />} href={entriesExportUrl(query, format)}>
            {t(format === 'xlsx' ? 'checkpoints.actions.exportXlsx' : 'checkpoints.actions.exportCsv')}
          </Button>
        ))}
      </Space>
      {problem || entries.error ? (
        <Alert
          type="error"
          showIcon
          title={problem ?? errorText(entries.error)}
          closable
          onClose={() => setProblem(null)}
        />
      ) : null}
      <Table
        rowKey="id"
        size="small"
        loading={entries.isFetching}
        dataSource={entries.data?.entries ?? []}
        columns={columns}
        scroll={{ x: 'max-content' }}
        data-testid="checkpoint-entries"
        pagination={{
          current: page,
          pageSize: 50,
          total: entries.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: setPage,
        }}
      />
    </Space>
  );
}
