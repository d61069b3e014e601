import { EditOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Empty, List, Spin, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { HistoryEntry, RegistryEntity } from '../../../shared/registry.ts';
import { errorText } from '../../api/client.ts';
import { formatDateTime } from '../../components/time.ts';
import { recordLink, useRegistryHistory, useRegistryList, useRegistryRecord } from './api.ts';
import { type RegistryLabels, useRegistryLabels } from './labels.ts';
import { type AnyRecord, FieldValue, RECORD_FIELDS, recordTitle } from './records.tsx';

/** One record: its facts (personal data masked, with 查看 where the role may reveal it) and its history. */
export function RecordDrawer({
  entity,
  id,
  canEdit,
  onEdit,
  onClose,
}: {
  entity: RegistryEntity;
  id: number;
  canEdit: boolean;
  onEdit: (record: AnyRecord) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const labels = useRegistryLabels();
  const record = useRegistryRecord(entity, id);
  const history = useRegistryHistory(entity, id);
  const data = record.data as AnyRecord | undefined;

  return (
    <Drawer
      open
      size={640}
      onClose={onClose}
      title={
        data
          ? t('registry.detail.title', { entity: labels.entity(entity), name: recordTitle(entity, data) })
          : labels.entity(entity)
      }
      extra={
        canEdit && data ? (
          <Button icon={<EditOutlined />} onClick={() => onEdit(data)} data-testid="record-edit">
            {t('common.edit')}
          </Button>
        ) : null
      }
    >
      {record.isPending ? <Spin /> : null}
      {record.isError ? <Alert type="error" showIcon title={errorText(record.error)} /> : null}
      {data ? (
        <div data-testid="record-detail">
          <Descriptions
            size="small"
            column={1}
            bordered
            title={t('registry.detail.facts')}
            items={[...RECORD_FIELDS[entity].detail, 'createdAt', 'updatedAt'].map((field) => ({
              key: field,
              label:
                entity === 'resident' && field === 'name'
                  ? labels.field('residentName')
                  : labels.field(field),
              children: <FieldValue entity={entity} record={data} field={field} labels={labels} revealable />,
            }))}
          />
          {entity === 'house' ? <HouseResidents houseId={id} /> : null}
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('registry.detail.history')}
          </Typography.Title>
          {history.isError ? <Alert type="error" showIcon title={errorText(history.error)} /> : null}
          {history.data?.length === 0 ? <Empty description={t('registry.detail.noHistory')} /> : null}
          {history.data?.length ? (
            <Timeline
              data-testid="record-history"
              items={history.data.map((entry, index) => ({
                key: `${entry.at}-${index}`,
                content: <HistoryItem entity={entity} entry={entry} labels={labels} />,
              }))}
            />
          ) : null}
        </div>
      ) : null}
    </Drawer>
  );
}

function HistoryItem({
  entity,
  entry,
  labels,
}: {
  entity: RegistryEntity;
  entry: HistoryEntry;
  labels: RegistryLabels;
}) {
  const { t, i18n } = useTranslation();
  const action = i18n.exists(`registry.history.actions.${entry.action}`)
    ? t(`registry.history.actions.${entry.action as 'create'}`)
    : entry.action;
  const changes = Object.entries(entry.changes);
  return (
    <div>
      <Typography.Text strong>{action}</Typography.Text>
      <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
        {formatDateTime(entry.at)} · {entry.actorName}
        {entry.importId !== null ? ` · ${t('registry.history.byImport', { id: entry.importId })}` : ''}
      </Typography.Text>
      {changes.length ? (
        <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
          {changes.map(([field, change]) => (
            <li key={field}>
              {t('common.labelValue', {
                label: labels.field(field),
                value: `${labels.value(entity, field, change.from)} → ${labels.value(entity, field, change.to)}`,
              })}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The people living in a house, each linking to their record. */
function HouseResidents({ houseId }: { houseId: number }) {
  const { t } = useTranslation();
  const residents = useRegistryList('resident', { houseId, pageSize: 50 });
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('registry.detail.residents')}
      </Typography.Title>
      <List
        size="small"
        bordered
        loading={residents.isPending}
        dataSource={residents.data?.items ?? []}
        renderItem={(resident) => (
          <List.Item>
            <Link to={recordLink('resident', resident.id)}>{resident.name}</Link>
            <Typography.Text type="secondary">{resident.idNumber?.value}</Typography.Text>
          </List.Item>
        )}
      />
    </>
  );
}
