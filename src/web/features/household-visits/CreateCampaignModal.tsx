import { DatePicker, Form, Input, Radio, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MAX_CAMPAIGN_REGIONS,
  VISIT_UNIT_LABELS,
  VISIT_UNITS,
  type VisitUnit,
} from '../../../shared/household-visits.ts';
import type { RegionTreeNode } from '../../../shared/territory.ts';
import { SaveModal } from '../../components/SaveModal.tsx';
import { useLocale } from '../../i18n/index.ts';
import { useForms } from '../forms/api.ts';
import { useEnumLabel } from '../inspections/labels.tsx';
import { useRegionTree } from '../territory/api.ts';
import { useCreateVisitCampaign } from './api.ts';

interface Values {
  name: string;
  formId: number;
  unit: VisitUnit;
  period: [Dayjs, Dayjs];
  regionCodes: string[];
}

/** Region codes of a town (9 digits) and of a village (12): what a campaign's area is made of. */
const AREA_LENGTHS = [9, 12];

/** The towns and villages of the user's tree, villages under their town, as options of the area picker. */
function areaOptions(nodes: readonly RegionTreeNode[], out: { value: string; label: string }[] = []) {
  for (const node of nodes) {
    if (AREA_LENGTHS.includes(node.code.length)) {
      out.push({
        value: node.code,
        label: `${node.code.length === 12 ? '　' : ''}${node.name}（${node.code}）`,
      });
    }
    areaOptions(node.children ?? [], out);
  }
  return out;
}

/**
 * 新建走访活动: a name, a published form, what it counts (households by default), its period and its area — towns
 * or villages of the user's scope (the server checks the scope again).
 */
export function CreateCampaignModal(props: { onClose: () => void; onCreated: (id: number) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const label = useEnumLabel();
  const [form] = Form.useForm<Values>();
  const forms = useForms();
  const tree = useRegionTree();
  const create = useCreateVisitCampaign();
  const regions = useMemo(() => areaOptions(tree.data ?? []), [tree.data]);
  const published = (forms.data ?? []).filter((f) => f.publishedVersion !== null);

  const save = async () => {
    const values = await form.validateFields();
    const created = await create.mutateAsync({
      name: values.name,
      formId: values.formId,
      unit: values.unit,
      regionCodes: values.regionCodes,
      startsOn: values.period[0].format('YYYY-MM-DD'),
      endsOn: values.period[1].format('YYYY-MM-DD'),
    });
    props.onCreated(created.id);
  };

  return (
    <SaveModal
      title={t('householdVisits.create.title')}
      onClose={props.onClose}
      onSave={() => void save().catch(() => undefined)}
      saving={create.isPending}
      error={create.error}
      width={560}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ unit: 'household' }}
        data-testid="visit-campaign-form"
      >
        <Form.Item
          name="name"
          label={t('householdVisits.create.name')}
          rules={[{ required: true, min: 2, max: 100, whitespace: true }]}
        >
          <Input placeholder={t('householdVisits.create.namePlaceholder')} maxLength={100} />
        </Form.Item>
        <Form.Item
          name="formId"
          label={t('householdVisits.form')}
          rules={[{ required: true }]}
          extra={t('householdVisits.create.formHelp')}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={forms.isPending}
            placeholder={t('householdVisits.create.formPlaceholder')}
            options={published.map((f) => ({
              value: f.id,
              label: `${locale === 'en-US' ? (f.title.en ?? f.title.zh) : f.title.zh} · v${f.publishedVersion}`,
            }))}
            data-testid="visit-campaign-form-select"
          />
        </Form.Item>
        <Form.Item
          name="unit"
          label={t('householdVisits.list.unit')}
          extra={t('householdVisits.create.unitHelp')}
        >
          <Radio.Group options={VISIT_UNITS.map((u) => ({ value: u, label: label(VISIT_UNIT_LABELS, u) }))} />
        </Form.Item>
        <Form.Item name="period" label={t('householdVisits.period')} rules={[{ required: true }]}>
          <DatePicker.RangePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="regionCodes"
          label={t('householdVisits.area')}
          rules={[{ required: true, type: 'array', min: 1, max: MAX_CAMPAIGN_REGIONS }]}
          extra={t('householdVisits.create.areaHelp')}
        >
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            loading={tree.isPending}
            options={regions}
            placeholder={t('householdVisits.create.areaPlaceholder')}
            data-testid="visit-campaign-area"
          />
        </Form.Item>
      </Form>
    </SaveModal>
  );
}
