import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  HOTLINE_FIELD_LABELS,
  HOTLINE_FIELDS,
  HOTLINE_TIME_ZONES,
  type HotlineAgency,
  type HotlineField,
  type HotlineImportResult,
  type HotlinePreview,
  type HotlineRow,
  MAX_HOTLINE_BYTES,
  REQUIRED_HOTLINE_FIELDS,
} from '../../../shared/hotline.ts';
import { CountRow } from '../../components/FileImport.tsx';
import { ImportRowsTable, ImportWizard } from '../../components/ImportWizard.tsx';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { useDepartments } from '../people/api.ts';
import { errorReportUrl, type HotlineUpload, useHotlineImport, useHotlinePreview } from './api.ts';

const STATUS_COLORS: Record<HotlineRow['status'], string> = {
  ready: 'blue',
  created: 'green',
  updated: 'cyan',
  alreadyImported: 'default',
  rejected: 'red',
};

/**
 * The 12345 import wizard: choose a file, check the mapping and the rows the server found wrong, import, and
 * take away the rows that were not imported as a spreadsheet to correct.
 */
export default function HotlineImportPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const preview = useHotlinePreview();
  const importing = useHotlineImport();
  return (
    <ImportWizard<HotlineUpload, HotlinePreview, HotlineImportResult>
      title={
        <Space>
          <Link to="/cases" aria-label={t('hotline.back')}>
            <ArrowLeftOutlined />
          </Link>
          <span>{t('hotline.title')}</span>
        </Space>
      }
      idPrefix="hotline"
      labels={{
        steps: {
          file: t('hotline.steps.file'),
          check: t('hotline.steps.check'),
          result: t('hotline.steps.result'),
        },
        drop: {
          text: t('hotline.file.drop'),
          hint: t('hotline.file.hint', { size: MAX_HOTLINE_BYTES / 1024 / 1024 }),
        },
        chooseAgain: t('hotline.actions.chooseAgain'),
        downloadXlsx: t('hotline.actions.downloadXlsx'),
        downloadCsv: t('hotline.actions.downloadCsv'),
        again: t('hotline.actions.again'),
        done: { to: '/cases', label: t('hotline.actions.toCases') },
      }}
      newUpload={(file) => ({
        file,
        mapping: {},
        crs: 'wgs84',
        timeZone: 'Asia/Shanghai',
        dateOrder: 'mdy',
        source: '12345',
        agencies: {},
      })}
      preview={preview}
      importing={importing}
      mapping={(shown) => ({
        help: t('hotline.mapping.help'),
        fields: HOTLINE_FIELDS.map((field) => ({
          field,
          label: pickLabel(HOTLINE_FIELD_LABELS[field], locale),
          required: REQUIRED_HOTLINE_FIELDS.includes(field),
        })),
        headers: shown.headers,
        mapping: shown.mapping,
        problems: shown.mappingProblems,
      })}
      summary={(shown) => <Summary preview={shown} />}
      settings={(shown, upload, onChange, disabled) => (
        <HistorySettings preview={shown} upload={upload} onChange={onChange} disabled={disabled} />
      )}
      rows={(shown, loading) => (
        <>
          <RowTable
            title={t('hotline.table.previewTitle', { count: shown.rows.length })}
            rows={shown.rows}
            loading={loading}
            showStatus={shown.mappingProblems.length === 0}
            testId="hotline-preview"
          />
          {shown.rejectedRows.length ? (
            <RowTable
              title={t('hotline.table.rejectedTitle', { count: shown.rejectedRows.length })}
              rows={shown.rejectedRows}
              loading={loading}
              showStatus={false}
              testId="hotline-preview-rejected"
            />
          ) : null}
        </>
      )}
      start={(shown) => ({
        label: t('hotline.actions.import', { count: shown?.ready ?? 0 }),
        enabled: (shown?.ready ?? 0) > 0,
      })}
      outcome={(result) => {
        const rejected = result.rows.filter((r) => r.status === 'rejected');
        const cases = result.rows.filter((r) => r.status !== 'rejected');
        return {
          alert: {
            type: result.rejected ? 'warning' : 'success',
            title: t('hotline.result.title', { name: result.fileName }),
          },
          counts: {
            testId: 'hotline-result-counts',
            items: [
              { title: t('hotline.summary.total'), value: result.total },
              { title: t('hotline.result.created'), value: result.created },
              ...(result.updated ? [{ title: t('hotline.result.updated'), value: result.updated }] : []),
              { title: t('hotline.summary.alreadyImported'), value: result.alreadyImported },
              { title: t('hotline.result.rejected'), value: result.rejected, danger: true },
            ],
          },
          rejected: rejected.length
            ? {
                reportUrl: (format) => errorReportUrl(result.id, format, locale),
                table: (
                  <RowTable
                    title={t('hotline.result.rejectedTitle', { count: rejected.length })}
                    rows={rejected}
                    showStatus={false}
                    testId="hotline-result-rejected"
                  />
                ),
              }
            : undefined,
          extra: cases.length ? (
            <RowTable
              title={t('hotline.result.casesTitle', { count: cases.length })}
              rows={cases}
              showStatus
              withValues={false}
              testId="hotline-result-cases"
            />
          ) : null,
        };
      }}
    />
  );
}

function Summary({ preview }: { preview: HotlinePreview }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text>
        {t('hotline.summary.fileInfo', {
          name: preview.fileName,
          format: preview.format.toUpperCase(),
          row: preview.headerRow,
        })}
      </Typography.Text>
      {preview.encoding === 'gb18030' ? (
        <Alert type="info" showIcon title={t('hotline.summary.gbk')} />
      ) : null}
      <CountRow
        testId="hotline-preview-counts"
        items={[
          { title: t('hotline.summary.total'), value: preview.total },
          { title: t('hotline.summary.ready'), value: preview.ready },
          ...(preview.changed ? [{ title: t('hotline.summary.changed'), value: preview.changed }] : []),
          { title: t('hotline.summary.alreadyImported'), value: preview.alreadyImported },
          { title: t('hotline.summary.rejected'), value: preview.rejected, danger: true },
        ]}
      />
    </Space>
  );
}

/**
 * How the file's times are read (time zone, day or month first), which system it comes from, and the table
 * of its agencies with the department each is dispatched to (remembered per source). A change previews again.
 */
function HistorySettings(props: {
  preview: HotlinePreview;
  upload: HotlineUpload;
  onChange: (upload: HotlineUpload) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const { preview, upload, onChange, disabled } = props;
  const departments = useDepartments();
  const zones = [...new Set<string>([...HOTLINE_TIME_ZONES, upload.timeZone])];
  const commitSource = (value: string) => {
    const source = value.trim();
    if (source && source !== upload.source) onChange({ ...upload, source });
  };
  const columns: ColumnsType<HotlineAgency> = [
    { key: 'agency', title: t('hotline.agencies.agency'), dataIndex: 'agency' },
    { key: 'rows', title: t('hotline.agencies.rows'), dataIndex: 'rows', width: 80 },
    {
      key: 'department',
      title: t('hotline.agencies.department'),
      width: 280,
      render: (_: unknown, row: HotlineAgency) => (
        <Select
          aria-label={t('hotline.agencies.department')}
          style={{ width: '100%' }}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('hotline.agencies.choose')}
          disabled={disabled}
          loading={departments.isLoading}
          value={row.departmentId ?? undefined}
          options={(departments.data ?? []).map((d) => ({ value: d.id, label: `${d.name}（${d.code}）` }))}
          onChange={(id: number | undefined) =>
            onChange({ ...upload, agencies: { ...upload.agencies, [row.agency]: id ?? null } })
          }
        />
      ),
    },
    {
      key: 'mappedBy',
      title: '',
      width: 110,
      render: (_: unknown, row: HotlineAgency) => (
        <Tag color={row.mappedBy === 'none' ? 'red' : 'default'}>
          {t(`hotline.agencies.mappedBy.${row.mappedBy}`)}
        </Tag>
      ),
    },
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Form layout="inline">
        <Form.Item label={t('hotline.settings.timeZone')} tooltip={t('hotline.settings.timeZoneHelp')}>
          <Select
            style={{ width: 200 }}
            disabled={disabled}
            value={upload.timeZone}
            options={zones.map((zone) => ({ value: zone, label: zone }))}
            onChange={(timeZone: string) => onChange({ ...upload, timeZone })}
          />
        </Form.Item>
        <Form.Item label={t('hotline.settings.dateOrder')}>
          <Select
            style={{ width: 260 }}
            disabled={disabled}
            value={upload.dateOrder}
            options={[
              { value: 'mdy', label: t('hotline.settings.mdy') },
              { value: 'dmy', label: t('hotline.settings.dmy') },
            ]}
            onChange={(dateOrder: 'mdy' | 'dmy') => onChange({ ...upload, dateOrder })}
          />
        </Form.Item>
        <Form.Item label={t('hotline.settings.source')} tooltip={t('hotline.settings.sourceHelp')}>
          <Input
            style={{ width: 160 }}
            disabled={disabled}
            defaultValue={upload.source}
            maxLength={64}
            onBlur={(e) => commitSource(e.target.value)}
            onPressEnter={(e) => commitSource(e.currentTarget.value)}
          />
        </Form.Item>
      </Form>
      {preview.agencies.length ? (
        <Table<HotlineAgency>
          data-testid="hotline-agencies"
          size="small"
          rowKey="agency"
          title={() => (
            <Space orientation="vertical" size={0}>
              <Typography.Text strong>
                {t('hotline.agencies.title', { count: preview.agencies.length })}
              </Typography.Text>
              <Typography.Text type="secondary">{t('hotline.agencies.help')}</Typography.Text>
            </Space>
          )}
          columns={columns}
          dataSource={preview.agencies}
          pagination={preview.agencies.length > 10 ? { pageSize: 10 } : false}
        />
      ) : null}
    </Space>
  );
}

/** Work-order rows: their status, order number, what they report and where, and the case each became. */
function RowTable(props: {
  title: string;
  rows: HotlineRow[];
  loading?: boolean;
  showStatus: boolean;
  withValues?: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { rows } = props;
  const label = (field: HotlineField) => pickLabel(HOTLINE_FIELD_LABELS[field], locale);
  const text = (field: HotlineField) => (_: unknown, row: HotlineRow) => row.values[field] || '—';
  // Spreadsheets keep coordinates to fifteen digits; six (about 0.1 m) are all anyone reads.
  const coordinate = (value: string | undefined) =>
    value && Number.isFinite(Number(value)) ? Number(value).toFixed(6) : (value ?? '');
  const columns: ColumnsType<HotlineRow> = [
    ...(props.showStatus
      ? [
          {
            key: 'status',
            title: t('hotline.table.status'),
            width: 110,
            render: (_: unknown, row: HotlineRow) => (
              <Tag color={STATUS_COLORS[row.status]}>{t(`hotline.status.${row.status}`)}</Tag>
            ),
          },
        ]
      : []),
    {
      key: 'orderNo',
      title: label('orderNo'),
      width: 150,
      render: (_: unknown, row: HotlineRow) => row.orderNo ?? '—',
    },
    ...(props.withValues === false
      ? []
      : [
          { key: 'category', title: label('category'), width: 120, render: text('category') },
          { key: 'description', title: label('description'), ellipsis: true, render: text('description') },
          {
            key: 'location',
            title: t('hotline.table.location'),
            width: 200,
            render: (_: unknown, row: HotlineRow) =>
              row.values.lon || row.values.lat
                ? `${coordinate(row.values.lon)}, ${coordinate(row.values.lat)}`
                : row.values.region || '—',
          },
        ]),
    ...(rows.some((row) => row.caseNumber)
      ? [
          {
            key: 'case',
            title: t('hotline.table.case'),
            width: 170,
            render: (_: unknown, row: HotlineRow) =>
              row.caseId ? (
                <Link to={`/cases/${row.caseId}`}>{row.caseNumber}</Link>
              ) : (
                (row.caseNumber ?? '—')
              ),
          },
        ]
      : []),
  ];
  return (
    <ImportRowsTable<HotlineRow>
      title={props.title}
      testId={props.testId}
      rowTitle={t('hotline.table.row')}
      rows={rows}
      loading={props.loading}
      columns={columns}
      problems={(row) => row.reasons}
      placement={{
        below: (reason) => t('common.labelValue', { label: t('hotline.table.reasons'), value: reason }),
      }}
    />
  );
}
