import { DownloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Form,
  Progress,
  Select,
  Space,
  Spin,
  Steps,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import {
  MAX_REGISTRY_UPLOAD_BYTES,
  REGISTRY_PATHS,
  type RegistryEntity,
  type RegistryImport,
  type RegistryPreview,
} from '../../../shared/registry.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { ColumnMapping, CountRow, FileDrop } from '../../components/FileImport.tsx';
import { formatDateTime } from '../../components/time.ts';
import {
  errorReportUrl,
  type RegistryUpload,
  useImportFile,
  useImportPreview,
  useRecentImports,
  useRunningImports,
} from './api.ts';
import { useRegistryLabels } from './labels.ts';
import { policyOf } from './policy.ts';

const STATUS_COLORS: Record<RegistryImport['status'], string> = {
  running: 'processing',
  done: 'green',
  failed: 'red',
};

/**
 * `/registry/import?entity=`: the registry import wizard — choose the type and a file, check the suggested
 * column mapping and the first rows' problems, import with progress, and take away the rows not imported.
 */
export default function ImportPage() {
  const { t } = useTranslation();
  const labels = useRegistryLabels();
  const [params, setParams] = useSearchParams();
  const policy = policyOf(useSession().data?.user.role);
  const readable = policy?.read ?? [];
  const entity: RegistryEntity = readable.find((e) => e === params.get('entity')) ?? 'resident';
  const [upload, setUpload] = useState<RegistryUpload | null>(null);
  // The last preview stays on screen while the next one (after a mapping change) is on its way.
  const [shown, setShown] = useState<RegistryPreview | undefined>();
  const preview = useImportPreview();
  const importing = useImportFile();

  const check = (next: RegistryUpload) => {
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
  const step = importing.data ? 3 : importing.isPending ? 2 : upload ? 1 : 0;

  return (
    <Card title={t('registry.import.title')}>
      <Steps
        current={step}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('registry.import.steps.file') },
          { title: t('registry.import.steps.check') },
          { title: t('registry.import.steps.run') },
          { title: t('registry.import.steps.result') },
        ]}
      />
      {step === 0 ? (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Form layout="inline">
            <Form.Item label={t('registry.import.entity')} htmlFor="registry-import-entity">
              <Select
                id="registry-import-entity"
                data-testid="import-entity"
                style={{ width: 200 }}
                value={entity}
                onChange={(value: RegistryEntity) => setParams({ entity: value }, { replace: true })}
                options={readable.map((e) => ({ value: e, label: labels.entity(e) }))}
              />
            </Form.Item>
          </Form>
          <FileDrop
            text={t('registry.import.drop')}
            hint={t('registry.import.hint', { size: MAX_REGISTRY_UPLOAD_BYTES / 1024 / 1024 })}
            onChosen={(file) => check({ entity, file, mapping: {}, crs: 'wgs84' })}
          />
          <RecentImports />
        </Space>
      ) : null}
      {step === 1 && upload ? (
        <CheckStep
          upload={upload}
          preview={shown}
          loading={preview.isPending}
          error={preview.error ?? importing.error}
          onChange={check}
          onRestart={restart}
          onImport={() => importing.mutate(upload)}
        />
      ) : null}
      {step === 2 && upload ? <RunningStep upload={upload} /> : null}
      {step === 3 && importing.data ? <ResultStep result={importing.data} onRestart={restart} /> : null}
    </Card>
  );
}

function CheckStep(props: {
  upload: RegistryUpload;
  preview: RegistryPreview | undefined;
  loading: boolean;
  error: unknown;
  onChange: (upload: RegistryUpload) => void;
  onRestart: () => void;
  onImport: () => void;
}) {
  const { t } = useTranslation();
  const { upload, preview } = props;
  const mapped = preview !== undefined && preview.problems.length === 0;
  const shownFields = preview?.fields.filter((field) => preview.mapping[field.field]) ?? [];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {props.error ? <Alert type="error" showIcon title={errorText(props.error)} /> : null}
      {!preview && props.loading ? <Spin /> : null}
      {preview ? (
        <>
          <Typography.Text>
            {t('registry.import.fileInfo', {
              name: upload.file.name,
              format: preview.format.toUpperCase(),
              row: preview.headerRow,
            })}
          </Typography.Text>
          <ColumnMapping
            help={t('registry.import.mappingHelp')}
            fields={preview.fields}
            headers={preview.headers}
            mapping={preview.mapping}
            problems={preview.problems}
            crs={upload.crs}
            disabled={props.loading}
            idPrefix="registry"
            onField={(field, header) =>
              props.onChange({
                ...upload,
                mapping: { ...preview.mapping, ...upload.mapping, [field]: header },
              })
            }
            onCrs={(crs) => props.onChange({ ...upload, crs })}
          />
          <Card size="small" title={t('registry.import.previewTitle', { count: preview.rows.length })}>
            <Table<RegistryPreview['rows'][number]>
              data-testid="registry-import-preview"
              rowKey="row"
              size="small"
              loading={props.loading}
              dataSource={preview.rows}
              pagination={false}
              scroll={{ x: 'max-content' }}
              columns={[
                {
                  key: 'row',
                  title: t('registry.import.columns.row'),
                  dataIndex: 'row',
                  width: 64,
                  fixed: 'left',
                },
                ...shownFields.map((field) => ({
                  key: field.field,
                  title: field.label,
                  render: (_: unknown, row: RegistryPreview['rows'][number]) =>
                    row.values[field.field] || '—',
                })),
                {
                  key: 'problems',
                  title: t('registry.import.problems'),
                  render: (_: unknown, row: RegistryPreview['rows'][number]) =>
                    row.problems.length ? (
                      <Typography.Text type="danger">{row.problems.join('；')}</Typography.Text>
                    ) : (
                      <Typography.Text type="success">{t('registry.import.rowOk')}</Typography.Text>
                    ),
                },
              ]}
            />
          </Card>
        </>
      ) : null}
      <Space wrap>
        <Button onClick={props.onRestart}>{t('registry.import.chooseAgain')}</Button>
        <Button type="primary" disabled={!mapped || props.loading} onClick={props.onImport}>
          {t('registry.import.start')}
        </Button>
      </Space>
    </Space>
  );
}

/** While the file is read: the counts so far of the import under way, polled every second. */
function RunningStep({ upload }: { upload: RegistryUpload }) {
  const { t } = useTranslation();
  const running = useRunningImports(upload.entity, true);
  const mine = running.data?.find((item) => item.fileName === upload.file.name);
  return (
    <Space
      orientation="vertical"
      size="middle"
      style={{ width: '100%' }}
      data-testid="registry-import-running"
    >
      <Typography.Text>{t('registry.import.running', { name: upload.file.name })}</Typography.Text>
      <Progress percent={100} status="active" showInfo={false} />
      {mine ? (
        <Typography.Text type="secondary">{t('registry.import.progress', mine)}</Typography.Text>
      ) : null}
    </Space>
  );
}

function ResultStep({ result, onRestart }: { result: RegistryImport; onRestart: () => void }) {
  const { t } = useTranslation();
  const { locale } = useRegistryLabels();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {result.status === 'failed' ? (
        <Alert type="error" showIcon title={t('registry.import.failed', { reason: result.failure ?? '' })} />
      ) : (
        <Alert
          type={result.rejected ? 'warning' : 'success'}
          showIcon
          title={t('registry.import.resultTitle', { name: result.fileName })}
        />
      )}
      <CountRow
        testId="registry-import-counts"
        items={[
          { title: t('registry.import.total'), value: result.total },
          { title: t('registry.import.created'), value: result.created },
          { title: t('registry.import.updated'), value: result.updated },
          { title: t('registry.import.unchanged'), value: result.unchanged },
          { title: t('registry.import.rejected'), value: result.rejected, danger: true },
        ]}
      />
      {result.rejected ? (
        <>
          <Space wrap>
            <Button icon={<DownloadOutlined />} href={errorReportUrl(result.id, 'xlsx', locale)}>
              {t('registry.import.downloadXlsx')}
            </Button>
            <Button icon={<DownloadOutlined />} href={errorReportUrl(result.id, 'csv', locale)}>
              {t('registry.import.downloadCsv')}
            </Button>
          </Space>
          <Card size="small" title={t('registry.import.errorsTitle', { count: result.errors.length })}>
            <Table
              data-testid="registry-import-errors"
              rowKey="row"
              size="small"
              dataSource={result.errors}
              pagination={result.errors.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
              columns={[
                { key: 'row', title: t('registry.import.columns.row'), dataIndex: 'row', width: 80 },
                {
                  key: 'reason',
                  title: t('registry.import.columns.reason'),
                  dataIndex: 'reason',
                  render: (reason: string) => <Typography.Text type="danger">{reason}</Typography.Text>,
                },
              ]}
            />
          </Card>
        </>
      ) : null}
      <Space wrap>
        <Button type="primary" onClick={onRestart}>
          {t('registry.import.again')}
        </Button>
        <Link to={`/registry/${REGISTRY_PATHS[result.entity]}`}>
          <Button>{t('registry.import.toList')}</Button>
        </Link>
      </Space>
    </Space>
  );
}

/** The last imports in the user's scope, with their counts and error reports. */
function RecentImports() {
  const { t } = useTranslation();
  const labels = useRegistryLabels();
  const imports = useRecentImports();
  if (!imports.data?.length) return null;
  return (
    <Card size="small" title={t('registry.import.recent')}>
      <Table<RegistryImport>
        rowKey="id"
        size="small"
        dataSource={imports.data}
        pagination={false}
        columns={[
          { key: 'file', title: t('registry.import.columns.file'), dataIndex: 'fileName', ellipsis: true },
          {
            key: 'entity',
            title: t('registry.import.columns.entity'),
            render: (_: unknown, row) => labels.entity(row.entity),
          },
          {
            key: 'status',
            title: t('registry.import.columns.status'),
            render: (_: unknown, row) => (
              <Tag color={STATUS_COLORS[row.status]}>{t(`registry.import.statuses.${row.status}`)}</Tag>
            ),
          },
          { key: 'actor', title: t('registry.import.columns.actor'), dataIndex: 'actorName' },
          {
            key: 'startedAt',
            title: t('registry.import.columns.startedAt'),
            render: (_: unknown, row) => formatDateTime(row.startedAt),
          },
          {
            key: 'counts',
            title: t('registry.import.columns.counts'),
            render: (_: unknown, row) => (
              <Space size={8}>
                <span>{`${row.created} / ${row.updated} / ${row.unchanged} / ${row.rejected}`}</span>
                {row.rejected ? (
                  <a
                    href={errorReportUrl(row.id, 'xlsx', labels.locale)}
                    aria-label={t('registry.import.downloadXlsx')}
                  >
                    <DownloadOutlined />
                  </a>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
