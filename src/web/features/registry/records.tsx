import { Button, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegistryEntity, RegistryRecords, SensitiveValue } from '../../../shared/registry.ts';
import { errorText } from '../../api/client.ts';
import { formatDateTime } from '../../components/time.ts';
import { useReveal } from './api.ts';
import { type RegistryLabels, useRegistryLabels } from './labels.ts';

/*
 * How records of each type show: their title, their table columns, the facts of the detail drawer, and personal
 * data with its reveal button.
 */

export type AnyRecord = RegistryRecords[RegistryEntity];

/** What a record is called in titles, map labels and links. */
export function recordTitle(entity: RegistryEntity, record: AnyRecord): string {
  const r = record as Partial<Record<string, unknown>> & { address?: { text: string } | null };
  switch (entity) {
    case 'address':
      return String(r.text);
    case 'house':
      return r.address?.text ?? String(r.id);
    case 'facility':
      return r.name ? `${r.name}（${r.code}）` : String(r.code);
    default:
      return String(r.name);
  }
}

/** A personal data value as the user may see it: masked text, or with `revealable` a button showing it in clear. */
export function SensitiveText({
  value,
  entity,
  id,
  field,
  revealable = false,
}: {
  value: SensitiveValue;
  entity: RegistryEntity;
  id: number;
  field: string;
  /** Offer the reveal button (the detail drawer); lists only show the mask. */
  revealable?: boolean;
}) {
  const { t } = useTranslation();
  const reveal = useReveal(entity, id);
  const [shown, setShown] = useState<string | null>(null);
  if (!value) return <>—</>;
  if (shown !== null) {
    return (
      <Space size={6}>
        <Typography.Text copyable data-testid={`revealed-${field}`}>
          {shown}
        </Typography.Text>
        <Tag color="orange">{t('registry.detail.revealed')}</Tag>
      </Space>
    );
  }
  return (
    <Space size={6}>
      <span data-testid={`value-${field}`}>{value.value}</span>
      {revealable && value.masked && value.revealable ? (
        <Tooltip title={t('registry.detail.revealNote')}>
          <Button
            size="small"
            type="link"
            data-testid={`reveal-${field}`}
            loading={reveal.isPending}
            onClick={() => reveal.mutate(field, { onSuccess: (result) => setShown(result.value ?? '—') })}
          >
            {t('registry.detail.reveal')}
          </Button>
        </Tooltip>
      ) : null}
      {reveal.isError ? <Typography.Text type="danger">{errorText(reveal.error)}</Typography.Text> : null}
    </Space>
  );
}

const SENSITIVE_KEYS = new Set(['idNumber', 'phone', 'landlordPhone', 'landlordIdNumber', 'contactPhone']);

/** The fields shown for a record, in order: the table takes the first few, the drawer all of them. */
export const RECORD_FIELDS: Record<RegistryEntity, { table: string[]; detail: string[] }> = {
  address: {
    table: ['text', 'villageName', 'regionName', 'updatedAt'],
    detail: [
      'fullText',
      'road',
      'number',
      'building',
      'unit',
      'room',
      'villageName',
      'regionName',
      'lon',
      'lat',
    ],
  },
  building: {
    table: ['code', 'name', 'floors', 'address', 'houseCount', 'regionName'],
    detail: ['code', 'name', 'floors', 'address', 'houseCount', 'villageName', 'regionName', 'lon', 'lat'],
  },
  house: {
    table: ['address', 'use', 'landlordName', 'landlordPhone', 'residentCount', 'regionName'],
    detail: [
      'address',
      'use',
      'buildingCode',
      'areaSquareMetres',
      'landlordName',
      'landlordPhone',
      'landlordIdNumber',
      'residentCount',
      'villageName',
      'regionName',
    ],
  },
  resident: {
    table: ['name', 'idNumber', 'sex', 'age', 'kind', 'address', 'careTags', 'regionName'],
    detail: [
      'name',
      'idNumber',
      'sex',
      'birthDate',
      'age',
      'phone',
      'kind',
      'address',
      'householdNo',
      'relation',
      'careTags',
      'villageName',
      'regionName',
    ],
  },
  organisation: {
    table: ['name', 'type', 'uscc', 'contactName', 'contactPhone', 'address', 'regionName'],
    detail: [
      'name',
      'type',
      'uscc',
      'contactName',
      'contactPhone',
      'address',
      'villageName',
      'regionName',
      'lon',
      'lat',
    ],
  },
  facility: {
    table: ['code', 'type', 'name', 'status', 'lastCheckedOn', 'regionName'],
    detail: [
      'code',
      'type',
      'name',
      'status',
      'lastCheckedOn',
      'address',
      'villageName',
      'regionName',
      'lon',
      'lat',
    ],
  },
};

const STATUS_COLORS: Record<string, string> = { normal: 'green', faulty: 'red', outOfService: 'default' };

/** One field of a record, rendered: coded values by label, addresses by text, personal data masked. */
export function FieldValue({
  entity,
  record,
  field,
  labels,
  revealable = false,
}: {
  entity: RegistryEntity;
  record: AnyRecord;
  field: string;
  labels: RegistryLabels;
  revealable?: boolean;
}) {
  const value = (record as unknown as Record<string, unknown>)[field];
  if (SENSITIVE_KEYS.has(field)) {
    return (
      <SensitiveText
        value={value as SensitiveValue}
        entity={entity}
        id={record.id}
        field={field}
        revealable={revealable}
      />
    );
  }
  if (field === 'address') {
    const address = value as { text: string; fullText: string } | null;
    return <>{address ? (revealable ? address.fullText : address.text) : '—'}</>;
  }
  if (field === 'careTags') {
    const tags = value as string[];
    if (!tags.length) return <>—</>;
    return (
      <Space size={[4, 4]} wrap>
        {tags.map((tag) => (
          <Tag key={tag} color="magenta">
            {labels.choice(entity, field, tag)}
          </Tag>
        ))}
      </Space>
    );
  }
  if (field === 'status' && typeof value === 'string') {
    return <Tag color={STATUS_COLORS[value]}>{labels.choice(entity, field, value)}</Tag>;
  }
  if ((field === 'updatedAt' || field === 'createdAt') && typeof value === 'string') {
    return <>{formatDateTime(value)}</>;
  }
  return <>{labels.value(entity, field, value)}</>;
}

export function useRecordColumns(entity: RegistryEntity): ColumnsType<AnyRecord> {
  const labels = useRegistryLabels();
  return RECORD_FIELDS[entity].table.map((field) => ({
    key: field,
    title: entity === 'resident' && field === 'name' ? labels.field('residentName') : labels.field(field),
    ellipsis: field === 'address' || field === 'text',
    render: (_: unknown, record: AnyRecord) => (
      <FieldValue entity={entity} record={record} field={field} labels={labels} />
    ),
  }));
}
