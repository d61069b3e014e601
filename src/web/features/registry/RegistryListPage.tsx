import { DownloadOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Input, Result, Row, Select, Space, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { LocalizedText } from '../../../shared/errors.ts';
import {
  CARE_TAG_LABELS,
  FACILITY_STATUS_LABELS,
  FACILITY_TYPE_LABELS,
  HOUSE_USE_LABELS,
  ORGANISATION_TYPE_LABELS,
  REGISTRY_PATHS,
  RESIDENT_KIND_LABELS,
  type RegistryEntity,
} from '../../../shared/registry.ts';
import { errorText } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import type { Catalogue } from '../../i18n/zh-CN.ts';
import { useGridGeoJson } from '../territory/api.ts';
import { GridMap, type MapPoint } from '../territory/GridMap.tsx';
import { entityOfPath, exportUrl, type RegistryFilters, recordLink, useRegistryList } from './api.ts';
import { useRegistryLabels } from './labels.ts';
import { policyOf } from './policy.ts';
import { RecordDrawer } from './RecordDrawer.tsx';
import { RecordForm } from './RecordForm.tsx';
import { type AnyRecord, recordTitle, useRecordColumns } from './records.tsx';

const PAGE_SIZE = 20;

/** The choice filters each list takes besides its text and region: query key, choices, "all" text. */
const CHOICE_FILTERS: Record<
  RegistryEntity,
  { key: string; labels: Record<string, LocalizedText>; all: keyof Catalogue['registry']['list'] }[]
> = {
  address: [],
  building: [],
  house: [{ key: 'use', labels: HOUSE_USE_LABELS, all: 'allUses' }],
  resident: [
    { key: 'kind', labels: RESIDENT_KIND_LABELS, all: 'allKinds' },
    { key: 'tag', labels: CARE_TAG_LABELS, all: 'allTags' },
  ],
  organisation: [{ key: 'type', labels: ORGANISATION_TYPE_LABELS, all: 'allTypes' }],
  facility: [
    { key: 'type', labels: FACILITY_TYPE_LABELS, all: 'allTypes' },
    { key: 'status', labels: FACILITY_STATUS_LABELS, all: 'allStatuses' },
  ],
};

/** `/registry/:type/:id?`: one type's records, filtered and paged, on a table and a map; `:id` opens one. */
export default function RegistryListPage() {
  const { type, id } = useParams();
  const entity = entityOfPath(type);
  const { t } = useTranslation();
  if (!entity)
    return <Result status="404" title={t('errors.notFoundTitle')} subTitle={t('errors.pageNotFound')} />;
  // A page of its own per type: filters do not carry over from one type to another.
  return <EntityList key={entity} entity={entity} openId={id ? Number(id) : null} />;
}

function EntityList({ entity, openId }: { entity: RegistryEntity; openId: number | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const labels = useRegistryLabels();
  const session = useSession().data;
  const policy = policyOf(session?.user.role);
  const [filters, setFilters] = useState<RegistryFilters<RegistryEntity>>({ page: 1, pageSize: PAGE_SIZE });
  const [editing, setEditing] = useState<AnyRecord | 'new' | null>(null);
  const list = useRegistryList(entity, filters);
  const columns = useRecordColumns(entity);
  const grids = useGridGeoJson(filters.regionCode ?? session?.scope.code);
  const path = `/registry/${REGISTRY_PATHS[entity]}`;

  const points = useMemo<MapPoint[]>(
    () =>
      (list.data?.items ?? []).flatMap((record) =>
        record.lon !== null && record.lat !== null
          ? [{ id: record.id, lon: record.lon, lat: record.lat, label: recordTitle(entity, record) }]
          : [],
      ),
    [list.data, entity],
  );

  if (list.isError && !list.data)
    return <ErrorResult error={list.error} onRetry={() => void list.refetch()} />;

  const setFilter = (key: string, value: unknown) =>
    setFilters((current) => ({ ...current, [key]: value || undefined, page: 1 }));
  const total = list.data?.total ?? 0;

  return (
    <Card
      title={labels.entity(entity)}
      extra={
        <Space wrap>
          {policy?.export
            ? (['xlsx', 'csv'] as const).map((format) => (
                <Button
                  key={format}
                  icon={<DownloadOutlined />}
                  href={exportUrl(entity, filters, format)}
                  data-testid={`registry-export-${format}`}
                >
                  {t(format === 'xlsx' ? 'registry.list.exportXlsx' : 'registry.list.exportCsv')}
                </Button>
              ))
            : null}
          {policy?.write ? (
            <>
              <Button icon={<ImportOutlined />} onClick={() => navigate(`/registry/import?entity=${entity}`)}>
                {t('registry.list.import')}
              </Button>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
                {t('registry.list.create')}
              </Button>
            </>
          ) : null}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          style={{ width: 280 }}
          placeholder={t('registry.list.searchPlaceholder')}
          aria-label={t('registry.list.searchPlaceholder')}
          onSearch={(q) => setFilter('q', q.trim())}
        />
        <RegionPicker
          style={{ width: 260 }}
          placeholder={t('registry.list.regionFilter')}
          value={filters.regionCode}
          onChange={(regionCode) => setFilter('regionCode', regionCode)}
        />
        {CHOICE_FILTERS[entity].map((filter) => (
          <Select
            key={filter.key}
            style={{ width: 170 }}
            aria-label={t(`registry.list.${filter.all}`)}
            value={(filters as Record<string, string | undefined>)[filter.key] ?? ''}
            onChange={(value: string) => setFilter(filter.key, value)}
            options={[
              { value: '', label: t(`registry.list.${filter.all}`) },
              ...labels.options(filter.labels),
            ]}
          />
        ))}
      </Space>
      {list.isError ? <Typography.Text type="danger">{errorText(list.error)}</Typography.Text> : null}
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Table<AnyRecord>
            data-testid="registry-table"
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            columns={columns}
            scroll={{ x: 'max-content' }}
            rowClassName={(record) => (record.id === openId ? 'ant-table-row-selected' : '')}
            onRow={(record) => ({
              onClick: () => navigate(recordLink(entity, record.id)),
              style: { cursor: 'pointer' },
            })}
            pagination={{
              current: filters.page ?? 1,
              pageSize: filters.pageSize ?? PAGE_SIZE,
              total,
              showSizeChanger: true,
              showTotal: (count) =>
                list.data?.more ? t('registry.list.totalMore', { count }) : t('common.total', { count }),
              onChange: (page, pageSize) => setFilters((current) => ({ ...current, page, pageSize })),
            }}
          />
        </Col>
        <Col xs={24} xl={8}>
          <div className="gg-map-wrap gg-registry-map" data-testid="registry-map">
            <GridMap
              data={grids.data}
              selectedCode={filters.regionCode ?? null}
              points={points}
              selectedPointId={openId}
              onPointSelect={(pointId) => navigate(recordLink(entity, pointId))}
            />
            {list.data?.items.length ? (
              <div className="gg-map-status">
                {points.length
                  ? t('registry.list.mapTitle', { count: points.length })
                  : t('registry.list.noPoints')}
              </div>
            ) : null}
          </div>
        </Col>
      </Row>
      {openId !== null ? (
        <RecordDrawer
          entity={entity}
          id={openId}
          canEdit={policy?.write ?? false}
          onEdit={(record) => setEditing(record)}
          onClose={() => navigate(path)}
        />
      ) : null}
      {editing ? (
        <RecordForm
          entity={entity}
          record={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </Card>
  );
}
