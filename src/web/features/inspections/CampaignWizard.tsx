import {
  Alert,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Steps,
  Switch,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { TIME_UNIT_LABELS, TIME_UNITS } from '../../../shared/cases.ts';
import { RECURRENCE_LABELS, RECURRENCES, type Recurrence } from '../../../shared/inspections.ts';
import { ROLE_LABELS } from '../../../shared/roles.ts';
import { ApiError, errorText } from '../../api/client.ts';
import { showServerIssues } from '../../components/formErrors.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { useChecklists, useCreateCampaign, useInspectorCandidates } from './api.ts';
import { useEnumLabel } from './labels.tsx';

interface Values {
  name: string;
  templateId: number;
  regionCode: string;
  period: [Dayjs, Dayjs];
  recurrence: Recurrence;
  covert: boolean;
  inspectorIds: number[];
  sampleSize?: number | null;
  rectifyMode: 'none' | 'limit' | 'date';
  rectifyAmount?: number | null;
  rectifyUnit: (typeof TIME_UNITS)[number];
  rectifyBy?: Dayjs | null;
  signatureRequired: boolean;
}

/** The fields of each step: a step is left only when its own fields are right. */
const STEP_FIELDS: (keyof Values)[][] = [
  ['name', 'templateId', 'regionCode', 'period', 'recurrence', 'covert'],
  [
    'inspectorIds',
    'sampleSize',
    'rectifyMode',
    'rectifyAmount',
    'rectifyUnit',
    'rectifyBy',
    'signatureRequired',
  ],
];
const SERVER_FIELDS = [
  'name',
  'templateId',
  'regionCode',
  'inspectorIds',
  'sampleSize',
  'rectifyBy',
  'signatureRequired',
];

/** Creates a campaign as a draft in two steps; its targets are added on its page. */
export default function CampaignWizard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const label = useEnumLabel();
  const [form] = Form.useForm<Values>();
  const [step, setStep] = useState(0);
  const templates = useChecklists({ status: 'active' });
  const regionCode = Form.useWatch('regionCode', form);
  const candidates = useInspectorCandidates(regionCode || undefined);
  const create = useCreateCampaign();
  const rectifyMode = Form.useWatch('rectifyMode', form);

  const next = async () => {
    await form.validateFields(STEP_FIELDS[step]);
    setStep((s) => s + 1);
  };

  const submit = async () => {
    await form.validateFields();
    const v = form.getFieldsValue(true) as Values;
    create.mutate(
      {
        name: v.name,
        templateId: v.templateId,
        regionCode: v.regionCode,
        startsOn: v.period[0].format('YYYY-MM-DD'),
        endsOn: v.period[1].format('YYYY-MM-DD'),
        recurrence: v.recurrence,
        covert: v.covert,
        inspectorIds: v.inspectorIds ?? [],
        sampleSize: v.sampleSize ?? null,
        rectifyLimit:
          v.rectifyMode === 'limit' && v.rectifyAmount
            ? { amount: v.rectifyAmount, unit: v.rectifyUnit }
            : null,
        rectifyBy: v.rectifyMode === 'date' && v.rectifyBy ? v.rectifyBy.format('YYYY-MM-DD') : null,
        signatureRequired: v.signatureRequired,
      },
      {
        onSuccess: (campaign) => navigate(`/inspections/campaigns/${campaign.id}?tab=targets`),
        onError: (error) => {
          if (showServerIssues(form, error, SERVER_FIELDS)) setStep(0);
        },
      },
    );
  };

  const activeTemplates = (templates.data ?? []).filter((tpl) => tpl.activeVersionId !== null);

  return (
    <Card title={t('inspections.campaigns.create')}>
      <Steps
        current={step}
        style={{ marginBottom: 24, maxWidth: 720 }}
        items={[
          { title: t('inspections.wizard.plan') },
          { title: t('inspections.wizard.people') },
          { title: t('inspections.wizard.confirm') },
        ]}
      />
      {create.error && !(create.error instanceof ApiError && create.error.issues.length) ? (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorText(create.error)} />
      ) : null}
      <Form
        form={form}
        layout="vertical"
        style={{ maxWidth: 720 }}
        initialValues={{
          recurrence: 'once',
          covert: false,
          inspectorIds: [],
          rectifyMode: 'limit',
          rectifyAmount: 5,
          rectifyUnit: 'workingDays',
          signatureRequired: false,
        }}
      >
        <div style={{ display: step === 0 ? undefined : 'none' }}>
          <Form.Item
            name="name"
            label={t('inspections.fields.name')}
            rules={[{ required: true, min: 2, max: 100 }]}
          >
            <Input placeholder={t('inspections.wizard.namePlaceholder')} />
          </Form.Item>
          <Form.Item name="templateId" label={t('inspections.fields.template')} rules={[{ required: true }]}>
            <Select
              loading={templates.isPending}
              placeholder={t('inspections.wizard.templatePlaceholder')}
              options={activeTemplates.map((tpl) => ({
                value: tpl.activeVersionId,
                label: `${tpl.name} · ${t('inspections.checklists.versionN', {
                  version: tpl.versions.find((v) => v.id === tpl.activeVersionId)?.version ?? tpl.version,
                })}`,
              }))}
            />
          </Form.Item>
          <Form.Item name="regionCode" label={t('inspections.fields.area')} rules={[{ required: true }]}>
            <RegionPicker />
          </Form.Item>
          <Form.Item name="period" label={t('inspections.fields.period')} rules={[{ required: true }]}>
            <DatePicker.RangePicker />
          </Form.Item>
          <Form.Item name="recurrence" label={t('inspections.fields.recurrence')}>
            <Radio.Group
              options={RECURRENCES.map((r) => ({ value: r, label: label(RECURRENCE_LABELS, r) }))}
            />
          </Form.Item>
          <Form.Item
            name="covert"
            label={t('inspections.campaigns.covert')}
            valuePropName="checked"
            extra={t('inspections.wizard.covertHelp')}
          >
            <Switch />
          </Form.Item>
        </div>
        <div style={{ display: step === 1 ? undefined : 'none' }}>
          <Form.Item
            name="inspectorIds"
            label={t('inspections.fields.inspectors')}
            extra={t('inspections.wizard.inspectorsHelp')}
          >
            <Select
              mode="multiple"
              data-testid="inspector-picker"
              loading={candidates.isFetching}
              optionFilterProp="label"
              options={(candidates.data ?? []).map((user) => ({
                value: user.id,
                label: t('inspections.withNote', {
                  text: user.name,
                  note: `${label(ROLE_LABELS, user.role)} · ${user.scopeName}`,
                }),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="sampleSize"
            label={t('inspections.fields.sampleSize')}
            extra={t('inspections.wizard.sampleHelp')}
          >
            <InputNumber min={1} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="rectifyMode" label={t('inspections.wizard.rectify')}>
            <Radio.Group
              options={[
                { value: 'limit', label: t('inspections.wizard.rectifyLimit') },
                { value: 'date', label: t('inspections.wizard.rectifyDate') },
                { value: 'none', label: t('inspections.wizard.rectifyCategory') },
              ]}
            />
          </Form.Item>
          {rectifyMode === 'limit' ? (
            <Space>
              <Form.Item name="rectifyAmount" rules={[{ required: true }]}>
                <InputNumber min={1} max={1000} aria-label={t('inspections.fields.rectifyLimit')} />
              </Form.Item>
              <Form.Item name="rectifyUnit">
                <Select
                  style={{ width: 140 }}
                  options={TIME_UNITS.map((u) => ({ value: u, label: label(TIME_UNIT_LABELS, u) }))}
                />
              </Form.Item>
            </Space>
          ) : null}
          {rectifyMode === 'date' ? (
            <Form.Item name="rectifyBy" rules={[{ required: true }]}>
              <DatePicker aria-label={t('inspections.wizard.rectifyDate')} />
            </Form.Item>
          ) : null}
          <Form.Item name="signatureRequired" valuePropName="checked">
            <Checkbox>{t('inspections.fields.signatureRequired')}</Checkbox>
          </Form.Item>
        </div>
        {step === 2 ? <Summary form={form} /> : null}
      </Form>
      <Space>
        {step > 0 ? (
          <Button onClick={() => setStep((s) => s - 1)}>{t('inspections.wizard.back')}</Button>
        ) : null}
        {step < 2 ? (
          <Button type="primary" onClick={() => void next()}>
            {t('inspections.wizard.next')}
          </Button>
        ) : (
          <Button type="primary" loading={create.isPending} onClick={() => void submit()}>
            {t('inspections.wizard.createDraft')}
          </Button>
        )}
        <Button onClick={() => navigate('/inspections/campaigns')}>{t('common.cancel')}</Button>
      </Space>
    </Card>
  );
}

function Summary({ form }: { form: ReturnType<typeof Form.useForm<Values>>[0] }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const v = form.getFieldsValue(true) as Values;
  return (
    <Alert
      type="info"
      style={{ marginBottom: 16 }}
      title={v.name}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          <li>
            {t('inspections.fields.period')}:{' '}
            {t('inspections.withNote', {
              text: `${v.period?.[0]?.format('YYYY-MM-DD')} ~ ${v.period?.[1]?.format('YYYY-MM-DD')}`,
              note: label(RECURRENCE_LABELS, v.recurrence),
            })}
          </li>
          <li>{v.covert ? t('inspections.wizard.summaryCovert') : t('inspections.wizard.summaryOpen')}</li>
          <li>{t('inspections.wizard.summaryInspectors', { count: v.inspectorIds?.length ?? 0 })}</li>
          <li>{t('inspections.wizard.summaryNext')}</li>
        </ul>
      }
    />
  );
}
