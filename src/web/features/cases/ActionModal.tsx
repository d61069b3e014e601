import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, InputNumber, Modal, Rate, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { REJECT_REASON_LABELS, REJECT_REASONS } from '../../../shared/case-workflow.ts';
import { type CaseActionName, type CaseDetail, TIME_UNIT_LABELS, TIME_UNITS } from '../../../shared/cases.ts';
import { ApiError, errorText } from '../../api/client.ts';
import { PhotoUpload } from '../../components/PhotoUpload.tsx';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { useDepartments } from '../people/api.ts';
import { caseKey, useCaseAction } from './api.ts';
import { useCaseLabels } from './labels.tsx';

interface ActionValues {
  note?: string;
  reason?: string;
  rejectReason?: (typeof REJECT_REASONS)[number];
  originalCaseNumber?: string;
  leadDepartmentId?: number;
  assistingDepartmentIds?: number[];
  departmentIds?: number[];
  amount?: number;
  unit?: (typeof TIME_UNITS)[number];
  score?: number;
  comment?: string;
  evidence?: string[];
  beforePhotos?: string[];
  afterPhotos?: string[];
}

type Field =
  | 'note'
  | 'noteRequired'
  | 'reason'
  | 'reject'
  | 'dispatch'
  | 'departments'
  | 'extension'
  | 'rate'
  | 'evidence';

/** The form fields of each action (caseActionInputSchemas in src/shared/cases.ts). */
const ACTION_FIELDS: Record<CaseActionName, readonly Field[]> = {
  register: ['note'],
  reject: ['reject', 'note'],
  dispatch: ['dispatch', 'note'],
  recall: ['reason'],
  reassign: ['dispatch', 'reason'],
  whistle: ['departments', 'note'],
  accept: ['note'],
  return: ['reason'],
  requestExtension: ['extension', 'reason'],
  approveExtension: ['extension', 'note'],
  refuseExtension: ['reason'],
  suspend: ['reason'],
  resume: ['note'],
  finish: ['noteRequired', 'evidence'],
  verifyPass: ['note'],
  verifyFail: ['reason'],
  handleOnTheSpot: ['note', 'evidence'],
  rate: ['rate'],
  supervise: ['note'],
};

const trimmed = (value: string | undefined) => value?.trim() || undefined;

function bodyOf(action: CaseActionName, values: ActionValues): Record<string, unknown> {
  const note = trimmed(values.note);
  switch (action) {
    case 'reject':
      return values.rejectReason === 'duplicate'
        ? { reason: 'duplicate', originalCaseNumber: trimmed(values.originalCaseNumber), note }
        : { reason: values.rejectReason, note };
    case 'dispatch':
    case 'reassign':
      return {
        leadDepartmentId: values.leadDepartmentId,
        assistingDepartmentIds: values.assistingDepartmentIds?.length
          ? values.assistingDepartmentIds
          : undefined,
        ...(action === 'reassign' ? { reason: trimmed(values.reason) } : { note }),
      };
    case 'whistle':
      return { departmentIds: values.departmentIds ?? [], note };
    case 'return':
    case 'recall':
    case 'refuseExtension':
    case 'suspend':
    case 'verifyFail':
      return { reason: trimmed(values.reason) };
    case 'requestExtension':
      return { extension: { amount: values.amount, unit: values.unit }, reason: trimmed(values.reason) };
    case 'approveExtension':
      return { extension: { amount: values.amount, unit: values.unit }, note };
    case 'finish':
      return { note, evidence: values.evidence ?? [] };
    case 'handleOnTheSpot':
      return { note, beforePhotos: values.beforePhotos ?? [], afterPhotos: values.afterPhotos ?? [] };
    case 'rate':
      return { score: values.score, comment: trimmed(values.comment) };
    default:
      return { note };
  }
}

/** A small form for one workflow action; always sends the version of the case as loaded. */
export function ActionModal({
  detail,
  action,
  onClose,
}: {
  detail: CaseDetail;
  action: CaseActionName;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const labels = useCaseLabels();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ActionValues>();
  const rejectReason = Form.useWatch('rejectReason', form);
  const fields = ACTION_FIELDS[action];
  const needsDepartments = fields.includes('dispatch') || fields.includes('departments');
  const departments = useDepartments();
  const departmentOptions = needsDepartments
    ? (departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))
    : [];
  const run = useCaseAction(detail.id);
  const required = { required: true, message: t('cases.action.required') };
  const photoRequired = {
    required: true,
    type: 'array' as const,
    min: 1,
    message: t('cases.photos.required'),
  };
  const reasonRules = [required, { min: 2, whitespace: true, message: t('cases.action.reasonLength') }];
  const unitOptions = TIME_UNITS.map((unit) => ({
    value: unit,
    label: pickLabel(TIME_UNIT_LABELS[unit], locale),
  }));

  const submit = (values: ActionValues) => {
    run.mutate(
      { action, body: { version: detail.version, ...bodyOf(action, values) } },
      {
        onSuccess: () => {
          void message.success(t('cases.done', { action: labels.action(action) }));
          onClose();
        },
        onError: (error) => {
          if (error instanceof ApiError && error.status === 409) {
            // The page closes this form if the reloaded case no longer allows the action; say why first.
            void message.warning({
              content: `${errorText(error)} ${t('cases.conflict')}`,
              key: 'case-conflict',
            });
            void queryClient.invalidateQueries({ queryKey: caseKey(detail.id) });
          }
        },
      },
    );
  };

  return (
    <Modal
      open
      title={labels.action(action)}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={labels.action(action)}
      cancelText={t('common.cancel')}
      confirmLoading={run.isPending}
      destroyOnHidden
    >
      {run.isError ? (
        <Alert
          type="error"
          showIcon
          data-testid="action-error"
          title={errorText(run.error)}
          description={
            run.error instanceof ApiError && run.error.code === 'CONFLICT' ? t('cases.conflict') : undefined
          }
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Form<ActionValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          leadDepartmentId: detail.suggestedDepartmentId ?? undefined,
          unit: 'workingDays',
          amount: 1,
          score: 5,
        }}
      >
        {fields.includes('reject') ? (
          <>
            <Form.Item name="rejectReason" label={t('cases.action.rejectReason')} rules={[required]}>
              <Select
                options={REJECT_REASONS.map((r) => ({
                  value: r,
                  label: pickLabel(REJECT_REASON_LABELS[r], locale),
                }))}
              />
            </Form.Item>
            {rejectReason === 'duplicate' ? (
              <Form.Item
                name="originalCaseNumber"
                label={t('cases.action.originalCaseNumber')}
                rules={[required]}
              >
                <Input placeholder={detail.possibleDuplicates[0]?.caseNumber} />
              </Form.Item>
            ) : null}
          </>
        ) : null}
        {fields.includes('dispatch') ? (
          <>
            <Form.Item
              name="leadDepartmentId"
              label={t('cases.action.leadDepartment')}
              rules={[required]}
              extra={
                action === 'dispatch' && detail.suggestedBecause
                  ? t(`cases.action.suggested.${detail.suggestedBecause}`)
                  : undefined
              }
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={departmentOptions}
                loading={departments.isPending}
              />
            </Form.Item>
            <Form.Item name="assistingDepartmentIds" label={t('cases.action.assistingDepartments')}>
              <Select
                mode="multiple"
                showSearch={{ optionFilterProp: 'label' }}
                options={departmentOptions}
              />
            </Form.Item>
          </>
        ) : null}
        {fields.includes('departments') ? (
          <Form.Item name="departmentIds" label={t('cases.action.departments')} rules={[required]}>
            <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={departmentOptions} />
          </Form.Item>
        ) : null}
        {fields.includes('extension') ? (
          <Form.Item label={t('cases.action.amount')} required>
            <div style={{ display: 'flex', gap: 8 }}>
              <Form.Item name="amount" noStyle rules={[required]}>
                <InputNumber min={0.5} max={1000} step={1} style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name="unit" noStyle rules={[required]}>
                <Select options={unitOptions} style={{ width: 160 }} aria-label={t('cases.action.unit')} />
              </Form.Item>
            </div>
          </Form.Item>
        ) : null}
        {fields.includes('rate') ? (
          <>
            <Form.Item name="score" label={t('cases.action.score')} rules={[required]}>
              <Rate />
            </Form.Item>
            <Form.Item name="comment" label={t('cases.action.comment')}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </>
        ) : null}
        {fields.includes('reason') ? (
          <Form.Item name="reason" label={t('cases.action.reason')} rules={reasonRules}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        ) : null}
        {fields.includes('note') ? (
          <Form.Item name="note" label={t('cases.action.note')}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        ) : null}
        {fields.includes('noteRequired') ? (
          <Form.Item name="note" label={t('cases.action.note')} rules={reasonRules}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        ) : null}
        {fields.includes('evidence') && action === 'handleOnTheSpot' ? (
          <>
            <Form.Item name="beforePhotos" label={t('cases.photos.before')} rules={[photoRequired]}>
              <PhotoUpload />
            </Form.Item>
            <Form.Item name="afterPhotos" label={t('cases.photos.after')} rules={[photoRequired]}>
              <PhotoUpload />
            </Form.Item>
          </>
        ) : null}
        {fields.includes('evidence') && action !== 'handleOnTheSpot' ? (
          <Form.Item name="evidence" label={t('cases.photos.evidence')} rules={[photoRequired]}>
            <PhotoUpload />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
