import { App, Form, Input, InputNumber, Radio, Select, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  CASE_STEPS,
  CATEGORY_KIND_LABELS,
  CATEGORY_KINDS,
  type CaseStep,
  type Category,
  TIME_UNIT_LABELS,
  TIME_UNITS,
} from '../../../shared/cases.ts';
import { showServerIssues } from '../../components/formErrors.ts';
import { SaveModal } from '../../components/SaveModal.tsx';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { useDepartments } from '../people/api.ts';
import { useSaveCategory } from './api.ts';

// The same rules as categoryCodeSchema and timeLimitSchema in src/shared/cases.ts, with UI-language messages.
const CODE = /^\d{2}(\d{3})?$/;
const MAX_AMOUNT = 1000;

type Kind = (typeof CATEGORY_KINDS)[number];
type Unit = (typeof TIME_UNITS)[number];

interface CategoryFormValues {
  kind: Kind;
  code: string;
  name: string;
  limits: Record<CaseStep, { amount?: number | null; unit: Unit }>;
  defaultDepartmentId?: number | null;
  onTheSpot: boolean;
  public: boolean;
  active: boolean;
}

/** What the dialog edits: an existing class, or a new one (possibly under a given major class). */
export type CategoryTarget = { category: Category } | { create: { kind: Kind; majorCode?: string } };

function initialValues(target: CategoryTarget): CategoryFormValues {
  const category = 'category' in target ? target.category : null;
  const limits = Object.fromEntries(
    CASE_STEPS.map((step) => {
      const limit = category?.limits[step];
      return [step, { amount: limit?.amount ?? null, unit: limit?.unit ?? 'workingHours' }];
    }),
  ) as CategoryFormValues['limits'];
  return {
    kind: category?.kind ?? ('create' in target ? target.create.kind : 'matter'),
    code: category?.code ?? ('create' in target ? (target.create.majorCode ?? '') : ''),
    name: category?.name ?? '',
    limits,
    defaultDepartmentId: category?.defaultDepartmentId ?? null,
    onTheSpot: category?.onTheSpot ?? false,
    public: category?.public ?? true,
    active: category?.active ?? true,
  };
}

/**
 * Creates a class or edits one. A minor class (5-digit code) carries the time limit of each step, its default
 * department and its flags; a major class only groups them, so it has a name and an active flag.
 */
export function CategoryFormModal({ target, onClose }: { target: CategoryTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<CategoryFormValues>();
  const departments = useDepartments();
  const save = useSaveCategory();
  const category = 'category' in target ? target.category : null;
  const code = Form.useWatch('code', form) ?? initialValues(target).code;
  const minor = category ? category.parentId !== null : code.trim().length === 5;

  const submit = (values: CategoryFormValues) => {
    const limits = Object.fromEntries(
      CASE_STEPS.flatMap((step) => {
        const limit = values.limits[step];
        return typeof limit.amount === 'number' ? [[step, { amount: limit.amount, unit: limit.unit }]] : [];
      }),
    );
    const minorFields = minor
      ? {
          limits,
          defaultDepartmentId: values.defaultDepartmentId ?? null,
          onTheSpot: values.onTheSpot,
          public: values.public,
        }
      : {};
    const body = category
      ? { version: category.version, name: values.name.trim(), active: values.active, ...minorFields }
      : { kind: values.kind, code: values.code.trim(), name: values.name.trim(), ...minorFields };
    save.mutate(
      { id: category?.id ?? null, body },
      {
        onSuccess: () => {
          void message.success(t(category ? 'categoryAdmin.updated' : 'categoryAdmin.created'));
          onClose();
        },
        onError: (error) => showServerIssues(form, error, ['kind', 'code', 'name', 'defaultDepartmentId']),
      },
    );
  };

  const unitOptions = TIME_UNITS.map((unit) => ({
    value: unit,
    label: pickLabel(TIME_UNIT_LABELS[unit], locale),
  }));

  return (
    <SaveModal
      title={t(category ? 'categoryAdmin.edit' : 'categoryAdmin.create')}
      onClose={onClose}
      onSave={() => form.submit()}
      saving={save.isPending}
      error={save.isError ? save.error : null}
      width={600}
    >
      <Form<CategoryFormValues>
        form={form}
        layout="vertical"
        initialValues={initialValues(target)}
        onFinish={submit}
      >
        <Space size="large" align="start" wrap>
          <Form.Item name="kind" label={t('categoryAdmin.fields.kind')}>
            <Radio.Group
              disabled={category !== null}
              optionType="button"
              options={CATEGORY_KINDS.map((kind) => ({
                value: kind,
                label: pickLabel(CATEGORY_KIND_LABELS[kind], locale),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="code"
            label={t('categoryAdmin.fields.code')}
            rules={[{ required: true, pattern: CODE, message: t('categoryAdmin.validation.codeFormat') }]}
          >
            <Input disabled={category !== null} autoComplete="off" maxLength={5} style={{ width: 120 }} />
          </Form.Item>
        </Space>
        <Form.Item
          name="name"
          label={t('categoryAdmin.fields.name')}
          rules={[
            { required: true, whitespace: true, max: 64, message: t('categoryAdmin.validation.nameLength') },
          ]}
        >
          <Input />
        </Form.Item>
        {minor ? (
          <>
            <Form.Item label={t('categoryAdmin.fields.limits')} extra={t('categoryAdmin.fields.limitsHelp')}>
              <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                {CASE_STEPS.map((step) => {
                  const label = t('categoryAdmin.fields.limit', { step: t(`cases.steps.${step}`) });
                  return (
                    <Space key={step} size={8} align="start">
                      <span style={{ display: 'inline-block', width: 88, lineHeight: '32px' }}>{label}</span>
                      <Space.Compact>
                        <Form.Item
                          name={['limits', step, 'amount']}
                          noStyle
                          rules={[
                            {
                              type: 'number',
                              min: 0.01,
                              max: MAX_AMOUNT,
                              message: t('categoryAdmin.validation.amountRange'),
                            },
                          ]}
                        >
                          <InputNumber aria-label={label} min={0} max={MAX_AMOUNT} style={{ width: 110 }} />
                        </Form.Item>
                        <Form.Item name={['limits', step, 'unit']} noStyle>
                          <Select
                            aria-label={`${label} ${t('categoryAdmin.fields.unit')}`}
                            options={unitOptions}
                            style={{ width: 110 }}
                          />
                        </Form.Item>
                      </Space.Compact>
                    </Space>
                  );
                })}
              </Space>
            </Form.Item>
            <Form.Item
              name="defaultDepartmentId"
              label={t('categoryAdmin.fields.defaultDepartment')}
              extra={t('categoryAdmin.fields.defaultDepartmentHelp')}
            >
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                loading={departments.isPending}
                options={(departments.data ?? []).map((d) => ({
                  value: d.id,
                  label: t('common.nameWithCode', { name: d.name, code: d.code }),
                }))}
              />
            </Form.Item>
            <Space size="large" wrap>
              <Form.Item
                name="onTheSpot"
                label={t('categoryAdmin.fields.onTheSpot')}
                valuePropName="checked"
                tooltip={t('categoryAdmin.fields.onTheSpotHelp')}
              >
                <Switch />
              </Form.Item>
              <Form.Item
                name="public"
                label={t('categoryAdmin.fields.public')}
                valuePropName="checked"
                tooltip={t('categoryAdmin.fields.publicHelp')}
              >
                <Switch />
              </Form.Item>
              {category ? (
                <Form.Item name="active" label={t('categoryAdmin.fields.active')} valuePropName="checked">
                  <Switch />
                </Form.Item>
              ) : null}
            </Space>
          </>
        ) : category ? (
          <Form.Item name="active" label={t('categoryAdmin.fields.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        ) : null}
      </Form>
    </SaveModal>
  );
}
