import { DeleteOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CampaignDetail, CampaignDetailTarget } from '../../../shared/campaigns.ts';
import {
  SITE_TYPE_LABELS,
  SITE_TYPES,
  type SiteType,
  TARGET_KIND_LABELS,
} from '../../../shared/inspections.ts';
import {
  ORGANISATION_TYPE_LABELS,
  ORGANISATION_TYPES,
  type OrganisationType,
} from '../../../shared/registry-vocabulary.ts';
import { errorText } from '../../api/client.ts';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import { useAddManualTarget, useAddTargets, useRemoveTarget, useSample } from './api.ts';
import { useEnumLabel } from './labels.tsx';

/** The targets of a campaign; while it is a draft, its managers add, remove and sample them. */
export function CampaignTargets({ detail }: { detail: CampaignDetail }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const { message } = App.useApp();
  const remove = useRemoveTarget(detail.id);
  const planning = detail.rights.manage && detail.status === 'draft';
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {planning ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={8}>
            <FromRegistry detail={detail} />
          </Col>
          <Col xs={24} lg={8}>
            <ByHand detail={detail} />
          </Col>
          <Col xs={24} lg={8}>
            <Sample detail={detail} />
          </Col>
        </Row>
      ) : null}
      <Table<CampaignDetailTarget>
        data-testid="campaign-targets"
        rowKey="id"
        size="small"
        dataSource={detail.targets}
        pagination={{
          pageSize: 20,
          hideOnSinglePage: true,
          showTotal: (count) => t('common.total', { count }),
        }}
        scroll={{ x: 800 }}
        columns={[
          {
            key: 'name',
            title: t('inspections.fields.target'),
            render: (_: unknown, row) => (
              <Space size={4} wrap>
                <span>{row.name}</span>
                {detail.sampleSeed && row.sampled ? (
                  <Tag color="blue">{t('inspections.targets.sampled')}</Tag>
                ) : null}
              </Space>
            ),
          },
          {
            key: 'site',
            title: t('inspections.fields.siteType'),
            render: (_: unknown, row) => label(SITE_TYPE_LABELS, row.siteType),
          },
          {
            key: 'grid',
            title: t('inspections.fields.grid'),
            render: (_: unknown, row) =>
              row.villageName ? `${row.villageName} · ${row.regionName}` : row.regionName,
          },
          {
            key: 'address',
            title: t('inspections.fields.address'),
            render: (_: unknown, row) => row.address ?? '—',
          },
          {
            key: 'kind',
            title: t('inspections.fields.source'),
            render: (_: unknown, row) => label(TARGET_KIND_LABELS, row.kind),
          },
          ...(planning
            ? [
                {
                  key: 'remove',
                  title: '',
                  width: 60,
                  render: (_: unknown, row: CampaignDetailTarget) => (
                    <Popconfirm
                      title={t('inspections.targets.removeConfirm', { name: row.name })}
                      onConfirm={() =>
                        remove.mutate(row.id, { onError: (error) => void message.error(errorText(error)) })
                      }
                      okText={t('common.remove')}
                      cancelText={t('common.cancel')}
                    >
                      <Button
                        size="small"
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('common.remove')}
                      />
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}

function FromRegistry({ detail }: { detail: CampaignDetail }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const { message } = App.useApp();
  const add = useAddTargets(detail.id);
  const [types, setTypes] = useState<OrganisationType[]>([]);
  const [regionCode, setRegionCode] = useState<string | undefined>();
  return (
    <Card size="small" title={t('inspections.targets.fromRegistry')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select
          mode="multiple"
          style={{ width: '100%' }}
          aria-label={t('inspections.targets.types')}
          placeholder={t('inspections.targets.types')}
          value={types}
          onChange={setTypes}
          options={ORGANISATION_TYPES.map((type) => ({
            value: type,
            label: label(ORGANISATION_TYPE_LABELS, type),
          }))}
        />
        <RegionPicker
          style={{ width: '100%' }}
          placeholder={t('inspections.targets.areaDefault', { name: detail.regionName })}
          value={regionCode}
          onChange={setRegionCode}
        />
        <Button
          type="primary"
          disabled={!types.length}
          loading={add.isPending}
          onClick={() =>
            add.mutate(
              { source: 'organisationTypes', types, regionCode },
              {
                onSuccess: (result) =>
                  void message.success(
                    t('inspections.targets.added', { added: result.added, already: result.alreadyThere }),
                  ),
                onError: (error) => void message.error(errorText(error)),
              },
            )
          }
        >
          {t('inspections.targets.add')}
        </Button>
      </Space>
    </Card>
  );
}

interface ManualValues {
  name: string;
  siteType: SiteType;
  address?: string;
  lon: number;
  lat: number;
}

function ByHand({ detail }: { detail: CampaignDetail }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const { message } = App.useApp();
  const add = useAddManualTarget(detail.id);
  const [form] = Form.useForm<ManualValues>();
  const submit = async () => {
    const values = await form.validateFields();
    add.mutate(
      { ...values, address: values.address || null },
      {
        onSuccess: () => {
          form.resetFields();
          void message.success(t('inspections.targets.addedOne', { name: values.name }));
        },
        onError: (error) => void message.error(errorText(error)),
      },
    );
  };
  return (
    <Card size="small" title={t('inspections.targets.byHand')}>
      <Form form={form} layout="vertical">
        <Form.Item name="name" rules={[{ required: true, min: 2 }]} style={{ marginBottom: 8 }}>
          <Input placeholder={t('inspections.fields.target')} />
        </Form.Item>
        <Form.Item name="siteType" rules={[{ required: true }]} style={{ marginBottom: 8 }}>
          <Select
            placeholder={t('inspections.fields.siteType')}
            options={SITE_TYPES.map((s) => ({ value: s, label: label(SITE_TYPE_LABELS, s) }))}
          />
        </Form.Item>
        <Form.Item name="address" style={{ marginBottom: 8 }}>
          <Input placeholder={t('inspections.fields.address')} />
        </Form.Item>
        <Space>
          <Form.Item name="lon" rules={[{ required: true }]} style={{ marginBottom: 8 }}>
            <InputNumber placeholder={t('inspections.fields.lon')} min={-180} max={180} step={0.0001} />
          </Form.Item>
          <Form.Item name="lat" rules={[{ required: true }]} style={{ marginBottom: 8 }}>
            <InputNumber placeholder={t('inspections.fields.lat')} min={-90} max={90} step={0.0001} />
          </Form.Item>
        </Space>
      </Form>
      <Button loading={add.isPending} onClick={() => void submit()}>
        {t('inspections.targets.add')}
      </Button>
    </Card>
  );
}

function Sample({ detail }: { detail: CampaignDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const sample = useSample(detail.id);
  const [size, setSize] = useState<number | null>(detail.sampleSize);
  const [seed, setSeed] = useState('');
  return (
    <Card size="small" title={t('inspections.targets.sample')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <InputNumber
          style={{ width: '100%' }}
          min={1}
          placeholder={t('inspections.fields.sampleSize')}
          aria-label={t('inspections.fields.sampleSize')}
          value={size}
          onChange={setSize}
        />
        <Input
          placeholder={t('inspections.targets.seed')}
          aria-label={t('inspections.targets.seed')}
          value={seed}
          onChange={(e) => setSeed(e.target.value)}
        />
        {detail.sampleSeed ? (
          <span>
            {t('inspections.targets.lastSeed', { seed: detail.sampleSeed, count: detail.sampledCount })}
          </span>
        ) : null}
        <Button
          disabled={!detail.targets.length}
          loading={sample.isPending}
          onClick={() =>
            sample.mutate(
              { size: size ?? undefined, seed: seed.trim() || undefined },
              {
                onSuccess: (campaign) =>
                  void message.success(
                    t('inspections.targets.sampledDone', { count: campaign.sampledCount }),
                  ),
                onError: (error) => void message.error(errorText(error)),
              },
            )
          }
        >
          {t('inspections.targets.draw')}
        </Button>
      </Space>
    </Card>
  );
}
