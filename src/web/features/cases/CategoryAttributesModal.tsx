import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  type FormInstance,
  Input,
  Modal,
  Select,
  Space,
  Spin,
  Switch,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import {
  ATTRIBUTE_DATATYPES,
  type AttributeDatatype,
  type Category,
  type CategoryAttribute,
} from '../../../shared/cases.ts';
import { errorText } from '../../api/client.ts';
import { useCategoryAttributes, useSaveCategoryAttributes } from './api.ts';

// The same rules as categoryAttributeSchema in src/shared/cases.ts, with UI-language messages.
const CODE = /^[A-Za-z0-9_]{1,40}$/;

interface FieldDraft {
  code: string;
  description: string;
  datatype: AttributeDatatype;
  required: boolean;
  variable: boolean;
  datatypeDescription?: string | null;
  values?: { key: string; name: string }[];
}
interface Values {
  attributes: FieldDraft[];
}

const isList = (datatype: AttributeDatatype | undefined) => datatype?.endsWith('valuelist') ?? false;

const NEW_FIELD: FieldDraft = {
  code: '',
  description: '',
  datatype: 'string',
  required: false,
  variable: true,
};

/**
 * 扩展字段 of a minor class: what its reports ask for besides the description, in order. The list is saved as a
 * whole (PUT /categories/{id}/attributes with the category's version), as the Open311 service definition is one.
 */
export function CategoryAttributesModal({ category, onClose }: { category: Category; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const current = useCategoryAttributes(category.id);
  const save = useSaveCategoryAttributes(category.id);

  const submit = (values: Values) => {
    const attributes: CategoryAttribute[] = (values.attributes ?? []).map((field, index) => ({
      code: field.code.trim(),
      datatype: field.datatype,
      variable: field.variable,
      required: field.variable && field.required,
      description: field.description.trim(),
      datatypeDescription: field.datatypeDescription?.trim() || null,
      order: index + 1,
      values: isList(field.datatype)
        ? (field.values ?? []).map((v) => ({ key: v.key.trim(), name: v.name.trim() }))
        : [],
    }));
    save.mutate(
      { version: category.version, attributes },
      {
        onSuccess: () => {
          void message.success(t('attributes.editor.saved'));
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      open
      title={t('attributes.editor.title', {
        name: t('common.nameWithCode', { name: category.name, code: category.code }),
      })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={{ disabled: !current.isSuccess }}
      width={720}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('attributes.editor.help')}</Typography.Paragraph>
      {save.isError ? (
        <Alert type="error" showIcon title={errorText(save.error)} style={{ marginBottom: 12 }} />
      ) : null}
      {current.isError ? <Alert type="error" showIcon title={errorText(current.error)} /> : null}
      {current.isPending ? <Spin /> : null}
      {current.isSuccess ? (
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{ attributes: current.data.map(draftOf) }}
          onFinish={submit}
        >
          <Form.List name="attributes">
            {(fields, { add, remove, move }) => (
              <Space orientation="vertical" size={12} style={{ width: '100%' }}>
                {fields.length === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('attributes.editor.empty')} />
                ) : null}
                {fields.map((field, index) => (
                  <FieldCard
                    key={field.key}
                    form={form}
                    name={field.name}
                    index={index}
                    last={index === fields.length - 1}
                    onMove={(to) => move(index, to)}
                    onRemove={() => remove(field.name)}
                  />
                ))}
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ ...NEW_FIELD })}>
                  {t('attributes.editor.add')}
                </Button>
              </Space>
            )}
          </Form.List>
        </Form>
      ) : null}
    </Modal>
  );
}

function draftOf(attribute: CategoryAttribute): FieldDraft {
  return {
    code: attribute.code,
    description: attribute.description,
    datatype: attribute.datatype,
    required: attribute.required,
    variable: attribute.variable,
    datatypeDescription: attribute.datatypeDescription,
    values: attribute.values,
  };
}

/** One field of the list: its code, question and type, its choices for a list type, and its place in the order. */
function FieldCard({
  form,
  name,
  index,
  last,
  onMove,
  onRemove,
}: {
  form: FormInstance<Values>;
  name: number;
  index: number;
  last: boolean;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const description = Form.useWatch(['attributes', name, 'description'], form) as string | undefined;
  const datatype = Form.useWatch(['attributes', name, 'datatype'], form) as AttributeDatatype | undefined;
  const variable = Form.useWatch(['attributes', name, 'variable'], form) as boolean | undefined;
  return (
    <Card
      size="small"
      data-testid={`attribute-editor-${index + 1}`}
      title={`${index + 1}. ${description?.trim() || t('attributes.editor.newField')}`}
      extra={
        <Space size={0}>
          <Button
            type="text"
            size="small"
            icon={<ArrowUpOutlined />}
            disabled={index === 0}
            aria-label={t('attributes.editor.moveUp')}
            title={t('attributes.editor.moveUp')}
            onClick={() => onMove(index - 1)}
          />
          <Button
            type="text"
            size="small"
            icon={<ArrowDownOutlined />}
            disabled={last}
            aria-label={t('attributes.editor.moveDown')}
            title={t('attributes.editor.moveDown')}
            onClick={() => onMove(index + 1)}
          />
          <Button
            type="text"
            size="small"
            danger
            icon={<DeleteOutlined />}
            aria-label={t('attributes.editor.remove')}
            title={t('attributes.editor.remove')}
            onClick={onRemove}
          />
        </Space>
      }
    >
      <Space size="middle" align="start" wrap>
        <Form.Item
          name={[name, 'code']}
          label={t('attributes.editor.code')}
          tooltip={t('attributes.editor.codeHelp')}
          rules={[
            { required: true, pattern: CODE, message: t('attributes.editor.validation.code') },
            {
              validator: (_, value?: string) => {
                const codes = (form.getFieldValue('attributes') as FieldDraft[]).map((a) => a?.code?.trim());
                return value && codes.filter((c) => c === value.trim()).length > 1
                  ? Promise.reject(new Error(t('attributes.editor.validation.duplicateCode')))
                  : Promise.resolve();
              },
            },
          ]}
        >
          <Input autoComplete="off" maxLength={40} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name={[name, 'datatype']} label={t('attributes.editor.datatype')}>
          <Select
            style={{ width: 150 }}
            options={ATTRIBUTE_DATATYPES.map((value) => ({
              value,
              label: t(`attributes.editor.datatypes.${value}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name={[name, 'variable']}
          label={t('attributes.editor.variable')}
          tooltip={t('attributes.editor.variableHelp')}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
        {variable ? (
          <Form.Item
            name={[name, 'required']}
            label={t('attributes.editor.required')}
            valuePropName="checked"
          >
            <Switch />
          </Form.Item>
        ) : null}
      </Space>
      <Form.Item
        name={[name, 'description']}
        label={t('attributes.editor.description')}
        rules={[
          {
            required: true,
            whitespace: true,
            max: 500,
            message: t('attributes.editor.validation.description'),
          },
        ]}
      >
        <Input maxLength={500} />
      </Form.Item>
      <Form.Item name={[name, 'datatypeDescription']} label={t('attributes.editor.datatypeDescription')}>
        <Input maxLength={200} />
      </Form.Item>
      {isList(datatype) ? <ChoiceList name={name} /> : null}
    </Card>
  );
}

/** The choices of a single- or multiple-choice field: a code sent by systems, a name shown to people. */
function ChoiceList({ name }: { name: number }) {
  const { t } = useTranslation();
  return (
    <Form.List
      name={[name, 'values']}
      rules={[
        {
          validator: (_, values?: unknown[]) =>
            values?.length
              ? Promise.resolve()
              : Promise.reject(new Error(t('attributes.editor.validation.values'))),
        },
      ]}
    >
      {(choices, { add, remove }, { errors }) => (
        <Form.Item label={t('attributes.editor.values')} required style={{ marginBottom: 0 }}>
          {choices.map((choice) => (
            <Space key={choice.key} align="start" style={{ display: 'flex' }}>
              <Form.Item
                style={{ marginBottom: 8 }}
                name={[choice.name, 'key']}
                rules={[
                  { required: true, whitespace: true, message: t('attributes.editor.validation.valueKey') },
                ]}
              >
                <Input placeholder={t('attributes.editor.valueKey')} maxLength={100} style={{ width: 140 }} />
              </Form.Item>
              <Form.Item
                style={{ marginBottom: 8 }}
                name={[choice.name, 'name']}
                rules={[
                  { required: true, whitespace: true, message: t('attributes.editor.validation.valueName') },
                ]}
              >
                <Input
                  placeholder={t('attributes.editor.valueName')}
                  maxLength={200}
                  style={{ width: 260 }}
                />
              </Form.Item>
              <Button
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t('attributes.editor.removeValue')}
                title={t('attributes.editor.removeValue')}
                onClick={() => remove(choice.name)}
              />
            </Space>
          ))}
          <Button
            type="dashed"
            size="small"
            icon={<PlusOutlined />}
            onClick={() => add({ key: '', name: '' })}
          >
            {t('attributes.editor.addValue')}
          </Button>
          <Form.ErrorList errors={errors} />
        </Form.Item>
      )}
    </Form.List>
  );
}
