import { AimOutlined, CloseOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Result, Space, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTicketCode } from '../../../shared/portal.ts';
import type { PublicRegistrationAnswer } from '../../../shared/registrations.ts';
import { checkIdNumber, checkPhone } from '../../../shared/registry-validation.ts';
import { errorText } from '../../api/client.ts';
import { newClientKey } from '../../api/client-key.ts';
import { showServerIssues } from '../../components/formErrors.ts';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { usePosition } from '../field/usePosition.ts';
import { fetchFormToken, usePortalGrids } from '../portal/api.ts';
import { sendRegistration, usePublicRegistrationSettings } from './api.ts';

// The map library is most of a megabyte: a registrant who types the address never downloads it.
const GridMap = lazy(() =>
  import('../territory/GridMap.tsx').then((module) => ({ default: module.GridMap })),
);

interface Values {
  name: string;
  idNumber: string;
  phone: string;
  origin: string;
  arrivedAt: string;
  address: string;
  website?: string;
}

const FIELDS = ['name', 'idNumber', 'phone', 'origin', 'arrivedAt', 'address'];

/** `YYYY-MM-DDTHH:mm` of an instant in the browser's time zone: what a datetime-local input holds. */
function localInputValue(at: Date): string {
  const shifted = new Date(at.getTime() - at.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

/** A pure check's refusal as an antd rule's error, in the page's language. */
function checked(check: (value: string) => ReturnType<typeof checkPhone> | ReturnType<typeof checkIdNumber>) {
  return async (_: unknown, value: string | undefined) => {
    if (!value) return;
    const result = check(value);
    if (result.ok) return;
    const text = currentLocale() === 'en-US' ? result.problem.en : result.problem.zh;
    throw new Error(text.replace(/\{(\w+)\}/g, (_match, key: string) => result.params?.[key] ?? ''));
  };
}

/**
 * `/public/registration`: people arriving from elsewhere register (报备) with their destination community —
 * who, ID number, phone, where from, when they arrived, the destination address and, optionally, its point (the
 * phone's position or a tap on the map). No login; the portal's frame, gate and limits.
 */
export default function PublicRegistrationPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const settings = usePublicRegistrationSettings();
  const hours = settings.data?.windowHours ?? 12;
  const [position, locate] = usePosition();
  const [wantPosition, setWantPosition] = useState(false);
  const [point, setPoint] = useState<[number, number] | null>(null);
  const [mapOpen, setMapOpen] = useState(false);
  const grids = usePortalGrids();
  const [formToken, setFormToken] = useState<string | null>(null);
  // One key per filled-in form: a retry after a lost answer gets the receipt the first try created.
  const [clientKey, setClientKey] = useState(newClientKey);
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<PublicRegistrationAnswer | null>(null);

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
  // The position is the destination only when the registrant asks for it: they may not be there yet.
  useEffect(() => {
    if (wantPosition && position.status === 'located') setPoint([position.lon, position.lat]);
  }, [wantPosition, position]);

  const submit = async (values: Values) => {
    setSending(true);
    try {
      const answer = await sendRegistration({
        name: values.name,
        idNumber: values.idNumber,
        phone: values.phone,
        origin: values.origin,
        arrivedAt: new Date(values.arrivedAt).toISOString(),
        address: values.address,
        ...(point ? { lon: Number(point[0].toFixed(6)), lat: Number(point[1].toFixed(6)) } : {}),
        ...(values.website ? { website: values.website } : {}),
        formToken: formToken ?? '',
        clientKey,
      });
      setSent(answer);
    } catch (error) {
      if (!showServerIssues(form, error, FIELDS)) message.error(errorText(error));
      // A token refused as stale or forged: the next try carries a fresh one.
      void renewToken();
    } finally {
      setSending(false);
    }
  };

  if (sent) {
    return (
      <Result
        status={sent.late ? 'warning' : 'success'}
        title={t('registrations.public.done.title')}
        subTitle={
          <>
            <Typography.Title level={4} copyable={{ text: sent.receiptCode }} data-testid="receipt-code">
              {t('registrations.public.done.receipt', { code: formatTicketCode(sent.receiptCode) })}
            </Typography.Title>
            <Typography.Paragraph>
              {t('registrations.public.done.community', { community: sent.communityName })}
              {sent.gridName ? (
                <>
                  <br />
                  {t('registrations.public.done.grid', { grid: sent.gridName })}
                </>
              ) : null}
            </Typography.Paragraph>
            {sent.late ? (
              <Alert
                type="warning"
                showIcon
                data-testid="registration-late"
                title={t('registrations.public.done.late', { hours: sent.windowHours })}
              />
            ) : null}
            <Typography.Paragraph type="secondary">
              {t('registrations.public.done.keep')}
            </Typography.Paragraph>
          </>
        }
        extra={
          <Button
            onClick={() => {
              form.resetFields();
              setPoint(null);
              setSent(null);
              setClientKey(newClientKey());
              void renewToken();
            }}
          >
            {t('registrations.public.done.another')}
          </Button>
        }
      />
    );
  }

  return (
    <section className="gg-portal-card">
      <Typography.Title level={5} className="gg-portal-card-title">
        {t('registrations.public.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('registrations.public.intro', { hours })}
      </Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark
        initialValues={{ arrivedAt: localInputValue(new Date()) }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item name="name" label={t('registrations.public.name')} rules={[{ required: true, max: 40 }]}>
          <Input autoComplete="name" maxLength={40} />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={t('registrations.public.idNumber')}
          rules={[{ required: true }, { validator: checked((v) => checkIdNumber(v)) }]}
        >
          <Input autoComplete="off" maxLength={18} spellCheck={false} />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('registrations.public.phone')}
          rules={[{ required: true }, { validator: checked(checkPhone) }]}
        >
          <Input type="tel" inputMode="tel" autoComplete="tel" maxLength={20} />
        </Form.Item>
        <Form.Item
          name="origin"
          label={t('registrations.public.origin')}
          rules={[{ required: true, max: 100 }]}
        >
          <Input maxLength={100} placeholder={t('registrations.public.originPlaceholder')} />
        </Form.Item>
        <Form.Item name="arrivedAt" label={t('registrations.public.arrivedAt')} rules={[{ required: true }]}>
          {/* The phone's own date-time picker: lighter than antd's and easier with a thumb. */}
          <Input type="datetime-local" max={localInputValue(new Date())} />
        </Form.Item>
        <Form.Item
          name="address"
          label={t('registrations.public.address')}
          rules={[{ required: true, max: 200 }]}
        >
          <Input.TextArea
            rows={2}
            maxLength={200}
            placeholder={t('registrations.public.addressPlaceholder')}
          />
        </Form.Item>
        <Form.Item label={t('registrations.public.place')}>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 6 }}>
            {point
              ? t('registrations.public.located', { lon: point[0].toFixed(5), lat: point[1].toFixed(5) })
              : t('registrations.public.placeHelp')}
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
              loading={wantPosition && position.status === 'locating'}
              onClick={() => {
                setWantPosition(true);
                locate();
              }}
            >
              {t('registrations.public.locate')}
            </Button>
            {mapOpen ? null : (
              <Button icon={<EnvironmentOutlined />} onClick={() => setMapOpen(true)}>
                {t('registrations.public.pickOnMap')}
              </Button>
            )}
            {point ? (
              <Button
                icon={<CloseOutlined />}
                onClick={() => {
                  setPoint(null);
                  setWantPosition(false);
                }}
              >
                {t('registrations.public.clearPlace')}
              </Button>
            ) : null}
          </Space>
        </Form.Item>
        {/* The bot trap: hidden from people (and from screen readers), filled in by form-spamming scripts. */}
        <div className="gg-portal-honeypot" aria-hidden="true">
          <Form.Item name="website" label={t('registrations.public.website')}>
            <Input tabIndex={-1} autoComplete="off" />
          </Form.Item>
        </div>
        <Button type="primary" htmlType="submit" size="large" block loading={sending}>
          {t('registrations.public.submit')}
        </Button>
      </Form>
    </section>
  );
}
