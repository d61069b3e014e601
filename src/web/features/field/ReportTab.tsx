import { AimOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Segmented, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { CATEGORY_KIND_LABELS } from '../../../shared/cases.ts';
import {
  AttributeFields,
  attributeFormValues,
  attributeValuesOf,
  showAttributeIssueList,
} from '../../components/AttributeFields.tsx';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import {
  ALL_CATEGORY_ATTRIBUTES_KEY,
  useCategoryAttributes,
  useCategoryTree,
  usePossibleDuplicates,
} from '../cases/api.ts';
import { useLocate } from '../territory/api.ts';
import { fieldCasePath } from './FieldCasePage.tsx';
import type { FieldUser } from './FieldPage.tsx';
import { LocalPhotos } from './LocalPhotos.tsx';
import type { ReportItem } from './outbox.ts';
import { fieldOutbox, useOutboxItems } from './useOutbox.ts';
import { usePosition } from './usePosition.ts';

interface ReportValues {
  categoryId?: number;
  description: string;
  mode: 'gps' | 'grid';
  regionCode?: string;
  address?: string;
  photos: Blob[];
  attributes?: Record<string, unknown>;
}

/** The answers this tab reads that the service worker keeps for offline use (src/web/sw/service-worker.js). */
const REFERENCE_COPIES = ['/api/v1/categories', '/api/v1/categories/attributes'];

/**
 * 上报: category, its extra fields, description, photos and the place (GPS, or the grid when there is no fix).
 */
export function ReportTab({
  user,
  online,
  sync,
}: {
  user: FieldUser;
  online: boolean;
  sync: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReportValues>();
  const [params, setParams] = useSearchParams();
  const queryClient = useQueryClient();
  const tree = useCategoryTree();
  const [position, relocate] = usePosition();
  const locate = useLocate();
  const [saving, setSaving] = useState(false);
  const mode = Form.useWatch('mode', form) ?? 'gps';
  const categoryId = Form.useWatch('categoryId', form);
  const items = useOutboxItems(user.id);
  const fixing = items.find(
    (item): item is ReportItem =>
      item.id === params.get('fix') && item.kind === 'report' && item.status === 'failed',
  );

  const minors = useMemo(
    () =>
      new Map(
        (tree.data ?? []).flatMap((major) => major.children.map((minor) => [minor.id, minor] as const)),
      ),
    [tree.data],
  );
  /** The classes a report can name: active minor classes of active major classes, by major class. */
  const offered = useMemo(
    () =>
      (tree.data ?? [])
        .filter((major) => major.active)
        .map((major) => ({ major, reportable: major.children.filter((minor) => minor.active) }))
        .filter((group) => group.reportable.length > 0),
    [tree.data],
  );
  const options = useMemo(
    () =>
      offered.map(({ major, reportable }) => ({
        label: `${pickLabel(CATEGORY_KIND_LABELS[major.kind], locale)} · ${major.code} ${major.name}`,
        title: major.name,
        options: reportable.map((minor) => ({ value: minor.id, label: `${minor.code} ${minor.name}` })),
      })),
    [offered, locale],
  );

  useEffect(() => {
    // On the first visit the tree and the fields may be fetched before the service worker is in charge, so it
    // keeps no copy: fetch them again once it is. It may have taken charge before this tab opened, while they
    // were being fetched (on the way from the login page): then fetch them again now unless it has them.
    const worker = navigator.serviceWorker;
    if (!worker) return;
    const refetch = () => void queryClient.refetchQueries({ queryKey: ['categories'], type: 'all' });
    worker.addEventListener('controllerchange', refetch);
    if (worker.controller)
      void Promise.all(REFERENCE_COPIES.map((path) => caches.match(path, { cacheName: 'gridgov-reference' })))
        .then((kept) => kept.includes(undefined) && refetch())
        .catch(() => {});
    return () => worker.removeEventListener('controllerchange', refetch);
  }, [queryClient]);

  const attributes = useCategoryAttributes(typeof categoryId === 'number' ? categoryId : undefined);
  const fields = attributes.data ?? [];
  // Offline before the fields ever reached this phone: the first try failed and the retry waits.
  const fieldsUnknown =
    typeof categoryId === 'number' &&
    !attributes.data &&
    (attributes.isError || attributes.fetchStatus === 'paused');

  const located = position.status === 'located' ? position : null;
  const noFix =
    position.status === 'denied' || position.status === 'unavailable' || position.status === 'unsupported';
  useEffect(() => {
    // Without a fix the grid is the only way to say where: switch to it rather than leave a dead end.
    if (noFix) form.setFieldValue('mode', 'grid');
  }, [noFix, form]);

  const locateMutate = locate.mutate;
  useEffect(() => {
    if (located && online) locateMutate({ lon: located.lon, lat: located.lat });
  }, [located, online, locateMutate]);

  useEffect(() => {
    if (!fixing) return;
    form.setFieldsValue({
      categoryId: fixing.input.categoryId,
      description: fixing.input.description,
      address: fixing.input.address,
      regionCode: fixing.input.regionCode,
      mode: fixing.input.regionCode ? 'grid' : 'gps',
      photos: fixing.photos,
    });
  }, [fixing, form]);

  const fixingCategory = fixing?.input.categoryId;
  useEffect(() => {
    // A refused report may name fields the class gained since they were loaded: ask for them again.
    if (fixingCategory !== undefined)
      void queryClient.invalidateQueries({ queryKey: ALL_CATEGORY_ATTRIBUTES_KEY });
  }, [fixingCategory, queryClient]);

  // The fix form's fields once the class's definitions are there (the inputs must exist to take an error).
  const fixingFields = fixing && categoryId === fixing.input.categoryId ? attributes.data : undefined;
  useEffect(() => {
    if (!fixing || !fixingFields) return;
    form.setFieldValue('attributes', attributeFormValues(fixingFields, fixing.input.attributes));
    showAttributeIssueList(form, fixing.issues ?? []);
  }, [fixing, fixingFields, form]);

  const duplicates = usePossibleDuplicates(
    online && mode === 'gps' && located && typeof categoryId === 'number'
      ? { categoryId, lon: located.lon, lat: located.lat }
      : null,
  );

  const stopFixing = () => {
    params.delete('fix');
    setParams(params, { replace: true });
  };

  const submit = async (values: ReportValues) => {
    const where =
      values.mode === 'gps'
        ? located
          ? { lon: located.lon, lat: located.lat }
          : null
        : values.regionCode
          ? { regionCode: values.regionCode }
          : null;
    if (!where) {
      void message.error(t('field.report.locationRequired'));
      return;
    }
    const minor = minors.get(values.categoryId ?? -1);
    const report = {
      input: {
        categoryId: values.categoryId ?? -1,
        description: values.description.trim(),
        address: values.address?.trim() || undefined,
        attributes: attributeValuesOf(fields, values.attributes),
        ...where,
      },
      label: minor ? minor.name : String(values.categoryId),
      photos: values.photos ?? [],
    };
    setSaving(true);
    try {
      const outbox = fieldOutbox();
      const id = fixing ? fixing.id : (await outbox.addReport(user.id, report)).id;
      if (fixing) await outbox.fixReport(fixing.id, report);
      form.resetFields(['categoryId', 'description', 'address', 'photos', 'attributes']);
      if (fixing) stopFixing();
      await sync();
      const item = outbox.items().find((other) => other.id === id);
      if (item?.status === 'sent')
        void message.success(t('field.report.sent', { caseNumber: item.caseNumber }));
      else if (item?.status === 'failed') void message.error(item.error ?? t('common.unexpectedError'));
      else void message.info(t('field.report.queued'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title={fixing ? t('field.report.fixing') : t('field.tabs.report')}>
      {fixing?.error ? (
        <Alert
          type="error"
          showIcon
          title={fixing.error}
          style={{ marginBottom: 12 }}
          data-testid="fix-error"
        />
      ) : null}
      <Form<ReportValues>
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        initialValues={{ mode: 'gps', photos: [] }}
        requiredMark={false}
      >
        <Form.Item
          name="categoryId"
          label={t('field.report.category')}
          rules={[{ required: true, message: t('field.report.categoryRequired') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={options}
            loading={tree.isPending}
            placeholder={t('field.report.categoryPlaceholder')}
            notFoundContent={tree.isError ? t('field.report.categoriesOffline') : undefined}
            data-testid="field-category"
          />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('field.report.description')}
          rules={[{ required: true, min: 2, whitespace: true, message: t('cases.form.descriptionRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={2000} placeholder={t('field.report.descriptionPlaceholder')} />
        </Form.Item>
        <AttributeFields attributes={fields} />
        {fieldsUnknown ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('field.report.attributesOffline')}
            data-testid="attributes-offline"
          />
        ) : null}
        <Form.Item name="photos" label={t('field.report.photos')}>
          <LocalPhotos />
        </Form.Item>
        <Form.Item name="mode" label={t('field.report.location')}>
          <Segmented
            block
            options={[
              { value: 'gps', label: t('field.report.byGps') },
              { value: 'grid', label: t('field.report.byGrid') },
            ]}
          />
        </Form.Item>
        {noFix ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="geolocation-problem"
            title={
              position.status === 'denied'
                ? t('field.report.denied')
                : position.status === 'unavailable'
                  ? t('field.report.unavailable', { message: position.message })
                  : t('field.report.unsupported')
            }
          />
        ) : null}
        {mode === 'gps' ? (
          <div className="gg-field-location" data-testid="field-location">
            {position.status === 'locating' || position.status === 'idle' ? (
              <Typography.Text>{t('field.report.locating')}</Typography.Text>
            ) : null}
            {located ? (
              <Space orientation="vertical" size={2}>
                <Typography.Text>
                  {t('field.report.located', {
                    lon: located.lon.toFixed(5),
                    lat: located.lat.toFixed(5),
                    accuracy: located.accuracy,
                  })}
                </Typography.Text>
                {!online ? (
                  <Typography.Text type="secondary">{t('field.report.locateOffline')}</Typography.Text>
                ) : null}
                {online && locate.data?.found ? (
                  <Typography.Text strong data-testid="field-grid">
                    {t('field.report.inGrid', { name: locate.data.grid.name })}
                  </Typography.Text>
                ) : null}
                {online && locate.data && !locate.data.found ? (
                  <Typography.Text type="danger">{t('field.report.outsideGrids')}</Typography.Text>
                ) : null}
              </Space>
            ) : null}
            <Button icon={<AimOutlined />} onClick={relocate} loading={position.status === 'locating'} block>
              {t('field.report.locate')}
            </Button>
          </div>
        ) : (
          <Form.Item
            name="regionCode"
            label={t('field.report.grid')}
            rules={[{ required: true, message: t('cases.form.gridRequired') }]}
            extra={online ? undefined : t('field.report.gridsOffline')}
          >
            <RegionPicker />
          </Form.Item>
        )}
        {duplicates.data?.length ? (
          <Alert
            type="warning"
            showIcon
            style={{ margin: '12px 0' }}
            data-testid="possible-duplicates"
            title={t('cases.form.possibleDuplicates', { count: duplicates.data.length })}
            description={
              <Space orientation="vertical" size={2}>
                {duplicates.data.map((c) => (
                  <Link key={c.id} to={fieldCasePath(c.id, 'report')}>
                    {c.caseNumber} · {c.categoryName} · {c.description}
                  </Link>
                ))}
              </Space>
            }
          />
        ) : null}
        <Form.Item name="address" label={t('field.report.address')} style={{ marginTop: 12 }}>
          <Input maxLength={200} />
        </Form.Item>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Button type="primary" htmlType="submit" block loading={saving} data-testid="field-submit">
            {fixing ? t('field.report.resend') : t('field.report.submit')}
          </Button>
          {fixing ? (
            <Button block onClick={stopFixing}>
              {t('field.report.cancelFix')}
            </Button>
          ) : null}
        </Space>
      </Form>
    </Card>
  );
}
