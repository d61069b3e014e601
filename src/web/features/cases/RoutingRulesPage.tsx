import { Alert, App, Button, Form, Popconfirm, Select, Space, Tag, TreeSelect, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CATEGORY_KIND_LABELS, CATEGORY_KINDS } from '../../../shared/cases.ts';
import type { RoutingRule } from '../../../shared/routing.ts';
import { errorText } from '../../api/client.ts';
import { AdminTable } from '../../components/AdminTable.tsx';
import { showServerIssues } from '../../components/formErrors.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { SaveModal } from '../../components/SaveModal.tsx';
import { formatDateTime } from '../../components/time.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { useDepartments } from '../people/api.ts';
import { useCategoryTree, useDeleteRoutingRule, useRoutingRules, useSaveRoutingRule } from './api.ts';

/** The category select's value for a rule that covers every category (a TreeSelect value cannot be null). */
const ALL = 'all';

interface RuleFormValues {
  category: number | typeof ALL;
  regionCode: string;
  departmentId: number;
}

function RuleModal({ rule, onClose }: { rule: RoutingRule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleFormValues>();
  const tree = useCategoryTree();
  const departments = useDepartments();
  const save = useSaveRoutingRule();

  // 全部分类 first, then kind → major class (its whole class) → minor class; kinds only group.
  const categoryOptions = useMemo(
    () => [
      { value: ALL, title: t('routing.allCategories') },
      ...CATEGORY_KINDS.map((kind) => ({
        value: `kind:${kind}`,
        title: pickLabel(CATEGORY_KIND_LABELS[kind], locale),
        selectable: false,
        children: (tree.data ?? [])
          .filter((major) => major.kind === kind)
          .map((major) => ({
            value: major.id,
            title: t('routing.wholeMajor', { name: `${major.code} ${major.name}` }),
            children: major.children.map((minor) => ({
              value: minor.id,
              title: `${minor.code} ${minor.name}`,
            })),
          })),
      })),
    ],
    [tree.data, locale, t],
  );

  const submit = (values: RuleFormValues) =>
    save.mutate(
      {
        id: rule?.id ?? null,
        body: {
          categoryId: values.category === ALL ? null : values.category,
          regionCode: values.regionCode,
          departmentId: values.departmentId,
        },
      },
      {
        onSuccess: () => {
          void message.success(t(rule ? 'routing.updated' : 'routing.created'));
          onClose();
        },
        onError: (error) => showServerIssues(form, error, ['regionCode', 'departmentId']),
      },
    );

  return (
    <SaveModal
      title={t(rule ? 'routing.edit' : 'routing.create')}
      onClose={onClose}
      onSave={() => form.submit()}
      saving={save.isPending}
      error={save.isError ? save.error : null}
    >
      <Form<RuleFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          rule
            ? {
                category: rule.categoryId ?? ALL,
                regionCode: rule.regionCode,
                departmentId: rule.departmentId,
              }
            : undefined
        }
      >
        <Form.Item
          name="category"
          label={t('routing.fields.category')}
          rules={[{ required: true, message: t('routing.validation.categoryRequired') }]}
        >
          <TreeSelect
            treeData={categoryOptions}
            loading={tree.isPending}
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeDefaultExpandedKeys={CATEGORY_KINDS.map((kind) => `kind:${kind}`)}
            popupMatchSelectWidth={false}
            styles={{ popup: { root: { minWidth: 320, maxHeight: 420 } } }}
          />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={t('routing.fields.region')}
          rules={[{ required: true, message: t('routing.validation.regionRequired') }]}
        >
          <RegionPicker currentLabel={rule?.regionName} />
        </Form.Item>
        <Form.Item
          name="departmentId"
          label={t('routing.fields.department')}
          rules={[{ required: true, message: t('routing.validation.departmentRequired') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={departments.isPending}
            options={(departments.data ?? []).map((d) => ({
              value: d.id,
              label: t('common.nameWithCode', { name: d.name, code: d.code }),
            }))}
          />
        </Form.Item>
      </Form>
    </SaveModal>
  );
}

/** 派遣规则: which lead department the dispatcher is offered for a category in a region. */
export default function RoutingRulesPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { message } = App.useApp();
  const rules = useRoutingRules();
  const remove = useDeleteRoutingRule();

  return (
    <AdminTable<RoutingRule>
      title={t('routing.title')}
      createLabel={t('routing.create')}
      intro={<Alert type="info" showIcon title={t('routing.order')} style={{ marginBottom: 16 }} />}
      rows={rules.data}
      loading={rules.isFetching}
      error={rules.error}
      emptyText={t('routing.empty')}
      editor={(rule, close) => <RuleModal rule={rule} onClose={close} />}
      pagination={{
        pageSize: 20,
        hideOnSinglePage: true,
        showTotal: (total) => t('common.total', { count: total }),
      }}
      columns={({ edit }) => [
        {
          key: 'category',
          title: t('routing.fields.category'),
          render: (_, rule) =>
            rule.categoryKind && rule.categoryCode ? (
              <Space size={4}>
                <Tag>{pickLabel(CATEGORY_KIND_LABELS[rule.categoryKind], locale)}</Tag>
                <span>
                  {rule.categoryCode.length === 2
                    ? t('routing.wholeMajor', { name: `${rule.categoryCode} ${rule.categoryName}` })
                    : `${rule.categoryCode} ${rule.categoryName}`}
                </span>
              </Space>
            ) : (
              <Tag color="blue">{t('routing.allCategories')}</Tag>
            ),
        },
        {
          key: 'region',
          title: t('routing.fields.region'),
          render: (_, rule) => (
            <>
              <div>{rule.regionName}</div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {rule.regionCode}
              </Typography.Text>
            </>
          ),
        },
        {
          key: 'department',
          title: t('routing.fields.department'),
          render: (_, rule) =>
            t('common.nameWithCode', { name: rule.departmentName, code: rule.departmentCode }),
        },
        {
          key: 'createdAt',
          title: t('routing.fields.createdAt'),
          width: 160,
          render: (_, rule) => formatDateTime(rule.createdAt),
        },
        {
          key: 'actions',
          title: t('common.actions'),
          width: 140,
          render: (_, rule) => (
            <Space size={0}>
              <Button type="link" size="small" onClick={() => edit(rule)}>
                {t('common.edit')}
              </Button>
              <Popconfirm
                title={t('routing.deleteConfirm')}
                okText={t('common.ok')}
                cancelText={t('common.cancel')}
                onConfirm={() =>
                  remove.mutate(rule.id, {
                    onSuccess: () => void message.success(t('routing.deleted')),
                    onError: (error) => void message.error(errorText(error)),
                  })
                }
              >
                <Button type="link" size="small" danger>
                  {t('routing.delete')}
                </Button>
              </Popconfirm>
            </Space>
          ),
        },
      ]}
    />
  );
}
