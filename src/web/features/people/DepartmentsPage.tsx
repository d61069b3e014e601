import { App, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Department } from '../../../shared/people.ts';
import { AdminTable } from '../../components/AdminTable.tsx';
import { showServerIssues } from '../../components/formErrors.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { SaveModal } from '../../components/SaveModal.tsx';
import { useDepartments, useSaveDepartment } from './api.ts';

// The same rules as createDepartmentSchema in src/shared/people.ts.
const CODE = /^[A-Za-z0-9_-]{2,32}$/;

interface DepartmentFormValues {
  code: string;
  name: string;
  regionCode: string;
}

function DepartmentModal({ department, onClose }: { department: Department | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<DepartmentFormValues>();
  const save = useSaveDepartment({
    onSuccess: () => {
      void message.success(t(department ? 'departments.updated' : 'departments.created'));
      onClose();
    },
    onError: (error) => showServerIssues(form, error, ['code', 'name', 'regionCode']),
  });
  const submit = (values: DepartmentFormValues) => {
    const body = { code: values.code.trim(), name: values.name.trim(), regionCode: values.regionCode };
    save.mutate(
      department ? { id: department.id, body: { ...body, version: department.version } } : { id: null, body },
    );
  };

  return (
    <SaveModal
      title={t(department ? 'departments.edit' : 'departments.create')}
      onClose={onClose}
      onSave={() => form.submit()}
      saving={save.isPending}
      error={save.isError ? save.error : null}
    >
      <Form<DepartmentFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={department ?? undefined}
      >
        <Form.Item
          name="code"
          label={t('departments.fields.code')}
          rules={[{ required: true, pattern: CODE, message: t('departments.validation.codeFormat') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('departments.fields.name')}
          rules={[
            {
              required: true,
              whitespace: true,
              min: 2,
              max: 64,
              message: t('departments.validation.nameLength'),
            },
          ]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={t('departments.fields.region')}
          rules={[{ required: true, message: t('departments.validation.regionRequired') }]}
        >
          <RegionPicker currentLabel={department?.regionName} />
        </Form.Item>
      </Form>
    </SaveModal>
  );
}

/** 部门管理: the departments (职能部门) that handle cases. */
export default function DepartmentsPage() {
  const { t } = useTranslation();
  const departments = useDepartments();

  return (
    <AdminTable<Department>
      title={t('departments.title')}
      createLabel={t('departments.create')}
      rows={departments.data}
      loading={departments.isFetching}
      error={departments.error}
      editor={(department, close) => <DepartmentModal department={department} onClose={close} />}
      pagination={{
        pageSize: 20,
        hideOnSinglePage: true,
        showTotal: (total) => t('common.total', { count: total }),
      }}
      columns={({ edit }) => [
        { key: 'code', title: t('departments.fields.code'), dataIndex: 'code' },
        { key: 'name', title: t('departments.fields.name'), dataIndex: 'name' },
        {
          key: 'region',
          title: t('departments.fields.region'),
          render: (_, department) =>
            t('common.nameWithCode', { name: department.regionName, code: department.regionCode }),
        },
        {
          key: 'userCount',
          title: t('departments.fields.userCount'),
          dataIndex: 'userCount',
          align: 'right',
        },
        {
          key: 'actions',
          title: t('common.actions'),
          render: (_, department) => (
            <Button type="link" size="small" onClick={() => edit(department)}>
              {t('common.edit')}
            </Button>
          ),
        },
      ]}
    />
  );
}
