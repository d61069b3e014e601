import { AimOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Cascader,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import {
  CASE_SOURCE_LABELS,
  CASE_STEPS,
  CATEGORY_KIND_LABELS,
  CATEGORY_KINDS,
  type Category,
  DESK_ROLES,
  DESK_SOURCES,
  TIME_UNIT_LABELS,
} from '../../../shared/cases.ts';
import { errorText } from '../../api/client.ts';
import { newClientKey } from '../../api/client-key.ts';
import { useSession } from '../../api/session.ts';
import {
  AttributeFields,
  attributeValuesOf,
  showAttributeIssues,
} from '../../components/AttributeFields.tsx';
import { showServerIssues } from '../../components/formErrors.ts';
import { PhotoUpload } from '../../components/PhotoUpload.tsx';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { useGridGeoJson, useLocate } from '../territory/api.ts';
import { GridMap } from '../territory/GridMap.tsx';
import {
  type ReportCaseInput,
  useCategoryAttributes,
  useCategoryTree,
  usePossibleDuplicates,
  useReportCase,
} from './api.ts';

interface ReportValues {
  source: (typeof DESK_SOURCES)[number];
  evidence?: string[];
  /** The grid chosen when the point lies outside every grid. */
  pointGrid?: string;
  category?: (string | number)[];
  description: string;
  mode: 'point' | 'grid';
  lon?: number;
  lat?: number;
  regionCode?: string;
  address?: string;
  reporterName?: string;
  reporterPhone?: string;
  attributes?: Record<string, unknown>;
}

interface CategoryOption {
  value: string | number;
  label: string;
  children?: CategoryOption[];
}

/**
 * 受理登记, the report desk: a dispatcher logs what reached the office — a call, a visit, an order taken by
 * hand — with its source, the caller (private: masked for the people working the case), photos, and the place
 * clicked on the map or found by address, whose grid is proposed from the point.
 */
export default function ReportCasePage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReportValues>();
  const tree = useCategoryTree();
  const report = useReportCase();
  // One key per form: a double click or a retry replays the same report instead of creating a second case.
  const clientKey = useRef(newClientKey());
  const [locating, setLocating] = useState(false);
  const mode = Form.useWatch('mode', form) ?? 'point';
  const categoryPath = Form.useWatch('category', form);
  const lon = Form.useWatch('lon', form);
  const lat = Form.useWatch('lat', form);
  const session = useSession().data;
  // Only the desk names where a report came from; anyone else reports as their own role.
  const desk = session ? DESK_ROLES.includes(session.user.role) : false;
  const grids = useGridGeoJson(session?.user.regionCode);
  const locate = useLocate();
  const locateMutate = locate.mutate;
  const point = useMemo<[number, number] | null>(
    () => (typeof lon === 'number' && typeof lat === 'number' ? [lon, lat] : null),
    [lon, lat],
  );
  // The grid follows the point: proposed by the locate service, or asked for when no grid holds it.
  useEffect(() => {
    if (point) locateMutate({ lon: point[0], lat: point[1] });
  }, [point, locateMutate]);
  const located = point ? locate.data : undefined;
  const setPoint = ([lonValue, latValue]: [number, number]) =>
    form.setFieldsValue({ lon: Number(lonValue.toFixed(6)), lat: Number(latValue.toFixed(6)) });

  const minors = useMemo(() => {
    const map = new Map<number, Category>();
    for (const major of tree.data ?? []) for (const minor of major.children) map.set(minor.id, minor);
    return map;
  }, [tree.data]);

  const options = useMemo<CategoryOption[]>(
    () =>
      CATEGORY_KINDS.map((kind) => ({
        value: kind,
        label: pickLabel(CATEGORY_KIND_LABELS[kind], locale),
        children: (tree.data ?? [])
          .filter((major) => major.kind === kind && major.active)
          .map((major) => ({
            value: major.id,
            label: `${major.code} ${major.name}`,
            children: major.children
              .filter((minor) => minor.active)
              .map((minor) => ({ value: minor.id, label: `${minor.code} ${minor.name}` })),
          }))
          .filter((major) => major.children.length > 0),
      })).filter((kind) => kind.children.length > 0),
    [tree.data, locale],
  );

  const selected = typeof categoryPath?.[2] === 'number' ? minors.get(categoryPath[2]) : undefined;
  const limitsText = selected
    ? CASE_STEPS.flatMap((step) => {
        const limit = selected.limits[step];
        return limit
          ? [`${t(`cases.steps.${step}`)} ${limit.amount} ${pickLabel(TIME_UNIT_LABELS[limit.unit], locale)}`]
          : [];
      }).join(' · ')
    : '';

  const attributes = useCategoryAttributes(selected?.id).data ?? [];

  const duplicates = usePossibleDuplicates(
    selected && mode === 'point' && typeof lon === 'number' && typeof lat === 'number'
      ? { categoryId: selected.id, lon, lat }
      : null,
  );

  const locateMe = () => {
    if (!('geolocation' in navigator)) {
      void message.error(t('cases.form.geolocationUnsupported'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        form.setFieldsValue({
          lon: Number(position.coords.longitude.toFixed(6)),
          lat: Number(position.coords.latitude.toFixed(6)),
        });
      },
      (error) => {
        setLocating(false);
        void message.error(t('cases.form.geolocationFailed', { message: error.message }));
      },
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  };

  const submit = (values: ReportValues) => {
    if (values.mode === 'point' && !point) {
      void message.error(t('cases.form.pointRequired'));
      return;
    }
    const input: ReportCaseInput = {
      clientKey: clientKey.current,
      categoryId: Number(values.category?.[2]),
      description: values.description.trim(),
      address: values.address?.trim() || undefined,
      reporterName: values.reporterName?.trim() || undefined,
      reporterPhone: values.reporterPhone?.trim() || undefined,
      ...(desk ? { source: values.source } : {}),
      ...(values.evidence?.length ? { evidence: values.evidence } : {}),
      attributes: attributeValuesOf(attributes, values.attributes),
      ...(values.mode === 'grid'
        ? { regionCode: values.regionCode }
        : {
            lon: values.lon,
            lat: values.lat,
            ...(values.pointGrid ? { regionCode: values.pointGrid } : {}),
          }),
    };
    report.mutate(input, {
      onSuccess: (detail) => {
        void message.success(t('cases.reported'));
        navigate(`/cases/${detail.id}`, { replace: true });
      },
      onError: (error) => {
        showServerIssues(form, error, [
          'description',
          'lon',
          'lat',
          'regionCode',
          'address',
          'reporterName',
          'reporterPhone',
          'source',
          'evidence',
        ]);
        showAttributeIssues(form, error);
      },
    });
  };

  return (
    <Card title={t('desk.title')} style={{ maxWidth: 860 }}>
      {report.isError ? (
        <Alert type="error" showIcon title={errorText(report.error)} style={{ marginBottom: 12 }} />
      ) : null}
      {tree.isError ? (
        <Alert type="error" showIcon title={errorText(tree.error)} style={{ marginBottom: 12 }} />
      ) : null}
      <Form<ReportValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ mode: 'point', source: 'phone' }}
      >
        {desk ? (
          <Form.Item name="source" label={t('desk.source')}>
            <Select
              style={{ maxWidth: 240 }}
              data-testid="desk-source"
              options={DESK_SOURCES.map((value) => ({
                value,
                label: pickLabel(CASE_SOURCE_LABELS[value], locale),
              }))}
            />
          </Form.Item>
        ) : null}
        <Form.Item
          name="category"
          label={t('cases.form.category')}
          rules={[
            {
              validator: (_, value?: (string | number)[]) =>
                value && typeof value[2] === 'number'
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('cases.form.categoryRequired'))),
            },
          ]}
          extra={
            selected ? (
              <Space wrap size={4} data-testid="category-limits">
                <span>
                  {t('common.labelValue', { label: t('cases.form.limits'), value: limitsText || '—' })}
                </span>
                {selected.defaultDepartmentName ? (
                  <span>
                    {t('common.labelValue', {
                      label: t('cases.form.defaultDepartment'),
                      value: selected.defaultDepartmentName,
                    })}
                  </span>
                ) : null}
                {selected.onTheSpot ? <Tag color="green">{t('cases.form.onTheSpot')}</Tag> : null}
              </Space>
            ) : null
          }
        >
          <Cascader options={options} loading={tree.isPending} showSearch style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('cases.fields.description')}
          rules={[{ required: true, min: 2, whitespace: true, message: t('cases.form.descriptionRequired') }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
        <AttributeFields attributes={attributes} />
        <Form.Item name="mode" label={t('cases.form.locationMode')}>
          <Radio.Group
            options={[
              { value: 'point', label: t('cases.form.byPoint') },
              { value: 'grid', label: t('cases.form.byGrid') },
            ]}
          />
        </Form.Item>
        {mode === 'point' ? (
          <>
            <Form.Item
              label={t('desk.place')}
              extra={t('desk.placeHint')}
              required
              style={{ marginBottom: 8 }}
            >
              <div className="gg-small-map gg-desk-map" data-testid="desk-map">
                <GridMap
                  data={grids.data}
                  point={point}
                  onMapClick={setPoint}
                  onSearchPick={(hit) => {
                    setPoint([hit.lon, hit.lat]);
                    if (hit.kind === 'address' || hit.kind === 'building')
                      form.setFieldsValue({ address: hit.label });
                  }}
                />
              </div>
            </Form.Item>
            <Space align="end" wrap style={{ marginBottom: 12 }}>
              {/* Set by a click or a search on the map, or typed (coordinates a caller reads off a phone). */}
              <Form.Item name="lon" label={t('cases.form.lon')} style={{ marginBottom: 0 }}>
                <InputNumber min={-180} max={180} step={0.0001} style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name="lat" label={t('cases.form.lat')} style={{ marginBottom: 0 }}>
                <InputNumber min={-90} max={90} step={0.0001} style={{ width: 160 }} />
              </Form.Item>
              <Button icon={<AimOutlined />} onClick={locateMe} loading={locating}>
                {t('cases.form.useMyLocation')}
              </Button>
              {point ? null : (
                <Typography.Text type="warning">{t('cases.form.pointRequired')}</Typography.Text>
              )}
            </Space>
            {located?.found ? (
              <Alert
                type="success"
                showIcon
                style={{ marginBottom: 16 }}
                data-testid="desk-grid"
                title={t('desk.proposedGrid', {
                  grid: located.grid.name,
                  village: located.ancestors.find((a) => a.level === 'village')?.name ?? '',
                })}
              />
            ) : null}
            {located && !located.found ? (
              <Form.Item
                name="pointGrid"
                label={t('desk.chooseGrid')}
                extra={located.message}
                rules={[{ required: true, message: t('cases.form.gridRequired') }]}
              >
                <RegionPicker />
              </Form.Item>
            ) : null}
          </>
        ) : (
          <Form.Item
            name="regionCode"
            label={t('cases.fields.grid')}
            rules={[{ required: true, message: t('cases.form.gridRequired') }]}
          >
            <RegionPicker />
          </Form.Item>
        )}
        {duplicates.data?.length ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="possible-duplicates"
            title={t('cases.form.possibleDuplicates', { count: duplicates.data.length })}
            description={
              <Space direction="vertical" size={2}>
                {duplicates.data.map((c) => (
                  <Link key={c.id} to={`/cases/${c.id}`}>
                    {c.caseNumber} · {c.categoryName} · {c.description}
                  </Link>
                ))}
              </Space>
            }
          />
        ) : null}
        <Form.Item name="evidence" label={t('desk.photos')}>
          <PhotoUpload />
        </Form.Item>
        <Form.Item name="address" label={t('cases.fields.address')}>
          <Input maxLength={200} />
        </Form.Item>
        <Typography.Text type="secondary">{t('desk.callerPrivate')}</Typography.Text>
        <Space wrap style={{ marginTop: 8 }}>
          <Form.Item name="reporterName" label={t('desk.callerName')}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="reporterPhone" label={t('desk.callerPhone')}>
            <Input maxLength={20} />
          </Form.Item>
        </Space>
        <Form.Item style={{ marginBottom: 0 }}>
          <Space>
            <Button type="primary" htmlType="submit" loading={report.isPending}>
              {t('cases.form.submit')}
            </Button>
            <Button onClick={() => navigate('/cases')}>{t('common.cancel')}</Button>
          </Space>
        </Form.Item>
      </Form>
    </Card>
  );
}
