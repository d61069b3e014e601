import { DatePicker, Form, Input, InputNumber, Modal, message, Radio, Select, Upload } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type MediationDetail, REFERRAL_TARGET_LABELS, REFERRAL_TARGETS } from '../../../shared/mediation.ts';
import { errorText, uploadEvidence } from '../../api/client.ts';
import { useMediationAction } from './api.ts';
import { label } from './text.ts';

export type ActionKind = 'session' | 'extend' | 'settle' | 'refer' | 'followUp' | 'confirmation';

const PATHS: Record<ActionKind, string> = {
  session: 'sessions',
  extend: 'extensions',
  settle: 'settle',
  refer: 'refer',
  followUp: 'follow-up',
  confirmation: 'confirmation',
};
const TITLES = {
  session: 'mediation.actions.session',
  extend: 'mediation.actions.extend',
  settle: 'mediation.actions.settle',
  refer: 'mediation.actions.refer',
  followUp: 'mediation.actions.followUp',
  confirmation: 'mediation.actions.confirmation',
} as const satisfies Record<ActionKind, string>;

const day = (value: Dayjs | undefined) => (value ? value.format('YYYY-MM-DD') : undefined);

/** The form of one step of a mediation; the server names a wrong field, shown as it says. */
export function MediationActionModal({
  mediation,
  kind,
  onClose,
}: {
  mediation: MediationDetail;
  kind: ActionKind;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm();
  const action = useMediationAction(mediation.id);
  const [evidence, setEvidence] = useState<string[]>([]);
  const needsPhoto = (kind === 'settle' || kind === 'refer') && mediation.caseId !== null;
  const submit = async () => {
    const values = await form.validateFields();
    const body: Record<string, unknown> = { ...values, version: mediation.version };
    if (kind === 'session') body.heldAt = new Date().toISOString();
    if (kind === 'settle') body.performBy = day(values.performBy);
    if (kind === 'settle' || kind === 'refer') body.evidence = evidence;
    try {
      await action.mutateAsync({ path: PATHS[kind], body });
      onClose();
    } catch (error) {
      void message.error(errorText(error));
    }
  };
  const text = (name: string, title: string, rows = 3, required = true) => (
    <Form.Item name={name} label={title} rules={[{ required }]}>
      <Input.TextArea rows={rows} />
    </Form.Item>
  );
  return (
    <Modal
      open
      title={`${t(TITLES[kind])} · ${mediation.number}`}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('mediation.actions.save')}
      confirmLoading={action.isPending}
    >
      <Form form={form} layout="vertical" initialValues={{ days: 15, performed: true, applied: true }}>
        {kind === 'session' ? (
          <>
            <Form.Item name="place" label={t('mediation.detail.place')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            {text('matter', t('mediation.detail.matter'), 2)}
            {text('result', t('mediation.detail.result'), 2)}
            {mediation.procedure === 'standard'
              ? text('transcript', t('mediation.detail.transcript'), 5)
              : null}
          </>
        ) : null}
        {kind === 'extend' ? (
          <>
            <Form.Item name="days" label={t('mediation.form.days')} rules={[{ required: true }]}>
              <InputNumber min={1} max={90} />
            </Form.Item>
            {text('reason', t('mediation.form.reason'), 2)}
            {text('consent', t('mediation.form.consent'), 2)}
          </>
        ) : null}
        {kind === 'settle' ? (
          <>
            {text('facts', t('mediation.form.facts'), 3)}
            {text('terms', t('mediation.form.terms'), 4)}
            <Form.Item
              name="performanceMethod"
              label={t('mediation.form.performanceMethod')}
              rules={[{ required: true }]}
            >
              <Input />
            </Form.Item>
            <Form.Item
              name="performancePlace"
              label={t('mediation.form.performancePlace')}
              rules={[{ required: true }]}
            >
              <Input />
            </Form.Item>
            <Form.Item
              name="performBy"
              label={t('mediation.form.performBy')}
              rules={[{ required: true }]}
              initialValue={dayjs().add(10, 'day')}
            >
              <DatePicker />
            </Form.Item>
          </>
        ) : null}
        {kind === 'refer' ? (
          <>
            <Form.Item name="referredTo" label={t('mediation.form.referredTo')} rules={[{ required: true }]}>
              <Select
                options={REFERRAL_TARGETS.map((r) => ({
                  value: r,
                  label: label(REFERRAL_TARGET_LABELS[r], i18n.language),
                }))}
              />
            </Form.Item>
            <Form.Item name="department" label={t('mediation.form.department')}>
              <Input />
            </Form.Item>
            {text('reason', t('mediation.form.reason'), 3)}
          </>
        ) : null}
        {kind === 'followUp' ? (
          <>
            <Form.Item name="performed" label={t('mediation.form.performedQuestion')}>
              <Radio.Group
                options={[
                  { value: true, label: t('mediation.detail.performed') },
                  { value: false, label: t('mediation.detail.notPerformed') },
                ]}
              />
            </Form.Item>
            {text('note', t('mediation.form.note'), 2)}
          </>
        ) : null}
        {kind === 'confirmation' ? (
          <>
            <Form.Item name="applied" label={t('mediation.form.appliedQuestion')}>
              <Radio.Group
                options={[
                  { value: true, label: t('mediation.detail.applied') },
                  { value: false, label: t('mediation.detail.notApplied') },
                ]}
              />
            </Form.Item>
            {text('note', t('mediation.form.note'), 2, false)}
          </>
        ) : null}
        {needsPhoto ? (
          <Form.Item label={t('mediation.actions.upload')} required>
            <Upload
              accept="image/jpeg,image/png"
              listType="picture"
              data-testid="signed-photo"
              customRequest={async ({ file, onSuccess, onError }) => {
                try {
                  const { id } = await uploadEvidence(file as Blob);
                  setEvidence((list) => [...list, id]);
                  onSuccess?.(id);
                } catch (error) {
                  onError?.(error as Error);
                  void message.error(errorText(error));
                }
              }}
            />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
