import { Alert, Button, Card, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  PERSONAL_DATA_ACTIONS,
  type PersonalDataLogEntry,
  REGISTRY_ENTITIES,
  type RegistryEntity,
} from '../../../shared/registry.ts';
import { errorText } from '../../api/client.ts';
import { formatDateTime } from '../../components/time.ts';
import { PERSONAL_DATA_LOG_PAGE, type PersonalDataAction, recordLink, usePersonalDataLog } from './api.ts';
import { useRegistryLabels } from './labels.ts';

const ACTION_COLORS: Record<PersonalDataAction, string> = {
  'registry.reveal': 'orange',
  'registry.read': 'blue',
  'registry.export': 'purple',
  'case.reveal': 'orange',
  'registration.reveal': 'orange',
  'registration.export': 'purple',
  'checkpoint.reveal': 'orange',
  'checkpoint.export': 'purple',
};
/** Records linked in a row; an export of thousands says how many instead. */
const LINKED_RECORDS = 5;

const shortAction = (action: PersonalDataAction) =>
  action === 'case.reveal' ? 'caseReveal' : (action.replace('registry.', '') as 'reveal' | 'read' | 'export');
/** The label's key: registrations (报备) keep theirs in their own catalogue. */
const actionKey = (action: PersonalDataAction) =>
  action === 'registration.reveal'
    ? 'registrations.logActions.reveal'
    : action === 'registration.export'
      ? 'registrations.logActions.export'
      : (`registry.log.actions.${shortAction(action)}` as const);

/** `/registry/personal-data-log` (administrators): who saw which personal data in clear, when and how. */
export default function PersonalDataLogPage() {
  const { t } = useTranslation();
  const labels = useRegistryLabels();
  const [action, setAction] = useState<PersonalDataAction | undefined>();
  const [page, setPage] = useState(1);
  const log = usePersonalDataLog({ action, page });
  const isEntity = (entity: string): entity is RegistryEntity =>
    (REGISTRY_ENTITIES as readonly string[]).includes(entity);

  return (
    <Card title={t('registry.log.title')}>
      <Typography.Paragraph type="secondary">{t('registry.log.help')}</Typography.Paragraph>
      <Space style={{ marginBottom: 16 }}>
        <Select
          allowClear
          style={{ width: 200 }}
          aria-label={t('registry.log.columns.action')}
          placeholder={t('registry.log.allActions')}
          value={action}
          onChange={(value?: PersonalDataAction) => {
            setAction(value);
            setPage(1);
          }}
          options={PERSONAL_DATA_ACTIONS.map((a) => ({
            value: a,
            label: t(actionKey(a)),
          }))}
        />
      </Space>
      {log.isError ? (
        <Alert type="error" showIcon title={errorText(log.error)} style={{ marginBottom: 12 }} />
      ) : null}
      <Table<PersonalDataLogEntry>
        data-testid="personal-data-log"
        rowKey="id"
        size="middle"
        loading={log.isFetching}
        dataSource={log.data ?? []}
        pagination={false}
        locale={{ emptyText: t('registry.log.empty') }}
        columns={[
          {
            key: 'at',
            title: t('registry.log.columns.at'),
            width: 150,
            render: (_: unknown, row) => formatDateTime(row.at),
          },
          { key: 'actor', title: t('registry.log.columns.actor'), dataIndex: 'actorName' },
          {
            key: 'action',
            title: t('registry.log.columns.action'),
            render: (_: unknown, row) => (
              <Tag color={ACTION_COLORS[row.action]}>{t(actionKey(row.action))}</Tag>
            ),
          },
          {
            key: 'entity',
            title: t('registry.log.columns.entity'),
            render: (_: unknown, row) =>
              isEntity(row.entity)
                ? labels.entity(row.entity)
                : row.entity === 'case'
                  ? t('registry.log.caseEntity')
                  : row.entity === 'registration'
                    ? t('registrations.entity')
                    : row.entity,
          },
          {
            key: 'fields',
            title: t('registry.log.columns.fields'),
            render: (_: unknown, row) => row.fields.map((field) => labels.field(field)).join('、') || '—',
          },
          {
            key: 'records',
            title: t('registry.log.columns.records'),
            render: (_: unknown, row) => {
              const entity = row.entity;
              if (entity === 'case')
                return row.recordIds.map((id) => (
                  <Link key={id} to={`/cases/${id}`}>
                    #{id}
                  </Link>
                ));
              if (!isEntity(entity)) return row.count;
              return (
                <Space size={[8, 0]} wrap>
                  {row.recordIds.slice(0, LINKED_RECORDS).map((id) => (
                    <Link key={id} to={recordLink(entity, id)}>
                      #{id}
                    </Link>
                  ))}
                  {row.count > LINKED_RECORDS ? (
                    <Typography.Text type="secondary">
                      {t('common.total', { count: row.count })}
                    </Typography.Text>
                  ) : null}
                </Space>
              );
            },
          },
        ]}
      />
      <Flex justify="flex-end" gap={8} style={{ marginTop: 12 }}>
        <Button disabled={page === 1} onClick={() => setPage((p) => p - 1)}>
          {t('registry.log.newer')}
        </Button>
        <Button
          disabled={(log.data?.length ?? 0) < PERSONAL_DATA_LOG_PAGE}
          onClick={() => setPage((p) => p + 1)}
        >
          {t('registry.log.older')}
        </Button>
      </Flex>
    </Card>
  );
}
