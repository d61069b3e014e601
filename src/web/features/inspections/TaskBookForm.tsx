import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Form, Input, Select, Table, TreeSelect } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { TaskInput } from '../../../shared/task-books.ts';
import { showServerIssues } from '../../components/formErrors.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { SaveModal } from '../../components/SaveModal.tsx';
import { useCategoryOptions } from '../cases/categoryOptions.ts';
import { useCampaigns, useCreateTaskBook, useDepartments, useImportTaskBook } from './api.ts';
import { XlsxImportModal } from './XlsxImportModal.tsx';

export interface BookValues {
  title: string;
  campaignId?: number;
  regionCode: string;
  categoryId: number;
  deadline: Dayjs;
}

const BOOK_FIELDS = ['title', 'campaignId', 'regionCode', 'categoryId', 'deadline'];

/** The fields every task book has, whether its tasks are typed in or imported. */
function BookFields() {
  const { t } = useTranslation();
  const { options } = useCategoryOptions();
  const campaigns = useCampaigns({ page: 1, pageSize: 200 });
  return (
    <>
      <Form.Item
        name="title"
        label={t('inspections.taskBooks.bookTitle')}
        rules={[{ required: true, min: 2 }]}
      >
        <Input />
      </Form.Item>
      <Form.Item name="regionCode" label={t('inspections.fields.area')} rules={[{ required: true }]}>
        <RegionPicker />
      </Form.Item>
      <Form.Item name="categoryId" label={t('inspections.taskBooks.category')} rules={[{ required: true }]}>
        <TreeSelect showSearch={{ treeNodeFilterProp: 'title' }} treeData={options} />
      </Form.Item>
      <Form.Item name="deadline" label={t('inspections.taskBooks.deadline')} rules={[{ required: true }]}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="campaignId" label={t('inspections.fields.campaign')}>
        <Select
          allowClear
          optionFilterProp="label"
          options={(campaigns.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
        />
      </Form.Item>
    </>
  );
}

type TaskRow = Partial<TaskInput> & { uid: number };
let nextUid = 1;

/** Issues a task book typed in: its tasks in a table, one row a unit's task. */
export function TaskBookCreateModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateTaskBook();
  const { message } = App.useApp();
  const departments = useDepartments();
  const [form] = Form.useForm<BookValues>();
  const [tasks, setTasks] = useState<TaskRow[]>([{ uid: nextUid++ }]);
  const change = (uid: number, patch: Partial<TaskInput>) =>
    setTasks((current) => current.map((row) => (row.uid === uid ? { ...row, ...patch } : row)));

  const save = async () => {
    const values = await form.validateFields();
    const inputs = tasks.map(({ description, departmentId, regionCode, responsibleName }) =>
      description?.trim() && departmentId && responsibleName?.trim()
        ? { description, departmentId, regionCode, responsibleName }
        : null,
    );
    const incomplete = inputs.indexOf(null);
    if (incomplete >= 0) {
      void message.error(t('inspections.taskBooks.taskIncomplete', { n: incomplete + 1 }));
      return;
    }
    create.mutate(
      {
        title: values.title,
        campaignId: values.campaignId,
        regionCode: values.regionCode,
        categoryId: values.categoryId,
        deadline: values.deadline.format('YYYY-MM-DD'),
        tasks: inputs.filter((task) => task !== null),
      },
      {
        onSuccess: (book) => {
          onClose();
          navigate(`/inspections/task-books/${book.id}`);
        },
        onError: (error) => showServerIssues(form, error, BOOK_FIELDS),
      },
    );
  };

  return (
    <SaveModal
      title={t('inspections.taskBooks.create')}
      onClose={onClose}
      onSave={() => void save()}
      saving={create.isPending}
      error={create.error}
      width={1000}
    >
      <Form form={form} layout="vertical">
        <BookFields />
      </Form>
      <Table<TaskRow>
        rowKey="uid"
        size="small"
        pagination={false}
        dataSource={tasks}
        scroll={{ x: 860 }}
        title={() => t('inspections.taskBooks.tasks')}
        footer={() => (
          <Button icon={<PlusOutlined />} onClick={() => setTasks((c) => [...c, { uid: nextUid++ }])}>
            {t('inspections.taskBooks.addTask')}
          </Button>
        )}
        columns={[
          {
            key: 'description',
            title: t('inspections.taskBooks.description'),
            render: (_: unknown, row) => (
              <Input.TextArea
                autoSize={{ minRows: 1, maxRows: 4 }}
                value={row.description}
                onChange={(e) => change(row.uid, { description: e.target.value })}
              />
            ),
          },
          {
            key: 'department',
            title: t('inspections.taskBooks.unit'),
            width: 200,
            render: (_: unknown, row) => (
              <Select
                style={{ width: 190 }}
                showSearch
                optionFilterProp="label"
                value={row.departmentId}
                onChange={(departmentId: number) => change(row.uid, { departmentId })}
                options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
              />
            ),
          },
          {
            key: 'region',
            title: t('inspections.taskBooks.region'),
            width: 200,
            render: (_: unknown, row) => (
              <RegionPicker
                style={{ width: 190 }}
                placeholder={t('inspections.taskBooks.regionDefault')}
                value={row.regionCode}
                onChange={(regionCode) => change(row.uid, { regionCode })}
              />
            ),
          },
          {
            key: 'responsible',
            title: t('inspections.taskBooks.responsible'),
            width: 130,
            render: (_: unknown, row) => (
              <Input
                value={row.responsibleName}
                onChange={(e) => change(row.uid, { responsibleName: e.target.value })}
              />
            ),
          },
          {
            key: 'remove',
            width: 48,
            render: (_: unknown, row) => (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('common.remove')}
                disabled={tasks.length === 1}
                onClick={() => setTasks((c) => c.filter((r) => r.uid !== row.uid))}
              />
            ),
          },
        ]}
      />
    </SaveModal>
  );
}

/** Issues a task book from XLSX (序号, 任务内容, 责任单位, 所在区域, 责任人): all rows or none. */
export function TaskBookImportModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const importer = useImportTaskBook();
  const [form] = Form.useForm<BookValues>();
  const [file, setFile] = useState<File | null>(null);
  const send = async () => {
    const values = await form.validateFields();
    if (!file) return;
    importer.mutate(
      {
        file,
        query: {
          title: values.title,
          campaignId: values.campaignId,
          regionCode: values.regionCode,
          categoryId: values.categoryId,
          deadline: values.deadline.format('YYYY-MM-DD'),
        },
      },
      {
        onSuccess: (book) => {
          onClose();
          navigate(`/inspections/task-books/${book.id}`);
        },
        onError: (error) => showServerIssues(form, error, BOOK_FIELDS),
      },
    );
  };
  return (
    <XlsxImportModal
      title={t('inspections.taskBooks.import')}
      help={t('inspections.taskBooks.importHelp')}
      fields={
        <Form form={form} layout="vertical">
          <BookFields />
        </Form>
      }
      fileName={file?.name ?? null}
      onFile={setFile}
      error={importer.error}
      busy={importer.isPending}
      okText={t('inspections.taskBooks.issue')}
      okDisabled={!file}
      onOk={() => void send()}
      onClose={onClose}
    />
  );
}
