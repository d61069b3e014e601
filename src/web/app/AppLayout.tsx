// The console's texts, before this screen renders (the login and the portal go without them).
import '../i18n/console.ts';
import { ApartmentOutlined, DownOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Dropdown, Grid, Layout, Menu, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { ROLE_LABELS } from '../../shared/roles.ts';
import { errorText } from '../api/client.ts';
import { useLogout, useSession } from '../api/session.ts';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { NotificationBell } from '../features/notifications/NotificationBell.tsx';
import { pickLabel, useLocale } from '../i18n/index.ts';
import { navItemsFor } from './nav.tsx';

export function AppLayout() {
  const { t } = useTranslation();
  const locale = useLocale();
  const session = useSession().data;
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const { message, modal } = App.useApp();
  const screens = Grid.useBreakpoint();
  if (!session) return null;

  const { user, scope } = session;
  const roleLabel = pickLabel(ROLE_LABELS[user.role], locale);
  const items = navItemsFor(user.role);
  const selected = items.find((item) => location.pathname.startsWith(item.path))?.path;

  const doLogout = (everywhere: boolean) =>
    logout.mutate(
      { everywhere },
      {
        onSuccess: () => {
          void message.success(t(everywhere ? 'auth.loggedOutEverywhere' : 'auth.loggedOut'));
          navigate('/login', { replace: true });
        },
        onError: (error) => void message.error(errorText(error)),
      },
    );

  const wide = screens.lg !== false;
  // On a phone the side menu would cover the page: its entries move into the account menu.
  const phone = screens.md === false;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="gg-header">
        <Link to="/" className="gg-brand">
          <span className="gg-brand-mark">
            <ApartmentOutlined />
          </span>
          <span>{wide ? t('app.name') : t('app.shortName')}</span>
        </Link>
        <div className="gg-header-spacer" />
        {wide ? (
          <div className="gg-user" data-testid="header-user">
            <UserOutlined />
            <Typography.Text strong>{user.displayName}</Typography.Text>
            <Tag color="blue">{roleLabel}</Tag>
            <Tooltip title={t('common.nameWithCode', { name: scope.name, code: scope.code })}>
              <Typography.Text type="secondary">
                {t('common.labelValue', { label: t('layout.dataScope'), value: scope.name })}
              </Typography.Text>
            </Tooltip>
          </div>
        ) : null}
        <NotificationBell />
        <LanguageSwitch />
        {wide ? (
          <Space size={4}>
            <Button icon={<LogoutOutlined />} onClick={() => doLogout(false)} loading={logout.isPending}>
              {t('auth.logout')}
            </Button>
            <Popconfirm
              title={t('auth.logoutAll')}
              description={t('auth.logoutAllConfirm')}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              onConfirm={() => doLogout(true)}
            >
              <Button type="text">{t('auth.logoutAll')}</Button>
            </Popconfirm>
          </Space>
        ) : (
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                ...(phone
                  ? [
                      ...items.map((item) => ({ key: item.path, icon: item.icon, label: t(item.label) })),
                      { type: 'divider' as const },
                    ]
                  : []),
                { key: 'who', disabled: true, label: `${user.displayName} · ${roleLabel}` },
                {
                  key: 'scope',
                  disabled: true,
                  label: t('common.labelValue', { label: t('layout.dataScope'), value: scope.name }),
                },
                { type: 'divider' },
                { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout') },
                { key: 'logoutAll', label: t('auth.logoutAll') },
              ],
              onClick: ({ key }) => {
                if (key.startsWith('/')) navigate(key);
                if (key === 'logout') doLogout(false);
                if (key === 'logoutAll') {
                  modal.confirm({
                    title: t('auth.logoutAll'),
                    content: t('auth.logoutAllConfirm'),
                    okText: t('common.ok'),
                    cancelText: t('common.cancel'),
                    onOk: () => doLogout(true),
                  });
                }
              },
            }}
          >
            <Button icon={<UserOutlined />} aria-label={t('layout.userMenu')}>
              <DownOutlined />
            </Button>
          </Dropdown>
        )}
      </Layout.Header>
      <Layout>
        {phone ? null : (
          <Layout.Sider
            theme="light"
            width={200}
            breakpoint="lg"
            collapsedWidth={64}
            style={{ borderRight: '1px solid #e8e8e8' }}
          >
            <Menu
              mode="inline"
              selectedKeys={selected ? [selected] : []}
              style={{ borderInlineEnd: 'none', paddingTop: 8 }}
              items={items.map((item) => ({
                key: item.path,
                icon: item.icon,
                label: <Link to={item.path}>{t(item.label)}</Link>,
              }))}
            />
          </Layout.Sider>
        )}
        <Layout.Content className="gg-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
