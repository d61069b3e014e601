import { KeyOutlined, UnlockOutlined } from '@ant-design/icons';
import { App, Button, Flex, Input, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/people.ts';
import { ROLE_LABELS, ROLES } from '../../../shared/roles.ts';
import { errorText } from '../../api/client.ts';
import { AdminTable } from '../../components/AdminTable.tsx';
import { formatDateTime } from '../../components/time.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { maskPhone } from '../territory/format.ts';
import { useUnlockUser, useUsers } from './api.ts';
import { ResetPasswordModal, UserFormModal } from './UserForm.tsx';

function isLocked(user: User): boolean {
  return user.lockedUntil !== null && new Date(user.lockedUntil).getTime() > Date.now();
}

/** 用户管理: find, create and edit users, reset passwords, lift lockouts. */
export default function UsersPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { message } = App.useApp();
  const [query, setQuery] = useState<{ q?: string; role?: string; page: number; pageSize: number }>({
    page: 1,
    pageSize: 20,
  });
  const users = useUsers(query);
  const [resetting, setResetting] = useState<User | null>(null);

  const unlock = useUnlockUser({
    onSuccess: () => void message.success(t('users.unlocked')),
    onError: (error) => void message.error(errorText(error)),
  });

  return (
    <AdminTable<User>
      title={t('users.title')}
      createLabel={t('users.create')}
      toolbar={
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('users.searchPlaceholder')}
            aria-label={t('common.search')}
            style={{ width: 280 }}
            onSearch={(q) => setQuery((current) => ({ ...current, q: q.trim() || undefined, page: 1 }))}
          />
          <Select
            allowClear
            placeholder={t('users.allRoles')}
            aria-label={t('users.roleFilter')}
            style={{ width: 180 }}
            value={query.role}
            onChange={(role?: string) => setQuery((current) => ({ ...current, role, page: 1 }))}
            options={ROLES.map((role) => ({ value: role, label: pickLabel(ROLE_LABELS[role], locale) }))}
          />
        </Flex>
      }
      size="middle"
      rows={users.data?.items}
      loading={users.isFetching}
      error={users.error}
      editor={(user, close) => <UserFormModal user={user} onClose={close} />}
      pagination={{
        current: query.page,
        pageSize: query.pageSize,
        total: users.data?.total ?? 0,
        showSizeChanger: true,
        showTotal: (total) => t('common.total', { count: total }),
        onChange: (page, pageSize) => setQuery((current) => ({ ...current, page, pageSize })),
      }}
      columns={({ edit }) => [
        { key: 'username', title: t('users.fields.username'), dataIndex: 'username' },
        {
          key: 'displayName',
          title: `${t('users.fields.displayName')} / ${t('users.fields.department')}`,
          render: (_, user) => (
            <>
              <div>{user.displayName}</div>
              {user.departmentName ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {user.departmentName}
                </Typography.Text>
              ) : null}
            </>
          ),
        },
        {
          key: 'role',
          title: t('users.fields.role'),
          width: 170,
          render: (_, user) => <Tag color="blue">{pickLabel(ROLE_LABELS[user.role], locale)}</Tag>,
        },
        {
          key: 'region',
          title: t('users.fields.region'),
          width: 170,
          render: (_, user) => (
            <>
              <div>{user.regionName}</div>
              <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                {user.regionCode}
              </Typography.Text>
            </>
          ),
        },
        {
          key: 'phone',
          title: t('users.fields.phone'),
          width: 130,
          render: (_, user) => <span style={{ whiteSpace: 'nowrap' }}>{maskPhone(user.phone)}</span>,
        },
        {
          key: 'status',
          title: t('users.fields.status'),
          render: (_, user) => {
            if (!user.active) return <Tag>{t('users.status.disabled')}</Tag>;
            if (isLocked(user) && user.lockedUntil)
              return (
                <Tag color="red">{t('users.status.locked', { until: formatDateTime(user.lockedUntil) })}</Tag>
              );
            if (!user.canLogin) return <Tag color="default">{t('users.status.noLogin')}</Tag>;
            return <Tag color="green">{t('users.status.active')}</Tag>;
          },
        },
        {
          key: 'actions',
          title: t('common.actions'),
          width: 150,
          render: (_, user) => (
            <Space size={0}>
              <Button type="link" size="small" onClick={() => edit(user)}>
                {t('common.edit')}
              </Button>
              <Tooltip title={t('users.resetPassword')}>
                <Button
                  type="link"
                  size="small"
                  icon={<KeyOutlined />}
                  aria-label={t('users.resetPassword')}
                  onClick={() => setResetting(user)}
                />
              </Tooltip>
              {isLocked(user) ? (
                <Button
                  type="link"
                  size="small"
                  icon={<UnlockOutlined />}
                  loading={unlock.isPending && unlock.variables?.id === user.id}
                  onClick={() => unlock.mutate(user)}
                >
                  {t('users.unlock')}
                </Button>
              ) : null}
            </Space>
          ),
        },
      ]}
    >
      {resetting ? <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} /> : null}
    </AdminTable>
  );
}
