import { Alert, App, Form, Input, Modal, Select, Switch } from 'antd';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/people.ts';
import { ROLE_LABELS, ROLES, type Role } from '../../../shared/roles.ts';
import { errorText } from '../../api/client.ts';
import { showServerIssues } from '../../components/formErrors.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { SaveModal } from '../../components/SaveModal.tsx';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { useDepartments, useResetPassword, useSaveUser } from './api.ts';

// The same rules as createUserSchema / updateUserSchema in src/shared/people.ts, with UI-language messages.
const USERNAME = /^[A-Za-z0-9_.-]{2,64}$/;
const PHONE = /^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/;
const REGION_CODE = /^\d{2,21}$/;

interface UserFormValues {
  username: string;
  displayName: string;
  phone?: string;
  role: Role;
  regionCode: string;
  departmentId?: number | null;
  password?: string;
  active: boolean;
}

const FIELDS = [
  'username',
  'displayName',
  'phone',
  'role',
  'regionCode',
  'departmentId',
  'password',
  'active',
];

/** Creates a user (no `user`) or edits one; field messages from the server land under their fields. */
export function UserFormModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<UserFormValues>();
  const departments = useDepartments();
  const editing = user !== null;

  const save = useSaveUser({
    onSuccess: () => {
      void message.success(t(editing ? 'users.updated' : 'users.created'));
      onClose();
    },
    onError: (error) => showServerIssues(form, error, FIELDS),
  });
  const submit = (values: UserFormValues) => {
    const phone = values.phone?.trim() ? values.phone.trim() : null;
    const departmentId = values.departmentId ?? null;
    if (user) {
      save.mutate({
        id: user.id,
        body: {
          version: user.version,
          displayName: values.displayName,
          phone,
          role: values.role,
          regionCode: values.regionCode,
          departmentId,
          active: values.active,
        },
      });
      return;
    }
    save.mutate({
      id: null,
      body: {
        username: values.username.trim(),
        displayName: values.displayName,
        phone,
        role: values.role,
        regionCode: values.regionCode,
        departmentId,
        ...(values.password ? { password: values.password } : {}),
      },
    });
  };

  const rules: Record<string, Rule[]> = {
    username: [
      { required: true, whitespace: true, message: t('users.validation.usernameRequired') },
      { pattern: USERNAME, message: t('users.validation.usernameFormat') },
    ],
    displayName: [
      { required: true, whitespace: true, message: t('users.validation.displayNameRequired') },
      { max: 64, message: t('users.validation.displayNameLength') },
    ],
    phone: [{ pattern: PHONE, message: t('users.validation.phoneFormat') }],
    role: [{ required: true, message: t('users.validation.roleRequired') }],
    regionCode: [
      { required: true, message: t('users.validation.regionRequired') },
      { pattern: REGION_CODE, message: t('users.validation.regionFormat') },
    ],
    password: [{ min: 10, message: t('users.validation.passwordLength') }],
  };

  return (
    <SaveModal
      title={t(editing ? 'users.edit' : 'users.create')}
      onClose={onClose}
      onSave={() => form.submit()}
      saving={save.isPending}
      error={save.isError ? save.error : null}
    >
      <Form<UserFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          user
            ? {
                username: user.username,
                displayName: user.displayName,
                phone: user.phone ?? '',
                role: user.role,
                regionCode: user.regionCode,
                departmentId: user.departmentId,
                active: user.active,
              }
            : { role: 'gridWorker', active: true }
        }
      >
        <Form.Item name="username" label={t('users.fields.username')} rules={editing ? [] : rules.username}>
          <Input disabled={editing} autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.fields.displayName')} rules={rules.displayName}>
          <Input />
        </Form.Item>
        <Form.Item name="phone" label={t('users.fields.phone')} rules={rules.phone}>
          <Input inputMode="tel" />
        </Form.Item>
        <Form.Item name="role" label={t('users.fields.role')} rules={rules.role}>
          <Select
            options={ROLES.map((role) => ({ value: role, label: pickLabel(ROLE_LABELS[role], locale) }))}
          />
        </Form.Item>
        <Form.Item name="regionCode" label={t('users.fields.region')} rules={rules.regionCode}>
          <RegionPicker currentLabel={user?.regionName} />
        </Form.Item>
        <Form.Item name="departmentId" label={t('users.fields.department')}>
          <Select
            allowClear
            loading={departments.isPending}
            options={(departments.data ?? []).map((department) => ({
              value: department.id,
              label: department.name,
            }))}
          />
        </Form.Item>
        {editing ? (
          <Form.Item name="active" label={t('users.fields.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        ) : (
          <Form.Item
            name="password"
            label={t('users.fields.password')}
            rules={rules.password}
            extra={t('users.passwordHelp')}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </SaveModal>
  );
}

/** Sets a new password for a user. */
export function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string }>();
  const reset = useResetPassword(user.id, {
    onSuccess: () => {
      void message.success(t('users.passwordReset'));
      onClose();
    },
    onError: (error) => showServerIssues(form, error, ['password']),
  });
  return (
    <Modal
      open
      title={`${t('users.resetPassword')} · ${t('common.nameWithCode', { name: user.displayName, code: user.username })}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={reset.isPending}
      destroyOnHidden
    >
      {reset.isError ? (
        <Alert type="error" showIcon title={errorText(reset.error)} style={{ marginBottom: 12 }} />
      ) : null}
      <Form form={form} layout="vertical" onFinish={(values) => reset.mutate(values)}>
        <Form.Item
          name="password"
          label={t('users.fields.newPassword')}
          rules={[
            { required: true, message: t('users.validation.passwordRequired') },
            { min: 10, message: t('users.validation.passwordLength') },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
