import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Spin, Steps, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  HOTLINE_FIELD_LABELS,
  HOTLINE_FIELDS,
  type HotlineField,
  type HotlineImportResult,
  type HotlineMapping,
  type HotlinePreview,
  type HotlineRow,
  MAX_HOTLINE_BYTES,
  REQUIRED_HOTLINE_FIELDS,
} from '../../../shared/hotline.ts';
import { errorText } from '../../api/client.ts';
import { ColumnMapping, CountRow, FileDrop } from '../../components/FileImport.tsx';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { errorReportUrl, type HotlineUpload, useHotlineImport, useHotlinePreview } from './api.ts';

const STATUS_COLORS: Record<HotlineRow['status'], string> = {
  ready: 'blue',
  created: 'green',
  alreadyImported: 'default',
  rejected: 'red',
};

/**
 * The 12345 import wizard: choose a file, check the mapping and the rows the server found wrong, import, and
 * take away the rows that were not imported as a spreadsheet to correct.
 */
export default function HotlineImportPage() {
  const { t } = useTranslation();
  const [upload, setUpload] = useState<HotlineUpload | null>(null);
  // The last preview stays on screen while the next one (after a mapping change) is on its way.
  const [shown, setShown] = useState<HotlinePreview | undefined>();
  const preview = useHotlinePreview();
  const importing = useHotlineImport();

  const check = (next: HotlineUpload) => {
    setUpload(next);
    importing.reset();
    preview.mutate(next, { onSuccess: setShown });
  };
  const restart = () => {
    setUpload(null);
    setShown(undefined);
    preview.reset();
    importing.reset();
  };
  const step = importing.data ? 2 : upload ? 1 : 0;

  return (
    <Card
      title={
        <Space>
          <Link to="/cases" aria-label={t('hotline.back')}>
            <ArrowLeftOutlined />
          </Link>
          <span>{t('hotline.title')}</span>
        </Space>
      }
    >
      <Steps
        current={step}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('hotline.steps.file') },
          { title: t('hotline.steps.check') },
          { title: t('hotline.steps.result') },
        ]}
      />
      {step === 0 ? <ChooseFile onChosen={(file) => check({ file, mapping: {}, crs: 'wgs84' })} /> : null}
      {step === 1 && upload ? (
        <CheckStep
          upload={upload}
          preview={shown}
          loading={preview.isPending}
          error={preview.error ?? importing.error}
          importing={importing.isPending}
          onChange={check}
          onRestart={restart}
          onImport={() => importing.mutate(upload)}
        />
      ) : null}
      {step === 2 && importing.data ? <ResultStep result={importing.data} onRestart={restart} /> : null}
    </Card>
  );
}

function ChooseFile({ onChosen }: { onChosen: (file: File) => void }) {
  const { t } = useTranslation();
  return (
    <FileDrop
      text={t('hotline.file.drop')}
      hint={t('hotline.file.hint', { size: MAX_HOTLINE_BYTES / 1024 / 1024 })}
      onChosen={onChosen}
    />
  );
}

function CheckStep(props: {
  upload: HotlineUpload;
  preview: HotlinePreview | undefined;
  loading: boolean;
  error: unknown;
  importing: boolean;
  onChange: (upload: HotlineUpload) => void;
  onRestart: () => void;
  onImport: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { upload, preview } = props;
  const mapped = preview !== undefined && preview.mappingProblems.length === 0;

  const setField = (field: HotlineField, header: string | null) => {
    const mapping: HotlineMapping = { ...(preview?.mapping ?? {}), ...upload.mapping, [field]: header };
    props.onChange({ ...upload, mapping });
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {props.error ? <Alert type="error" showIcon title={errorText(props.error)} /> : null}
      {!preview && props.loading ? <Spin /> : null}
      {preview ? (
        <>
          <Summary preview={preview} />
          <ColumnMapping
            help={t('hotline.mapping.help')}
            fields={HOTLINE_FIELDS.map((field) => ({
              field,
              label: pickLabel(HOTLINE_FIELD_LABELS[field], locale),
              required: REQUIRED_HOTLINE_FIELDS.includes(field),
            }))}
            headers={preview.headers}
            mapping={preview.mapping}
            problems={preview.mappingProblems}
            crs={upload.crs}
            disabled={props.loading}
            idPrefix="hotline"
            onField={(field, header) => setField(field as HotlineField, header)}
            onCrs={(crs) => props.onChange({ ...upload, crs })}
          />
          <RowTable
            title={t('hotline.table.previewTitle', { count: preview.rows.length })}
            rows={preview.rows}
            loading={props.loading}
            showStatus={mapped}
            testId="hotline-preview"
          />
          {preview.rejectedRows.length ? (
            <RowTable
              title={t('hotline.table.rejectedTitle', { count: preview.rejectedRows.length })}
              rows={preview.rejectedRows}
              loading={props.loading}
              showStatus={false}
              testId="hotline-preview-rejected"
            />
          ) : null}
        </>
      ) : null}
      <Space wrap>
        <Button onClick={props.onRestart}>{t('hotline.actions.chooseAgain')}</Button>
        <Button
          type="primary"
          loading={props.importing}
          disabled={!mapped || props.loading || (preview?.ready ?? 0) === 0}
          onClick={props.onImport}
        >
          {t('hotline.actions.import', { count: preview?.ready ?? 0 })}
        </Button>
      </Space>
    </Space>
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
          { title: t('hotline.summary.alreadyImported'), value: preview.alreadyImported },
          { title: t('hotline.summary.rejected'), value: preview.rejected, danger: true },
        ]}
      />
    </Space>
  );
}

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
  const columns = [
    { key: 'row', title: t('hotline.table.row'), dataIndex: 'row', width: 64 },
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
    <Card size="small" title={props.title}>
      <Table<HotlineRow>
        data-testid={props.testId}
        rowKey="row"
        size="small"
        loading={props.loading}
        dataSource={rows}
        columns={columns}
        pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        // A row's problems go under it across the whole table, where a long reason reads in one line.
        expandable={{
          showExpandColumn: false,
          expandedRowKeys: rows.filter((row) => row.reasons.length).map((row) => row.row),
          rowExpandable: (row) => row.reasons.length > 0,
          expandedRowRender: (row) => (
            <Typography.Text type="danger">
              {row.reasons.map((reason) => (
                <div key={reason}>
                  {t('common.labelValue', { label: t('hotline.table.reasons'), value: reason })}
                </div>
              ))}
            </Typography.Text>
          ),
        }}
      />
    </Card>
  );
}

function ResultStep({ result, onRestart }: { result: HotlineImportResult; onRestart: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const rejected = result.rows.filter((r) => r.status === 'rejected');
  const cases = result.rows.filter((r) => r.status !== 'rejected');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Alert
        type={result.rejected ? 'warning' : 'success'}
        showIcon
        title={t('hotline.result.title', { name: result.fileName })}
      />
      <CountRow
        testId="hotline-result-counts"
        items={[
          { title: t('hotline.summary.total'), value: result.total },
          { title: t('hotline.result.created'), value: result.created },
          { title: t('hotline.summary.alreadyImported'), value: result.alreadyImported },
          { title: t('hotline.result.rejected'), value: result.rejected, danger: true },
        ]}
      />
      {rejected.length ? (
        <>
          <Space wrap>
            <Button icon={<DownloadOutlined />} href={errorReportUrl(result.id, 'xlsx', locale)}>
              {t('hotline.actions.downloadXlsx')}
            </Button>
            <Button icon={<DownloadOutlined />} href={errorReportUrl(result.id, 'csv', locale)}>
              {t('hotline.actions.downloadCsv')}
            </Button>
          </Space>
          <RowTable
            title={t('hotline.result.rejectedTitle', { count: rejected.length })}
            rows={rejected}
            showStatus={false}
            testId="hotline-result-rejected"
          />
        </>
      ) : null}
      {cases.length ? (
        <RowTable
          title={t('hotline.result.casesTitle', { count: cases.length })}
          rows={cases}
          showStatus
          withValues={false}
          testId="hotline-result-cases"
        />
      ) : null}
      <Space wrap>
        <Button type="primary" onClick={onRestart}>
          {t('hotline.actions.again')}
        </Button>
        <Link to="/cases">
          <Button>{t('hotline.actions.toCases')}</Button>
        </Link>
      </Space>
    </Space>
  );
}
