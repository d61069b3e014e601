import { Alert, App, Col, Divider, Form, Input, InputNumber, Modal, Row, Select, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { say } from '../../../shared/errors.ts';
import type { RegistryEntity, SensitiveValue } from '../../../shared/registry.ts';
import { ApiError, errorText } from '../../api/client.ts';
import { showServerIssues } from '../../components/formErrors.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { useSaveRecord } from './api.ts';
import { useRegistryLabels } from './labels.ts';
import {
  ADDRESS_PARTS,
  blank,
  bodyOf,
  type FieldSpec,
  FORMS,
  initialValues,
  PLACE,
  type Values,
} from './recordForms.ts';
import type { AnyRecord } from './records.tsx';

/** Creates a record (no `record`) or changes one at the version read; a stale version says so plainly. */
export function RecordForm({
  entity,
  record,
  onClose,
}: {
  entity: RegistryEntity;
  record: AnyRecord | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const labels = useRegistryLabels();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSaveRecord(entity, record?.id ?? null);
  const [failure, setFailure] = useState<string | null>(null);
  const editing = record !== null;
  const initial = useMemo(() => initialValues(entity, record), [entity, record]);
  const spec = FORMS[entity];
  const entityLabel = labels.entity(entity);

  const checkRule =
    (check: FieldSpec['check']): Rule =>
    () => ({
      validator: (_, value: unknown) => {
        if (!check || blank(value)) return Promise.resolve();
        const result = check(String(value));
        return result.ok
          ? Promise.resolve()
          : Promise.reject(new Error(say(result.problem, labels.locale, result.params ?? {})));
      },
    });

  const fieldLabel = (name: string) =>
    entity === 'resident' && name === 'name' ? labels.field('residentName') : labels.field(name);

  const item = (field: FieldSpec, path: (string | number)[] = [field.name], required = field.required) => {
    const label = fieldLabel(field.name);
    const stored = record ? (record as unknown as Record<string, unknown>)[field.name] : null;
    const placeholder =
      field.sensitive && editing && stored
        ? t('registry.form.keepValue', { value: (stored as NonNullable<SensitiveValue>).value })
        : undefined;
    const rules: Rule[] = [];
    if (required && !(field.sensitive && editing)) {
      rules.push({ required: true, message: t('registry.form.required', { field: label }) });
    }
    if (field.check) rules.push(checkRule(field.check));
    if (field.kind === 'date')
      rules.push({ pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('registry.form.dateFormat') });
    const id = `registry-${path.join('-')}`;
    let control: ReactNode;
    switch (field.kind) {
      case 'number':
        control = <InputNumber id={id} style={{ width: '100%' }} />;
        break;
      case 'select':
        control = (
          <Select id={id} allowClear={!field.required} options={labels.options(field.choices ?? {})} />
        );
        break;
      case 'tags':
        control = <Select id={id} mode="multiple" allowClear options={labels.options(field.choices ?? {})} />;
        break;
      case 'region':
        control = <RegionPicker id={id} placeholder={t('registry.list.regionFilter')} />;
        break;
      case 'date':
        control = <Input id={id} placeholder="2026-11-20" />;
        break;
      default:
        control = <Input id={id} placeholder={placeholder} autoComplete="off" />;
    }
    return (
      <Col key={id} xs={24} sm={12}>
        <Form.Item name={path} label={label} htmlFor={id} rules={rules}>
          {control}
        </Form.Item>
      </Col>
    );
  };

  const submit = async () => {
    const values = await form.validateFields();
    const body = bodyOf(entity, values, initial, editing);
    if (editing && Object.keys(body).length === 0) {
      void message.info(t('registry.form.unchanged'));
      onClose();
      return;
    }
    setFailure(null);
    save.mutate(editing ? { ...body, version: record.version } : body, {
      onSuccess: () => {
        void message.success(t(editing ? 'registry.form.saved' : 'registry.form.created'));
        onClose();
      },
      onError: (error) => {
        if (error instanceof ApiError && error.code === 'CONFLICT') {
          setFailure(t('registry.form.conflict'));
          return;
        }
        const fields = [...spec.fields.map((f) => f.name), 'lon', 'lat', 'regionCode'];
        if (!showServerIssues(form, error, fields)) setFailure(errorText(error));
      },
    });
  };

  const addressRequired = spec.address === 'required' && !editing;
  return (
    <Modal
      open
      width={720}
      title={t(editing ? 'registry.form.editTitle' : 'registry.form.createTitle', { entity: entityLabel })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {failure ? (
        <Alert
          type="error"
          showIcon
          title={failure}
          style={{ marginBottom: 16 }}
          data-testid="form-failure"
        />
      ) : null}
      <Form form={form} layout="vertical" initialValues={initial} data-testid="registry-form">
        <Row gutter={16}>
          {spec.fields.filter((field) => !(editing && field.createOnly)).map((field) => item(field))}
        </Row>
        {spec.address !== 'none' ? (
          <>
            <Divider titlePlacement="start" plain>
              {t('registry.form.address')}
            </Divider>
            <Typography.Paragraph type="secondary">
              {editing ? t('registry.form.keepAddress') : t('registry.form.addressHelp')}
            </Typography.Paragraph>
            <Row gutter={16}>
              {ADDRESS_PARTS.map((part) =>
                item(part, ['address', part.name], part.required && addressRequired),
              )}
              {spec.place ? null : item({ name: 'regionCode', kind: 'region' }, ['address', 'regionCode'])}
            </Row>
          </>
        ) : null}
        {spec.place ? (
          <>
            <Divider titlePlacement="start" plain>
              {t('registry.form.place')}
            </Divider>
            <Typography.Paragraph type="secondary">{t('registry.form.placeHelp')}</Typography.Paragraph>
            <Row gutter={16}>{PLACE.map((field) => item(field))}</Row>
          </>
        ) : null}
      </Form>
    </Modal>
  );
}
