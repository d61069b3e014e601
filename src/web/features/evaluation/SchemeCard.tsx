import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  COMPOSITE_INDICATORS,
  INDICATORS,
  type IndicatorKey,
  type Ranking,
  type SchemeComponent,
} from '../../../shared/indicators.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { useLocale } from '../../i18n/index.ts';
import { useCreateScheme } from './api.ts';
import { indicatorFormula, indicatorLabel } from './figures.ts';

/** The scheme version a ranking used (权重方案 vN) with its weights; administrators start a new version here. */
export function SchemeCard({ scheme }: { scheme: Ranking['scheme'] | undefined }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const admin = useSession().data?.user.role === 'administrator';
  const [editing, setEditing] = useState(false);
  return (
    <Card
      size="small"
      data-testid="scheme-card"
      title={
        scheme
          ? t('evaluation.ranking.scheme', { version: scheme.version })
          : t('evaluation.ranking.schemeWeights')
      }
      extra={
        admin ? (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing(true)}>
            {t('evaluation.ranking.newScheme')}
          </Button>
        ) : null
      }
    >
      <Flex wrap gap={6}>
        {scheme?.components.map((c) => (
          <Tag key={c.indicator} title={indicatorFormula(c.indicator, locale)}>
            {indicatorLabel(c.indicator, locale)} {c.weight}
            {c.direction === 'oneMinus' ? `（${t('evaluation.ranking.direction.oneMinus')}）` : ''}
          </Tag>
        ))}
      </Flex>
      {editing && scheme ? (
        <SchemeModal initial={scheme.components} onClose={() => setEditing(false)} />
      ) : null}
    </Card>
  );
}

interface SchemeForm {
  components: SchemeComponent[];
  note?: string;
}

function SchemeModal({ initial, onClose }: { initial: SchemeComponent[]; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<SchemeForm>();
  const create = useCreateScheme();
  const components = Form.useWatch('components', form) ?? initial;
  const sum = components.reduce((total, c) => total + (Number(c?.weight) || 0), 0);
  const submit = (values: SchemeForm) =>
    create.mutate(
      { components: values.components, ...(values.note ? { note: values.note } : {}) },
      {
        onSuccess: (saved) => {
          void message.success(t('evaluation.ranking.schemeSaved', { version: saved.version }));
          onClose();
        },
      },
    );
  return (
    <Modal
      open
      title={t('evaluation.ranking.newScheme')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ disabled: Math.abs(sum - 100) > 1e-6, loading: create.isPending }}
      width={640}
      destroyOnHidden
    >
      <Form<SchemeForm>
        form={form}
        layout="vertical"
        initialValues={{ components: initial }}
        onFinish={submit}
      >
        <Form.List name="components">
          {(fields, { add, remove }) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {fields.map((field) => (
                <Flex key={field.key} gap={8} align="start" wrap>
                  <Form.Item
                    name={[field.name, 'indicator']}
                    rules={[{ required: true }]}
                    style={{ flex: '1 1 180px', margin: 0 }}
                  >
                    <Select<IndicatorKey>
                      aria-label={t('evaluation.ranking.columns.rates')}
                      options={COMPOSITE_INDICATORS.map((k) => ({
                        value: k,
                        label: indicatorLabel(k, locale),
                      }))}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'weight']}
                    rules={[{ required: true }]}
                    style={{ width: 96, margin: 0 }}
                  >
                    <InputNumber min={1} max={100} aria-label={t('evaluation.ranking.schemeWeights')} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'direction']}
                    rules={[{ required: true }]}
                    style={{ width: 170, margin: 0 }}
                  >
                    <Select
                      options={(['rate', 'oneMinus'] as const).map((d) => ({
                        value: d,
                        label: t(`evaluation.ranking.direction.${d}`),
                      }))}
                    />
                  </Form.Item>
                  <Button
                    aria-label={t('common.remove')}
                    icon={<DeleteOutlined />}
                    onClick={() => remove(field.name)}
                    disabled={fields.length <= 1}
                  />
                </Flex>
              ))}
              <Button
                icon={<PlusOutlined />}
                onClick={() => {
                  const used = new Set(components.map((c) => c?.indicator));
                  const next = COMPOSITE_INDICATORS.find((k) => !used.has(k));
                  if (next)
                    add({
                      indicator: next,
                      weight: 10,
                      direction: INDICATORS[next].higherIsBetter ? 'rate' : 'oneMinus',
                    });
                }}
              >
                {t('evaluation.ranking.addComponent')}
              </Button>
            </Space>
          )}
        </Form.List>
        <Typography.Paragraph
          type={Math.abs(sum - 100) > 1e-6 ? 'danger' : 'secondary'}
          style={{ marginTop: 12 }}
        >
          {t('evaluation.ranking.weightSum', { sum })}
        </Typography.Paragraph>
        <Form.Item name="note" label={t('evaluation.ranking.schemeNote')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
      {create.isError ? <Alert type="error" showIcon title={errorText(create.error)} /> : null}
    </Modal>
  );
}
