import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Popconfirm,
  Row,
  Select,
  Space,
  Switch,
  Tag,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { formText } from '../../../shared/form-answers.ts';
import {
  type FormDefinition,
  type FormDetail,
  formDefinitionSchema,
  QUESTION_TYPES,
  type Question,
  REGISTRY_FIELD_LABELS,
  REGISTRY_FIELDS,
} from '../../../shared/forms.ts';
import { errorText } from '../../api/client.ts';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { useLocale } from '../../i18n/index.ts';
import { useCategoryTree } from '../cases/api.ts';
import { FORMS, formRequests, useForm } from './api.ts';
import { LazyFormRenderer } from './LazyFormRenderer.tsx';

/** A form's page: its questions in an editor (for its authors) beside a live preview with the renderer. */
export default function FormBuilderPage() {
  const { id } = useParams();
  const form = useForm(Number(id));
  if (form.isLoading) return <PageSpinner />;
  if (!form.data) return <Alert type="error" title={errorText(form.error)} />;
  return <Builder key={`${form.data.id}:${form.data.rowVersion}`} detail={form.data} />;
}

function Builder({ detail }: { detail: FormDetail }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editor] = Form.useForm<{ questions: Question[] }>();
  const [busy, setBusy] = useState(false);
  const watched = Form.useWatch('questions', editor) as Question[] | undefined;
  const categories = useCategoryTree();
  const matterOptions = useMemo(
    () =>
      (categories.data ?? [])
        .filter((major) => major.kind === 'matter')
        .flatMap((major) => major.children.filter((c) => c.active))
        .map((c) => ({ value: c.code, label: `${c.name}（${c.code}）` })),
    [categories.data],
  );

  useEffect(
    () => editor.setFieldsValue({ questions: detail.current.definition.questions }),
    [editor, detail],
  );

  // The preview shows the last definition that is valid, so a half-typed expression does not blank it.
  const parsed = formDefinitionSchema.safeParse({
    questions: cleaned(watched ?? detail.current.definition.questions),
  });
  const [preview, setPreview] = useState<FormDefinition>(detail.current.definition);
  const previewKey = parsed.success ? JSON.stringify(parsed.data) : null;
  useEffect(() => {
    if (previewKey) setPreview(JSON.parse(previewKey) as FormDefinition);
  }, [previewKey]);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map(
        (i) => `${i.path.join('.')}: ${i.message.split('|')[locale === 'en-US' ? 1 : 0] ?? i.message}`,
      );

  const refresh = () => queryClient.invalidateQueries({ queryKey: FORMS });
  const save = async () => {
    if (!parsed.success) return;
    setBusy(true);
    try {
      await formRequests.save(detail.id, { definition: parsed.data, rowVersion: detail.rowVersion });
      message.success(t('forms.saved'));
      await refresh();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const publish = async () => {
    setBusy(true);
    try {
      await formRequests.publish(detail.id, detail.rowVersion);
      message.success(t('forms.publishedOk'));
      await refresh();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const isDraft = detail.current.publishedAt === null;

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card
          title={
            <Space wrap>
              {formText(detail.title, locale)}
              <Tag>{detail.code}</Tag>
              {isDraft ? (
                <Tag color="orange">{t('forms.draft', { version: detail.latestVersion })}</Tag>
              ) : (
                <Tag color="green">{t('forms.published', { version: detail.latestVersion })}</Tag>
              )}
            </Space>
          }
          extra={
            detail.editable && (
              <Space wrap>
                <Button onClick={save} loading={busy} disabled={!parsed.success}>
                  {t('forms.save')}
                </Button>
                {isDraft && (
                  <Popconfirm title={t('forms.publishConfirm')} onConfirm={publish}>
                    <Button type="primary" loading={busy}>
                      {t('forms.publish')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            )
          }
        >
          {!detail.editable && (
            <Alert type="info" showIcon title={t('forms.readOnly')} style={{ marginBottom: 12 }} />
          )}
          {problems.length > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={problems.slice(0, 5).join('；')}
            />
          )}
          <Form form={editor} layout="vertical" disabled={!detail.editable}>
            <Form.List name="questions">
              {(fields, { add, remove, move }) => (
                <Space direction="vertical" style={{ width: '100%' }}>
                  {fields.map((field, index) => (
                    <QuestionEditor
                      key={field.key}
                      index={index}
                      name={field.name}
                      last={index === fields.length - 1}
                      matterOptions={matterOptions}
                      onMove={(to) => move(index, to)}
                      onRemove={() => remove(index)}
                    />
                  ))}
                  <Button
                    icon={<PlusOutlined />}
                    block
                    onClick={() =>
                      add({ name: `q${fields.length + 1}`, type: 'text', label: { zh: '' }, required: false })
                    }
                  >
                    {t('forms.builder.add')}
                  </Button>
                </Space>
              )}
            </Form.List>
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card title={t('forms.preview')} data-testid="form-preview">
          <Alert type="info" title={t('forms.previewHelp')} style={{ marginBottom: 12 }} />
          <LazyFormRenderer
            key={JSON.stringify(preview)}
            definition={preview}
            onSubmit={() => {
              message.success(t('forms.previewOk'));
            }}
          />
        </Card>
      </Col>
    </Row>
  );
}

/** The editor's values as a definition: empty optional parts dropped, choices only on choice questions. */
function cleaned(questions: Question[]): unknown[] {
  return questions.map((q) => ({
    ...q,
    constraintMessage: q.constraintMessage?.zh ? q.constraintMessage : undefined,
    choices:
      q.type === 'selectOne' || q.type === 'selectMultiple'
        ? (q.choices ?? []).map((c) => ({
            ...c,
            raisesCase: c.raisesCase?.categoryCode ? c.raisesCase : undefined,
          }))
        : undefined,
  }));
}

function QuestionEditor(props: {
  index: number;
  name: number;
  last: boolean;
  matterOptions: { value: string; label: string }[];
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const { name } = props;
  const type = Form.useWatch(['questions', name, 'type']) as Question['type'] | undefined;
  const isChoice = type === 'selectOne' || type === 'selectMultiple';
  return (
    <Card
      size="small"
      title={`${props.index + 1}.`}
      extra={
        <Space size={0}>
          <Button
            type="text"
            icon={<ArrowUpOutlined />}
            disabled={props.index === 0}
            onClick={() => props.onMove(props.index - 1)}
            aria-label={t('forms.builder.up')}
          />
          <Button
            type="text"
            icon={<ArrowDownOutlined />}
            disabled={props.last}
            onClick={() => props.onMove(props.index + 1)}
            aria-label={t('forms.builder.down')}
          />
          <Button
            type="text"
            danger
            icon={<DeleteOutlined />}
            onClick={props.onRemove}
            aria-label={t('forms.builder.remove')}
          />
        </Space>
      }
    >
      <Row gutter={8}>
        <Col xs={24} sm={8}>
          <Form.Item name={[name, 'name']} label={t('forms.builder.name')}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} sm={8}>
          <Form.Item name={[name, 'type']} label={t('forms.builder.type')}>
            <Select options={QUESTION_TYPES.map((value) => ({ value, label: t(`forms.types.${value}`) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={8}>
          <Form.Item name={[name, 'required']} label={t('forms.builder.required')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name={[name, 'label', 'zh']} label={t('forms.builder.labelZh')}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item
            name={[name, 'label', 'en']}
            label={t('forms.builder.labelEn')}
            normalize={(v: string) => v || undefined}
          >
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item
            name={[name, 'relevant']}
            label={t('forms.builder.relevant')}
            extra={t('forms.builder.relevantHelp')}
            normalize={(v: string) => v || undefined}
          >
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item
            name={[name, 'constraint']}
            label={t('forms.builder.constraint')}
            extra={t('forms.builder.constraintHelp')}
            normalize={(v: string) => v || undefined}
          >
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name={[name, 'constraintMessage', 'zh']} label={t('forms.builder.constraintMessage')}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name={[name, 'registryField']} label={t('forms.builder.registryField')}>
            <Select
              allowClear
              placeholder={t('forms.builder.none')}
              options={REGISTRY_FIELDS.map((value) => ({
                value,
                label: `${REGISTRY_FIELD_LABELS[value].zh}（${value}）`,
              }))}
            />
          </Form.Item>
        </Col>
      </Row>
      {isChoice && (
        <Form.List name={[name, 'choices']}>
          {(choices, { add, remove }) => (
            <Space direction="vertical" style={{ width: '100%' }}>
              {choices.map((choice) => (
                <Row gutter={8} key={choice.key} align="middle">
                  <Col xs={8} sm={5}>
                    <Form.Item name={[choice.name, 'value']} noStyle>
                      <Input placeholder={t('forms.builder.choiceValue')} />
                    </Form.Item>
                  </Col>
                  <Col xs={16} sm={8}>
                    <Form.Item name={[choice.name, 'label', 'zh']} noStyle>
                      <Input placeholder={t('forms.builder.choiceLabel')} />
                    </Form.Item>
                  </Col>
                  <Col xs={20} sm={9}>
                    <Form.Item name={[choice.name, 'raisesCase', 'categoryCode']} noStyle>
                      <Select
                        allowClear
                        showSearch
                        optionFilterProp="label"
                        placeholder={t('forms.builder.raisesCase')}
                        options={props.matterOptions}
                        style={{ width: '100%' }}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={4} sm={2}>
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      onClick={() => remove(choice.name)}
                      aria-label={t('forms.builder.remove')}
                    />
                  </Col>
                </Row>
              ))}
              <Button
                size="small"
                icon={<PlusOutlined />}
                onClick={() => add({ value: `c${choices.length + 1}`, label: { zh: '' } })}
              >
                {t('forms.builder.addChoice')}
              </Button>
            </Space>
          )}
        </Form.List>
      )}
    </Card>
  );
}
