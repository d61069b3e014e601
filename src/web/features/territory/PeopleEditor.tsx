import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Form, Modal, Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GRID_DUTIES, type GridDuty, ROLE_LABELS } from '../../../shared/roles.ts';
import type { RegionDetail } from '../../../shared/territory.ts';
import { ApiError, errorText } from '../../api/client.ts';
import { pickLabel, useLocale } from '../../i18n/index.ts';
import { useUsers } from '../people/api.ts';
import { useRegion, useSetGridPeople } from './api.ts';
import { dutyText } from './format.ts';

interface PeopleForm {
  people: { userId?: number; duty?: GridDuty }[];
}

/** Administrators choose a grid's responsible people; the save carries the version read (409 if stale). */
export function PeopleEditor({ region, onClose }: { region: RegionDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<PeopleForm>();
  const [search, setSearch] = useState('');
  const users = useUsers({ q: search || undefined, pageSize: 20 });
  const save = useSetGridPeople(region.code);
  const current = useRegion(region.code);
  const version = current.data?.version ?? region.version;

  const options = useMemo(() => {
    const byId = new Map<number, string>();
    for (const person of region.people) byId.set(person.userId, person.name);
    for (const user of users.data?.items ?? []) {
      byId.set(
        user.id,
        `${t('common.nameWithCode', { name: user.displayName, code: user.username })} · ${pickLabel(ROLE_LABELS[user.role], locale)}`,
      );
    }
    return [...byId].map(([value, label]) => ({ value, label }));
  }, [region.people, users.data, locale, t]);

  const submit = (values: PeopleForm) => {
    // The same person with the same duty twice is one assignment.
    const seen = new Set<string>();
    const people = values.people
      .filter((person): person is { userId: number; duty: GridDuty } => Boolean(person.userId && person.duty))
      .filter(({ userId, duty }) => !seen.has(`${userId}:${duty}`) && Boolean(seen.add(`${userId}:${duty}`)))
      .map(({ userId, duty }) => ({ userId, duty }));
    save.mutate(
      { version, people },
      {
        onSuccess: () => {
          void message.success(t('region.peopleSaved'));
          onClose();
        },
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'CONFLICT') void current.refetch();
        },
      },
    );
  };

  return (
    <Modal
      open
      title={t('region.editPeople')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
    >
      {save.isError ? (
        <Alert
          type={save.error instanceof ApiError && save.error.status === 409 ? 'warning' : 'error'}
          showIcon
          title={errorText(save.error)}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Form<PeopleForm>
        form={form}
        onFinish={submit}
        initialValues={{ people: region.people.map(({ userId, duty }) => ({ userId, duty })) }}
      >
        <Form.List name="people">
          {(fields, { add, remove }) => (
            <Flex vertical gap={0}>
              {fields.map((field) => (
                <Flex key={field.key} gap={8} align="baseline">
                  <Form.Item
                    name={[field.name, 'userId']}
                    rules={[{ required: true, message: t('region.personRequired') }]}
                    style={{ flex: 1 }}
                  >
                    <Select
                      showSearch={{ onSearch: setSearch, optionFilterProp: 'label' }}
                      placeholder={t('region.searchUsers')}
                      aria-label={t('region.person')}
                      options={options}
                      loading={users.isFetching}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'duty']}
                    rules={[{ required: true, message: t('region.dutyRequired') }]}
                    style={{ width: 200 }}
                  >
                    <Select
                      aria-label={t('region.duty')}
                      placeholder={t('region.duty')}
                      options={GRID_DUTIES.map((duty) => ({ value: duty, label: dutyText(duty, locale) }))}
                    />
                  </Form.Item>
                  <Button
                    type="text"
                    danger
                    icon={<MinusCircleOutlined />}
                    aria-label={t('common.remove')}
                    onClick={() => remove(field.name)}
                  />
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ duty: 'gridWorker' })} block>
                {t('region.addPerson')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
