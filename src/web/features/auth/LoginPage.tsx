import { ApartmentOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { errorText } from '../../api/client.ts';
import { useConfig, useLogin, useSession } from '../../api/session.ts';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import type { Catalogue } from '../../i18n/zh-CN.ts';

const DEMO_PASSWORD = 'Gridgov@2026';
const DEMO_USERS: (keyof Catalogue['auth']['demoUsers'])[] = [
  'admin',
  'dispatcher',
  'leader',
  'inspector',
  'chengguan',
  'heqing',
  'yingming',
];

interface LoginForm {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<LoginForm>();
  const config = useConfig();
  const session = useSession();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;

  if (session.data) return <Navigate to={from ?? '/'} replace />;

  const submit = (values: LoginForm) =>
    login.mutate(values, {
      onSuccess: () => navigate(from && from !== '/login' ? from : '/', { replace: true }),
    });

  return (
    <div className="gg-login">
      <div className="gg-login-inner">
        <div className="gg-login-top">
          <LanguageSwitch size="middle" />
        </div>
        {/* Plain boxes, not antd's Card: Card brings Tabs and its menus, which this first page need not load. */}
        <div className="gg-login-card">
          <div style={{ textAlign: 'center', marginBottom: 24 }}>
            <span className="gg-brand-mark" style={{ width: 48, height: 48, fontSize: 24, borderRadius: 10 }}>
              <ApartmentOutlined />
            </span>
            <Typography.Title level={3} style={{ margin: '12px 0 4px' }}>
              {t('app.name')} <Typography.Text type="secondary">{t('app.shortName')}</Typography.Text>
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
          </div>
          <Form<LoginForm> form={form} layout="vertical" onFinish={submit} requiredMark={false} size="large">
            <Form.Item
              name="username"
              label={t('auth.username')}
              rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}
            >
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('auth.password')}
              rules={[{ required: true, message: t('auth.passwordRequired') }]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            {login.isError ? (
              <Alert
                type="error"
                showIcon
                title={errorText(login.error)}
                style={{ marginBottom: 16 }}
                role="alert"
              />
            ) : null}
            <Button type="primary" htmlType="submit" block loading={login.isPending}>
              {t('auth.login')}
            </Button>
          </Form>
        </div>
        {config.data?.demo ? (
          <section className="gg-login-card gg-login-card-small" data-testid="demo-logins">
            <Typography.Title level={5} className="gg-login-card-title">
              {t('auth.demoTitle')}
            </Typography.Title>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t('auth.demoPassword')}
              <Typography.Text code copyable>
                {DEMO_PASSWORD}
              </Typography.Text>
            </Typography.Paragraph>
            <div>
              {DEMO_USERS.map((username) => (
                <Flex key={username} align="center" gap={8} className="gg-demo-row">
                  <Typography.Text code style={{ minWidth: 84 }}>
                    {username}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ flex: 1 }}>
                    {t(`auth.demoUsers.${username}`)}
                  </Typography.Text>
                  <Button
                    size="small"
                    type="link"
                    aria-label={`${t('auth.demoUse')} ${username}`}
                    onClick={() => form.setFieldsValue({ username, password: DEMO_PASSWORD })}
                  >
                    {t('auth.demoUse')}
                  </Button>
                </Flex>
              ))}
            </div>
          </section>
        ) : null}
      </div>
    </div>
  );
}
