import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Form, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import {
  MAX_REGISTRY_UPLOAD_BYTES,
  REGISTRY_PATHS,
  type RegistryEntity,
  type RegistryImport,
  type RegistryPreview,
} from '../../../shared/registry.ts';
import { useSession } from '../../api/session.ts';
import { ImportRowsTable, ImportWizard } from '../../components/ImportWizard.tsx';
import { formatDateTime } from '../../components/time.ts';
import {
  errorReportUrl,
  type RegistryUpload,
  templateUrl,
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

type PreviewRow = RegistryPreview['rows'][number];
type ImportError = RegistryImport['errors'][number];

/**
 * `/registry/import?entity=`: the registry import wizard — choose the type and a file, check the suggested
 * column mapping and the first rows' problems, import with progress, and take away the rows not imported.
 */
export default function ImportPage() {
  const { t, i18n } = useTranslation();
  const labels = useRegistryLabels();
  const [params, setParams] = useSearchParams();
  const policy = policyOf(useSession().data?.user.role);
  const readable = policy?.read ?? [];
  const entity: RegistryEntity = readable.find((e) => e === params.get('entity')) ?? 'resident';
  const preview = useImportPreview();
  const importing = useImportFile();
  const rowTitle = t('registry.import.columns.row');

  return (
    <ImportWizard<RegistryUpload, RegistryPreview, RegistryImport>
      title={t('registry.import.title')}
      idPrefix="registry"
      labels={{
        steps: {
          file: t('registry.import.steps.file'),
          check: t('registry.import.steps.check'),
          run: t('registry.import.steps.run'),
          result: t('registry.import.steps.result'),
        },
        drop: {
          text: t('registry.import.drop'),
          hint: t('registry.import.hint', { size: MAX_REGISTRY_UPLOAD_BYTES / 1024 / 1024 }),
        },
        chooseAgain: t('registry.import.chooseAgain'),
        downloadXlsx: t('registry.import.downloadXlsx'),
        downloadCsv: t('registry.import.downloadCsv'),
        again: t('registry.import.again'),
        done: {
          to: `/registry/${REGISTRY_PATHS[importing.data?.entity ?? entity]}`,
          label: t('registry.import.toList'),
        },
      }}
      newUpload={(file) => ({ entity, file, mapping: {}, crs: 'wgs84' })}
      preview={preview}
      importing={importing}
      beforeDrop={
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
          <Form.Item>
            <Button
              icon={<DownloadOutlined />}
              href={templateUrl(entity, i18n.language)}
              data-testid="import-template"
            >
              {t('registry.import.template')}
            </Button>
          </Form.Item>
        </Form>
      }
      afterDrop={<RecentImports />}
      mapping={(shown) => ({
        help: t('registry.import.mappingHelp'),
        fields: shown.fields,
        headers: shown.headers,
        mapping: shown.mapping,
        problems: shown.problems,
      })}
      summary={(shown, upload) => (
        <Typography.Text>
          {t('registry.import.fileInfo', {
            name: upload.file.name,
            format: shown.format.toUpperCase(),
            row: shown.headerRow,
          })}
        </Typography.Text>
      )}
      rows={(shown, loading) => (
        <ImportRowsTable<PreviewRow>
          title={t('registry.import.previewTitle', { count: shown.rows.length })}
          testId="registry-import-preview"
          rowTitle={rowTitle}
          rows={shown.rows}
          loading={loading}
          scroll
          columns={shown.fields
            .filter((field) => shown.mapping[field.field])
            .map((field) => ({
              key: field.field,
              title: field.label,
              render: (_: unknown, row: PreviewRow) => row.values[field.field] || '—',
            }))}
          problems={(row) => row.problems}
          placement={{ column: t('registry.import.problems'), ok: t('registry.import.rowOk') }}
        />
      )}
      start={() => ({ label: t('registry.import.start'), enabled: true })}
      running={(upload) => <RunningStep upload={upload} />}
      outcome={(result) => ({
        alert:
          result.status === 'failed'
            ? { type: 'error', title: t('registry.import.failed', { reason: result.failure ?? '' }) }
            : {
                type: result.rejected ? 'warning' : 'success',
                title: t('registry.import.resultTitle', { name: result.fileName }),
              },
        counts: {
          testId: 'registry-import-counts',
          items: [
            { title: t('registry.import.total'), value: result.total },
            { title: t('registry.import.created'), value: result.created },
            { title: t('registry.import.updated'), value: result.updated },
            { title: t('registry.import.unchanged'), value: result.unchanged },
            { title: t('registry.import.rejected'), value: result.rejected, danger: true },
          ],
        },
        rejected: result.rejected
          ? {
              reportUrl: (format) => errorReportUrl(result.id, format, labels.locale),
              table: (
                <ImportRowsTable<ImportError>
                  title={t('registry.import.errorsTitle', { count: result.errors.length })}
                  testId="registry-import-errors"
                  rowTitle={rowTitle}
                  rows={result.errors}
                  columns={[]}
                  problems={(error) => [error.reason]}
                  placement={{ column: t('registry.import.columns.reason'), ok: '' }}
                />
              ),
            }
          : undefined,
      })}
    />
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
