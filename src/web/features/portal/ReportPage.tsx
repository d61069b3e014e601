import { AimOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Result, Select, Space, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatTicketCode, MAX_PORTAL_PHOTOS, type PortalReportAnswer } from '../../../shared/portal.ts';
import { errorText } from '../../api/client.ts';
import { newClientKey } from '../../api/client-key.ts';
import {
  AttributeFields,
  attributeValuesOf,
  showAttributeIssues,
} from '../../components/AttributeFields.tsx';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { showServerIssues } from '../../components/formErrors.ts';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { LocalPhotos } from '../field/LocalPhotos.tsx';
import { usePosition } from '../field/usePosition.ts';
import { fetchFormToken, sendReport, usePortalCategories, usePortalGrids } from './api.ts';
import { rememberReport } from './myReports.ts';

// The map library is most of a megabyte: a resident whose phone gives its position never downloads it.
const GridMap = lazy(() =>
  import('../territory/GridMap.tsx').then((module) => ({ default: module.GridMap })),
);

interface Values {
  categoryId: number;
  description: string;
  photos?: Blob[];
  name?: string;
  phone?: string;
  website?: string;
  attributes?: Record<string, unknown>;
}

/**
 * The report form: category (public ones only), a pin on the map or the phone's position, up to four photos,
 * a description, the category's extra fields, and an optional name and phone — anonymous unless the resident
 * fills them in.
 */
export default function ReportPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const categories = usePortalCategories();
  const grids = usePortalGrids();
  const [position, locate] = usePosition();
  const [point, setPoint] = useState<[number, number] | null>(null);
  const [pointMissing, setPointMissing] = useState(false);
  const [mapOpen, setMapOpen] = useState(false);
  const [formToken, setFormToken] = useState<string | null>(null);
  // One key per filled-in form: a retry after a lost answer gets the ticket the first try created.
  const [clientKey, setClientKey] = useState(newClientKey);
  const [progress, setProgress] = useState<string | null>(null);
  const [sent, setSent] = useState<PortalReportAnswer | null>(null);
  const categoryId = Form.useWatch('categoryId', form);
  const attributes = categories.data?.find((c) => c.id === categoryId)?.attributes ?? [];

  const renewToken = useCallback(
    () =>
      fetchFormToken()
        .then(({ token }) => setFormToken(token))
        .catch(() => setFormToken(null)),
    [],
  );
  useEffect(() => {
    void renewToken();
  }, [renewToken]);

  // The phone's position places the pin, unless the resident already tapped the map.
  useEffect(() => {
    if (position.status === 'located') setPoint((current) => current ?? [position.lon, position.lat]);
    // No position: the map is the way to say where.
    if (position.status === 'denied' || position.status === 'unavailable') setMapOpen(true);
  }, [position]);

  const options = useMemo(() => {
    const groups = new Map<string, { label: string; value: number }[]>();
    for (const c of categories.data ?? []) {
      groups.set(c.group, [...(groups.get(c.group) ?? []), { label: c.name, value: c.id }]);
    }
    return [...groups].map(([label, items]) => ({ label, options: items }));
  }, [categories.data]);

  const submit = async (values: Values) => {
    if (!point) {
      setPointMissing(true);
      return;
    }
    setProgress('');
    try {
      const answer = await sendReport(
        {
          categoryId: values.categoryId,
          description: values.description,
          lon: Number(point[0].toFixed(6)),
          lat: Number(point[1].toFixed(6)),
          photos: values.photos ?? [],
          name: values.name?.trim() || undefined,
          phone: values.phone?.trim() || undefined,
          website: values.website || undefined,
          attributes: attributeValuesOf(attributes, values.attributes),
          formToken: formToken ?? '',
          clientKey,
        },
        (done, total) => setProgress(total ? t('portal.report.uploading', { done, total }) : ''),
      );
      rememberReport({ ...answer, at: new Date().toISOString() });
      setSent(answer);
    } catch (error) {
      const onFields = showServerIssues(form, error, ['categoryId', 'description', 'name', 'phone']);
      if (!showAttributeIssues(form, error) && !onFields) message.error(errorText(error));
      // A token refused as stale or forged: the next try carries a fresh one.
      void renewToken();
    } finally {
      setProgress(null);
    }
  };

  if (sent) {
    return (
      <Result
        status="success"
        title={t('portal.done.title')}
        subTitle={
          <>
            <Typography.Title level={4} copyable={{ text: sent.ticketNo }} data-testid="ticket-no">
              {t('portal.done.ticketNo', { ticketNo: formatTicketCode(sent.ticketNo) })}
            </Typography.Title>
            <Typography.Paragraph type="secondary">{t('portal.done.keep')}</Typography.Paragraph>
          </>
        }
        extra={[
          <Button key="follow" type="primary" onClick={() => navigate(`/public/tickets/${sent.ticketNo}`)}>
            {t('portal.done.follow')}
          </Button>,
          <Button
            key="again"
            onClick={() => {
              form.resetFields();
              setSent(null);
              setClientKey(newClientKey());
              void renewToken();
            }}
          >
            {t('portal.done.another')}
          </Button>,
        ]}
      />
    );
  }
  if (categories.isError)
    return <ErrorResult error={categories.error} onRetry={() => void categories.refetch()} />;

  return (
    // A plain box rather than antd's Card, which brings Tabs and their menus to a page that has none.
    <section className="gg-portal-card">
      <Typography.Title level={5} className="gg-portal-card-title">
        {t('portal.report.title')}
      </Typography.Title>
      <Form<Values> form={form} layout="vertical" onFinish={(values) => void submit(values)} requiredMark>
        <Form.Item name="categoryId" label={t('portal.report.category')} rules={[{ required: true }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('portal.report.categoryPlaceholder')}
            loading={categories.isPending}
            options={options}
            data-testid="portal-category"
          />
        </Form.Item>
        <Form.Item
          label={t('portal.report.place')}
          required
          help={pointMissing && !point ? t('portal.report.noPlace') : undefined}
          validateStatus={pointMissing && !point ? 'error' : undefined}
        >
          <Typography.Paragraph type="secondary" style={{ marginBottom: 6 }}>
            {point
              ? t('portal.report.located', { lon: point[0].toFixed(5), lat: point[1].toFixed(5) })
              : t('portal.report.placeHelp')}
          </Typography.Paragraph>
          {mapOpen ? (
            <div className="gg-portal-map">
              <Suspense fallback={<PageSpinner />}>
                <GridMap data={grids.data} point={point} onMapClick={setPoint} signedIn={false} />
              </Suspense>
            </div>
          ) : null}
          <Space wrap style={{ marginTop: 6 }}>
            <Button
              icon={<AimOutlined />}
              loading={position.status === 'locating'}
              onClick={() => {
                setPoint(null);
                locate();
              }}
            >
              {t('portal.report.locate')}
            </Button>
            {mapOpen ? null : (
              <Button
                icon={<EnvironmentOutlined />}
                onClick={() => setMapOpen(true)}
                data-testid="portal-open-map"
              >
                {t('portal.report.pickOnMap')}
              </Button>
            )}
          </Space>
          {position.status === 'denied' || position.status === 'unavailable' ? (
            <Alert type="info" showIcon style={{ marginTop: 6 }} title={t('portal.report.locateFailed')} />
          ) : null}
        </Form.Item>
        <Form.Item name="photos" label={t('portal.report.photos', { max: MAX_PORTAL_PHOTOS })}>
          <LocalPhotos max={MAX_PORTAL_PHOTOS} />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('portal.report.description')}
          rules={[{ required: true, min: 5, max: 1000 }]}
        >
          <Input.TextArea
            rows={4}
            maxLength={1000}
            showCount
            placeholder={t('portal.report.descriptionPlaceholder')}
          />
        </Form.Item>
        <AttributeFields attributes={attributes} />
        <Typography.Text strong>{t('portal.report.contact')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('portal.report.anonymousNote')}
        </Typography.Paragraph>
        <Form.Item name="name" label={t('portal.report.name')} rules={[{ max: 40 }]}>
          <Input autoComplete="name" maxLength={40} />
        </Form.Item>
        <Form.Item name="phone" label={t('portal.report.phone')} rules={[{ pattern: /^\+?[\d\s-]{5,20}$/ }]}>
          <Input type="tel" inputMode="tel" autoComplete="tel" maxLength={20} />
        </Form.Item>
        {/* The bot trap: hidden from people (and from screen readers), filled in by form-spamming scripts. */}
        <div className="gg-portal-honeypot" aria-hidden="true">
          <Form.Item name="website" label={t('portal.report.website')}>
            <Input tabIndex={-1} autoComplete="off" />
          </Form.Item>
        </div>
        <Button type="primary" htmlType="submit" size="large" block loading={progress !== null}>
          {progress || t('portal.report.submit')}
        </Button>
      </Form>
    </section>
  );
}
