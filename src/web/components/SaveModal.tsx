import { Alert, Modal } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/client.ts';

/**
 * The dialog every create-or-edit form of the console sits in: 保存 submits the form, 取消 closes, the save's
 * error shows above the fields, and the fields are dropped on close so the next opening starts afresh.
 */
export function SaveModal(props: {
  title: string;
  onClose: () => void;
  onSave: () => void;
  saving: boolean;
  /** The failed save's error, shown above the form; null or absent when there is none to show. */
  error?: unknown;
  width?: number;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={props.title}
      onCancel={props.onClose}
      onOk={props.onSave}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={props.saving}
      width={props.width}
      destroyOnHidden
    >
      {props.error ? (
        <Alert type="error" showIcon title={errorText(props.error)} style={{ marginBottom: 12 }} />
      ) : null}
      {props.children}
    </Modal>
  );
}
