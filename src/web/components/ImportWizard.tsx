import { DownloadOutlined } from '@ant-design/icons';
import type { UseMutationResult } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Spin, Steps, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { errorText } from '../api/client.ts';
import { ColumnMapping, CountRow, type Crs, FileDrop, type MappedField } from './FileImport.tsx';

/** What every import sends: the file, the user's column choices (the rest as the server suggests), the CRS. */
export interface ImportUpload {
  file: File;
  mapping: object;
  crs: Crs;
}

/** The column mapping of a preview, as the check step shows it. */
export interface PreviewMapping {
  help: ReactNode;
  fields: readonly MappedField[];
  headers: readonly string[];
  mapping: Readonly<Record<string, string | null | undefined>>;
  /** What keeps the mapping from being imported; the import waits until there is none. */
  problems: readonly string[];
}

/** The result step of one source: the outcome, its counts, and the rows not imported to take away. */
export interface ImportOutcome {
  alert: { type: 'success' | 'warning' | 'error'; title: string };
  counts: { testId: string; items: readonly { title: string; value: number; danger?: boolean }[] };
  /** Present when rows were rejected: the error report's links and the table of those rows. */
  rejected?: { reportUrl: (format: 'xlsx' | 'csv') => string; table: ReactNode };
  /** Anything the source shows after the rejected rows (the 12345 import: the cases it made). */
  extra?: ReactNode;
}

export interface ImportWizardLabels {
  steps: { file: string; check: string; run?: string; result: string };
  drop: { text: string; hint: string };
  chooseAgain: string;
  downloadXlsx: string;
  downloadCsv: string;
  again: string;
  /** Where the user goes to see what was imported. */
  done: { to: string; label: string };
}

export interface ImportWizardProps<U extends ImportUpload, P, R> {
  title: ReactNode;
  labels: ImportWizardLabels;
  /** The upload a newly chosen file starts as. */
  newUpload: (file: File) => U;
  preview: UseMutationResult<P, Error, U>;
  importing: UseMutationResult<R, Error, U>;
  mapping: (preview: P) => PreviewMapping;
  idPrefix: string;
  /** Shown above the file drop (the registry: which type of record). */
  beforeDrop?: ReactNode;
  /** Shown under the file drop (the registry: the recent imports). */
  afterDrop?: ReactNode;
  /** The file's summary above the mapping. */
  summary: (preview: P, upload: U) => ReactNode;
  /** Settings of the import besides the column mapping (shown under it); a change previews again. */
  settings?: (preview: P, upload: U, onChange: (upload: U) => void, disabled: boolean) => ReactNode;
  /** The preview rows with their problems, under the mapping. */
  rows: (preview: P, loading: boolean) => ReactNode;
  /** The import button: its label, and whether there is anything to import. */
  start: (preview: P | undefined) => { label: string; enabled: boolean };
  /** While the server reads the whole file (a step of its own when given). */
  running?: (upload: U) => ReactNode;
  outcome: (result: R) => ImportOutcome;
}

/**
 * The import wizard every file import shares: choose a file, check the suggested column mapping and each
 * previewed row's problems, import, and take away the rows not imported. The sources differ in their fields,
 * calls and labels, which come in as props.
 */
export function ImportWizard<U extends ImportUpload, P, R>(props: ImportWizardProps<U, P, R>) {
  const { labels, preview, importing } = props;
  const [upload, setUpload] = useState<U | null>(null);
  // The last preview stays on screen while the next one (after a mapping change) is on its way.
  const [shown, setShown] = useState<P | undefined>();

  const check = (next: U) => {
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
  const steps = [labels.steps.file, labels.steps.check, labels.steps.run, labels.steps.result].filter(
    (title): title is string => title !== undefined,
  );
  const step = importing.data ? steps.length - 1 : importing.isPending && props.running ? 2 : upload ? 1 : 0;
  const running = props.running && importing.isPending && upload ? props.running(upload) : null;

  return (
    <Card title={props.title}>
      <Steps current={step} style={{ marginBottom: 24 }} items={steps.map((title) => ({ title }))} />
      {step === 0 ? (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          {props.beforeDrop}
          <FileDrop
            text={labels.drop.text}
            hint={labels.drop.hint}
            onChosen={(file) => check(props.newUpload(file))}
          />
          {props.afterDrop}
        </Space>
      ) : null}
      {step === 1 && upload ? (
        <CheckStep
          {...props}
          upload={upload}
          shown={shown}
          error={preview.error ?? importing.error}
          onChange={check}
          onRestart={restart}
          onImport={() => importing.mutate(upload)}
        />
      ) : null}
      {running}
      {importing.data ? (
        <ResultStep outcome={props.outcome(importing.data)} labels={labels} onRestart={restart} />
      ) : null}
    </Card>
  );
}

function CheckStep<U extends ImportUpload, P, R>(
  props: ImportWizardProps<U, P, R> & {
    upload: U;
    shown: P | undefined;
    error: unknown;
    onChange: (upload: U) => void;
    onRestart: () => void;
    onImport: () => void;
  },
) {
  const { upload, shown } = props;
  const loading = props.preview.isPending;
  const mapping = shown === undefined ? undefined : props.mapping(shown);
  const start = props.start(shown);
  const mapped = mapping !== undefined && mapping.problems.length === 0;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {props.error ? <Alert type="error" showIcon title={errorText(props.error)} /> : null}
      {!shown && loading ? <Spin /> : null}
      {shown !== undefined && mapping ? (
        <>
          {props.summary(shown, upload)}
          <ColumnMapping
            help={mapping.help}
            fields={mapping.fields}
            headers={mapping.headers}
            mapping={mapping.mapping}
            problems={mapping.problems}
            crs={upload.crs}
            disabled={loading}
            idPrefix={props.idPrefix}
            onField={(field, header) =>
              props.onChange({
                ...upload,
                mapping: { ...mapping.mapping, ...upload.mapping, [field]: header },
              })
            }
            onCrs={(crs) => props.onChange({ ...upload, crs })}
          />
          {props.settings?.(shown, upload, props.onChange, loading)}
          {props.rows(shown, loading)}
        </>
      ) : null}
      <Space wrap>
        <Button onClick={props.onRestart}>{props.labels.chooseAgain}</Button>
        <Button
          type="primary"
          loading={props.importing.isPending}
          disabled={!mapped || loading || !start.enabled}
          onClick={props.onImport}
        >
          {start.label}
        </Button>
      </Space>
    </Space>
  );
}

function ResultStep({
  outcome,
  labels,
  onRestart,
}: {
  outcome: ImportOutcome;
  labels: ImportWizardLabels;
  onRestart: () => void;
}) {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Alert type={outcome.alert.type} showIcon title={outcome.alert.title} />
      <CountRow testId={outcome.counts.testId} items={outcome.counts.items} />
      {outcome.rejected ? (
        <>
          <Space wrap>
            <Button icon={<DownloadOutlined />} href={outcome.rejected.reportUrl('xlsx')}>
              {labels.downloadXlsx}
            </Button>
            <Button icon={<DownloadOutlined />} href={outcome.rejected.reportUrl('csv')}>
              {labels.downloadCsv}
            </Button>
          </Space>
          {outcome.rejected.table}
        </>
      ) : null}
      {outcome.extra}
      <Space wrap>
        <Button type="primary" onClick={onRestart}>
          {labels.again}
        </Button>
        <Link to={labels.done.to}>
          <Button>{labels.done.label}</Button>
        </Link>
      </Space>
    </Space>
  );
}

/** How a row's problems show: in a column of their own, or under the row across the whole table. */
export type ProblemsPlacement = { column: string; ok: string } | { below: (problem: string) => string };

/**
 * A table of file rows (numbered as in the file) with each row's problems: the preview of what will be
 * imported and the list of what was not.
 */
export function ImportRowsTable<T extends { row: number }>(props: {
  title: string;
  testId: string;
  rowTitle: string;
  rows: readonly T[];
  columns: ColumnsType<T>;
  problems: (row: T) => readonly string[];
  placement: ProblemsPlacement;
  loading?: boolean;
  /** Keeps the row number in view when the table scrolls sideways (many mapped fields). */
  scroll?: boolean;
}) {
  const { rows, problems, placement } = props;
  const columns: ColumnsType<T> = [
    {
      key: 'row',
      title: props.rowTitle,
      dataIndex: 'row',
      width: 64,
      ...(props.scroll ? { fixed: 'left' as const } : {}),
    },
    ...props.columns,
    ...('column' in placement
      ? [
          {
            key: 'problems',
            title: placement.column,
            render: (_: unknown, row: T) =>
              problems(row).length ? (
                <Typography.Text type="danger">{problems(row).join('；')}</Typography.Text>
              ) : (
                <Typography.Text type="success">{placement.ok}</Typography.Text>
              ),
          },
        ]
      : []),
  ];
  return (
    <Card size="small" title={props.title}>
      <Table<T>
        data-testid={props.testId}
        rowKey="row"
        size="small"
        loading={props.loading}
        dataSource={[...rows]}
        columns={columns}
        pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        scroll={props.scroll ? { x: 'max-content' } : undefined}
        // Problems under their row span the whole table, where a long reason reads in one line.
        expandable={
          'below' in placement
            ? {
                showExpandColumn: false,
                expandedRowKeys: rows.filter((row) => problems(row).length).map((row) => row.row),
                rowExpandable: (row) => problems(row).length > 0,
                expandedRowRender: (row) => (
                  <Typography.Text type="danger">
                    {problems(row).map((problem) => (
                      <div key={problem}>{placement.below(problem)}</div>
                    ))}
                  </Typography.Text>
                ),
              }
            : undefined
        }
      />
    </Card>
  );
}
