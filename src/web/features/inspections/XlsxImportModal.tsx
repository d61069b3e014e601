import { InboxOutlined } from '@ant-design/icons';
import { Alert, Modal, Table, Typography, Upload } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportReport, ImportRowError } from '../../../shared/territory.ts';
import { ApiError, errorText } from '../../api/client.ts';

/** The rows of a file the server refused (IMPORT_REJECTED), each with its reasons. */
function rejectedRows(error: unknown): ImportRowError[] {
  if (error instanceof ApiError && error.code === 'IMPORT_REJECTED') {
    return (error.details as ImportReport | undefined)?.errors ?? [];
  }
  return [];
}

/**
 * An XLSX import of the section (a checklist, a task book): the fields the file needs besides itself, the file,
 * and — when the server refuses it — every rejected row with its reasons. Nothing is written from a file with
 * a wrong row, so the user fixes the file and chooses it again.
 */
export function XlsxImportModal(props: {
  title: string;
  help: ReactNode;
  /** Fields above the file (the book's title, deadline …). */
  fields?: ReactNode;
  fileName: string | null;
  onFile: (file: File) => void;
  /** What the last check or import said, when it went through. */
  outcome?: ReactNode;
  error: unknown;
  busy: boolean;
  okText: string;
  okDisabled: boolean;
  onOk: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const rejected = rejectedRows(props.error);
  return (
    <Modal
      open
      title={props.title}
      onCancel={props.onClose}
      onOk={props.onOk}
      okText={props.okText}
      okButtonProps={{ disabled: props.okDisabled }}
      cancelText={t('common.cancel')}
      confirmLoading={props.busy}
      width={760}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{props.help}</Typography.Paragraph>
      {props.fields}
      <Upload.Dragger
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        multiple={false}
        showUploadList={false}
        beforeUpload={(file) => {
          props.onFile(file);
          return false;
        }}
        disabled={props.busy}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{props.fileName ?? t('inspections.import.choose')}</p>
      </Upload.Dragger>
      <div style={{ marginTop: 16 }} data-testid="xlsx-import-result">
        {props.outcome}
        {props.error ? (
          <Alert type="error" showIcon title={errorText(props.error)} style={{ marginBottom: 12 }} />
        ) : null}
        {rejected.length ? (
          <Table<ImportRowError>
            size="small"
            rowKey={(row) => `${row.line}:${row.code ?? ''}:${row.reason}`}
            dataSource={rejected}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            columns={[
              { key: 'line', title: t('inspections.import.line'), dataIndex: 'line', width: 72 },
              {
                key: 'code',
                title: t('inspections.import.key'),
                width: 90,
                render: (_: unknown, row) => row.code ?? '—',
              },
              { key: 'reason', title: t('inspections.import.reason'), dataIndex: 'reason' },
            ]}
          />
        ) : null}
      </div>
    </Modal>
  );
}
