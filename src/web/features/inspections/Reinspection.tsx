import { App, Button, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CampaignDetail, CampaignRound } from '../../../shared/campaigns.ts';
import type { VisitDetail } from '../../../shared/visits.ts';
import { errorText } from '../../api/client.ts';
import { showServerIssues } from '../../components/formErrors.ts';
import { PhotoUpload } from '../../components/PhotoUpload.tsx';
import { useReinspect, useScheduleReinspection } from './api.ts';

/*
 * 回头看（复查）from the console: a campaign's managers schedule a re-inspection round of the targets a regular
 * round found failing; an inspector of the campaign re-inspects one failed item once its case awaits
 * verification.
 */

interface RoundValues {
  roundId: number;
  window: [Dayjs, Dayjs];
}

/** Schedules a re-inspection round: the button on the rounds tab of a running campaign's managers. */
export function ScheduleReinspectionButton({
  detail,
  rounds,
}: {
  detail: CampaignDetail;
  rounds: CampaignRound[];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<RoundValues>();
  const schedule = useScheduleReinspection(detail.id);
  const regular = rounds.filter((r) => r.kind === 'regular');
  if (!detail.rights.manage || detail.status !== 'running' || !regular.length) return null;

  const submit = async () => {
    const values = await form.validateFields();
    schedule.mutate(
      {
        rowVersion: detail.rowVersion,
        roundId: values.roundId,
        opensOn: values.window[0].format('YYYY-MM-DD'),
        dueOn: values.window[1].format('YYYY-MM-DD'),
      },
      {
        onSuccess: () => {
          setOpen(false);
          void message.success(t('inspections.reinspection.scheduled'));
        },
        onError: (error) => {
          if (!showServerIssues(form, error, ['roundId', 'opensOn', 'dueOn']))
            void message.error(errorText(error));
        },
      },
    );
  };

  return (
    <>
      <Button
        data-testid="schedule-reinspection"
        onClick={() => {
          form.setFieldsValue({
            roundId: regular[regular.length - 1]?.id,
            window: [dayjs(), dayjs().add(7, 'day')],
          });
          setOpen(true);
        }}
      >
        {t('inspections.reinspection.schedule')}
      </Button>
      <Modal
        open={open}
        title={t('inspections.reinspection.schedule')}
        okText={t('inspections.reinspection.scheduleOk')}
        cancelText={t('common.cancel')}
        confirmLoading={schedule.isPending}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <p>{t('inspections.reinspection.scheduleHelp')}</p>
        <Form form={form} layout="vertical">
          <Form.Item
            name="roundId"
            label={t('inspections.reinspection.sourceRound')}
            rules={[{ required: true }]}
          >
            <Select
              options={regular.map((r) => ({
                value: r.id,
                label: `${t('inspections.roundN', { number: r.number })} · ${r.opensOn} ~ ${r.dueOn}`,
              }))}
            />
          </Form.Item>
          <Form.Item name="window" label={t('inspections.fields.window')} rules={[{ required: true }]}>
            <DatePicker.RangePicker />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

interface ReinspectValues {
  outcome: 'pass' | 'fail';
  note?: string;
  evidence?: string[];
}

/** Re-inspects one failed item: only for an inspector of the campaign, once the item's case awaits verification. */
export function ReinspectButton({
  visit,
  answer,
}: {
  visit: VisitDetail;
  answer: VisitDetail['answers'][number];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<ReinspectValues>();
  const reinspect = useReinspect(visit.id);
  const outcome = Form.useWatch('outcome', form);

  const submit = async () => {
    const values = await form.validateFields();
    reinspect.mutate(
      {
        itemKey: answer.itemKey,
        body: { outcome: values.outcome, note: values.note?.trim() ?? '', evidence: values.evidence ?? [] },
      },
      {
        onSuccess: () => {
          setOpen(false);
          form.resetFields();
          void message.success(
            values.outcome === 'pass'
              ? t('inspections.reinspection.passed')
              : t('inspections.reinspection.failed'),
          );
        },
        onError: (error) => {
          if (!showServerIssues(form, error, ['note', 'evidence'])) void message.error(errorText(error));
        },
      },
    );
  };

  return (
    <>
      <Button
        size="small"
        type="primary"
        data-testid={`reinspect-${answer.itemKey}`}
        onClick={() => setOpen(true)}
      >
        {t('inspections.reinspection.action')}
      </Button>
      <Modal
        open={open}
        title={t('inspections.reinspection.title', { key: answer.itemKey, question: answer.question })}
        okText={t('inspections.reinspection.submit')}
        cancelText={t('common.cancel')}
        confirmLoading={reinspect.isPending}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
      >
        <p>{t('inspections.reinspection.help', { caseNumber: answer.case?.caseNumber ?? '' })}</p>
        <Form form={form} layout="vertical" initialValues={{ outcome: 'pass', evidence: [] }}>
          <Form.Item name="outcome" label={t('inspections.visit.outcome')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={[
                { value: 'pass', label: t('inspections.visit.reinspectPass') },
                { value: 'fail', label: t('inspections.visit.reinspectFail') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="note"
            label={t('inspections.visit.note')}
            rules={[{ required: outcome === 'fail', message: t('inspections.reinspection.reasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={1000} showCount />
          </Form.Item>
          <Form.Item name="evidence" label={t('inspections.visit.photos')}>
            <PhotoUpload max={10} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
