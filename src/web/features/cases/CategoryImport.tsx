import { InboxOutlined } from '@ant-design/icons';
import { Alert, App, Modal, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportReport, ImportRowError } from '../../../shared/territory.ts';
import { ApiError, errorText } from '../../api/client.ts';
import { useImportCategories } from './api.ts';

/** The columns of the exchange format (category-csv.ts on the server). */
const COLUMNS =
  'kind, major_code, major_name, code, name, register_limit, dispatch_limit, handle_limit, verify_limit, default_department, on_the_spot, public';

/** The report of a file the server refused (IMPORT_REJECTED), with its lines at fault. */
function rejectedReport(error: unknown): ImportReport | null {
  if (error instanceof ApiError && error.code === 'IMPORT_REJECTED') return error.details as ImportReport;
  return null;
}

/**
 * Imports categories from CSV in two steps: the chosen file is checked first (nothing is written) and the
 * result shown — what would be created and updated, or every bad line — then imported on confirmation.
 */
export function CategoryImportModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const importer = useImportCategories();
  const [file, setFile] = useState<{ name: string; csv: string } | null>(null);
  const checked = importer.data && !importer.data.applied ? importer.data : null;
  const rejected = rejectedReport(importer.error);

  const choose = async (chosen: File) => {
    const csv = await chosen.text();
    setFile({ name: chosen.name, csv });
    importer.mutate({ csv, dryRun: true });
    return false;
  };

  const apply = () => {
    if (!file || !checked) return;
    importer.mutate(
      { csv: file.csv, dryRun: false },
      {
        onSuccess: (report) => {
          void message.success(t('categoryAdmin.importDialog.applied', report));
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      open
      title={t('categoryAdmin.importDialog.title')}
      onCancel={onClose}
      onOk={apply}
      okText={t('categoryAdmin.importDialog.apply')}
      okButtonProps={{ disabled: !checked }}
      cancelText={t('common.cancel')}
      confirmLoading={importer.isPending && importer.variables?.dryRun === false}
      width={720}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t('categoryAdmin.importDialog.help', { columns: COLUMNS })}
      </Typography.Paragraph>
      <Upload.Dragger
        accept=".csv,text/csv"
        multiple={false}
        showUploadList={false}
        beforeUpload={(chosen) => choose(chosen)}
        disabled={importer.isPending}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{file ? file.name : t('categoryAdmin.importDialog.choose')}</p>
      </Upload.Dragger>
      <div style={{ marginTop: 16 }} data-testid="category-import-result">
        {checked ? (
          <Alert type="success" showIcon title={t('categoryAdmin.importDialog.checked', checked)} />
        ) : null}
        {importer.isError ? (
          <Alert type="error" showIcon title={errorText(importer.error)} style={{ marginBottom: 12 }} />
        ) : null}
        {rejected?.errors.length ? (
          <Table<ImportRowError>
            size="small"
            rowKey={(row) => `${row.line}:${row.code ?? ''}`}
            dataSource={rejected.errors}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            columns={[
              { key: 'line', title: t('categoryAdmin.importDialog.line'), dataIndex: 'line', width: 72 },
              { key: 'code', title: t('categoryAdmin.importDialog.code'), dataIndex: 'code', width: 90 },
              { key: 'reason', title: t('categoryAdmin.importDialog.reason'), dataIndex: 'reason' },
            ]}
          />
        ) : null}
      </div>
    </Modal>
  );
}
