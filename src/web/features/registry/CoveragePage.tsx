import { ArrowUpOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalizedText } from '../../../shared/errors.ts';
import {
  CARE_TAG_LABELS,
  type CoverageFigures,
  FACILITY_TYPE_LABELS,
  ORGANISATION_TYPE_LABELS,
} from '../../../shared/registry.ts';
import { errorText } from '../../api/client.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { pickLabel } from '../../i18n/index.ts';
import { useCoverage } from './api.ts';
import { useRegistryLabels } from './labels.ts';

interface CoverageRow {
  key: string;
  code: string;
  name: string;
  figures: CoverageFigures;
  total: boolean;
}

/** The non-zero counts of a by-type figure, as tags: "市场 3". */
function ByType({
  counts,
  labels,
}: {
  counts: Record<string, number>;
  labels: Record<string, LocalizedText>;
}) {
  const { locale } = useRegistryLabels();
  const shown = Object.entries(counts).filter(([, count]) => count > 0);
  if (!shown.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={[4, 4]} wrap>
      {shown.map(([type, count]) => (
        <Tag key={type} bordered={false}>
          {labels[type] ? pickLabel(labels[type], locale) : type} {count}
        </Tag>
      ))}
    </Space>
  );
}

/** `/registry/coverage`: the registry's figures of a region and of each of its children, to drill down. */
export default function CoveragePage() {
  const { t } = useTranslation();
  const [root, setRoot] = useState<string | undefined>();
  const [trail, setTrail] = useState<{ code: string | undefined; name: string }[]>([]);
  const coverage = useCoverage(root);
  const data = coverage.data;

  const open = (code: string | undefined, name: string) => {
    setTrail((current) => [...current, { code: root, name }]);
    setRoot(code);
  };
  const up = () => {
    const previous = trail[trail.length - 1];
    setTrail((current) => current.slice(0, -1));
    setRoot(previous?.code);
  };

  const rows: CoverageRow[] = data
    ? [
        ...data.children.map((child) => ({
          key: child.region.code,
          code: child.region.code,
          name: child.region.name,
          figures: child.figures,
          total: false,
        })),
        {
          key: 'total',
          code: data.region.code,
          name: t('registry.coverage.total', { name: data.region.name }),
          figures: data.figures,
          total: true,
        },
      ]
    : [];
  const number = (pick: (f: CoverageFigures) => number) => ({
    align: 'right' as const,
    render: (_: unknown, row: CoverageRow) => pick(row.figures).toLocaleString(),
  });
  const careCount = (f: CoverageFigures) => Object.values(f.careResidents).reduce((sum, n) => sum + n, 0);
  const columns: ColumnsType<CoverageRow> = [
    {
      key: 'region',
      title: t('registry.coverage.region'),
      fixed: 'left',
      render: (_: unknown, row) =>
        row.total ? (
          <Typography.Text strong>{row.name}</Typography.Text>
        ) : (
          <Button type="link" size="small" style={{ padding: 0 }} onClick={() => open(row.code, row.name)}>
            {row.name}
          </Button>
        ),
    },
    { key: 'households', title: t('registry.coverage.households'), ...number((f) => f.households) },
    {
      key: 'residents',
      title: t('registry.coverage.residents'),
      children: [
        { key: 'all', title: t('common.all'), ...number((f) => f.residents) },
        {
          key: 'registered',
          title: t('registry.coverage.registered'),
          ...number((f) => f.registeredResidents),
        },
        { key: 'floating', title: t('registry.coverage.floating'), ...number((f) => f.floatingResidents) },
      ],
    },
    { key: 'care', title: t('registry.coverage.care'), ...number(careCount) },
    { key: 'addresses', title: t('registry.coverage.addresses'), ...number((f) => f.addresses) },
    { key: 'buildings', title: t('registry.coverage.buildings'), ...number((f) => f.buildings) },
    { key: 'houses', title: t('registry.coverage.houses'), ...number((f) => f.houses) },
    { key: 'rental', title: t('registry.coverage.rentalHouses'), ...number((f) => f.rentalHouses) },
    { key: 'organisations', title: t('registry.coverage.organisations'), ...number((f) => f.organisations) },
    { key: 'facilities', title: t('registry.coverage.facilities'), ...number((f) => f.facilities) },
  ];

  return (
    <Card
      title={t('registry.coverage.title')}
      extra={
        <Space>
          {trail.length ? (
            <Button icon={<ArrowUpOutlined />} onClick={up}>
              {t('registry.coverage.up')}
            </Button>
          ) : null}
          <RegionPicker
            style={{ width: 280 }}
            placeholder={t('registry.coverage.root')}
            value={root ?? data?.region.code}
            currentLabel={data?.region.name}
            onChange={(code) => {
              setTrail([]);
              setRoot(code);
            }}
          />
        </Space>
      }
    >
      {coverage.isError ? <Alert type="error" showIcon title={errorText(coverage.error)} /> : null}
      <Table<CoverageRow>
        data-testid="registry-coverage"
        size="small"
        bordered
        loading={coverage.isFetching}
        dataSource={rows}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowClassName={(row) => (row.total ? 'gg-total-row' : '')}
        expandable={{
          expandedRowRender: (row) => (
            <Space orientation="vertical" size={4}>
              <div>
                <Typography.Text type="secondary">
                  {t('common.labelValue', { label: t('registry.coverage.organisations'), value: '' })}
                </Typography.Text>
                <ByType counts={row.figures.organisationsByType} labels={ORGANISATION_TYPE_LABELS} />
              </div>
              <div>
                <Typography.Text type="secondary">
                  {t('common.labelValue', { label: t('registry.coverage.facilities'), value: '' })}
                </Typography.Text>
                <ByType counts={row.figures.facilitiesByType} labels={FACILITY_TYPE_LABELS} />
              </div>
              <div>
                <Typography.Text type="secondary">
                  {t('common.labelValue', { label: t('registry.coverage.care'), value: '' })}
                </Typography.Text>
                <ByType counts={row.figures.careResidents} labels={CARE_TAG_LABELS} />
              </div>
            </Space>
          ),
        }}
      />
    </Card>
  );
}
