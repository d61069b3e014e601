import { EditOutlined } from '@ant-design/icons';
import { Alert, Breadcrumb, Button, Card, Col, Descriptions, Row, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { RegionDetail, ResponsiblePerson } from '../../../shared/territory.ts';
import { useConfig, useSession } from '../../api/session.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { useLocale } from '../../i18n/index.ts';
import type { GridFeatureCollection } from './api.ts';
import { useRegion } from './api.ts';
import { dutyText, levelText, maskPhone, nameWithCode } from './format.ts';
import { GridMap } from './GridMap.tsx';
import { PeopleEditor } from './PeopleEditor.tsx';

function boundaryCollection(region: RegionDetail): GridFeatureCollection | undefined {
  if (!region.boundary) return undefined;
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: region.boundary,
        properties: {
          code: region.code,
          name: region.name,
          level: region.level,
          gridLevel: region.gridLevel,
          parentCode: region.parentCode,
          villageName: null,
          gridWorkers: [],
        },
      },
    ],
  };
}

function isAboveScope(code: string, scopeCode: string | undefined): boolean {
  return Boolean(scopeCode && code !== scopeCode && scopeCode.startsWith(code));
}

/** One grid or region: where it sits, its boundary, what is under it and who answers for it. */
export default function RegionPage() {
  const { code = '' } = useParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const session = useSession().data;
  const config = useConfig().data;
  const region = useRegion(code);
  const [editing, setEditing] = useState(false);
  const boundary = useMemo(() => (region.data ? boundaryCollection(region.data) : undefined), [region.data]);

  if (region.isPending) return <PageSpinner />;
  if (region.isError) return <ErrorResult error={region.error} onRetry={() => void region.refetch()} />;
  const detail = region.data;
  const isAdmin = session?.user.role === 'administrator';
  const parent = detail.ancestors.at(-1);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }} data-testid="region-page">
      <Breadcrumb
        items={[
          { key: 'territory', title: <Link to="/territory">{t('nav.territory')}</Link> },
          ...detail.ancestors.map((ancestor) => ({
            key: ancestor.code,
            // Regions above the user's data scope would only answer with a refusal: show them as text.
            title: isAboveScope(ancestor.code, session?.scope.code) ? (
              ancestor.name
            ) : (
              <Link to={`/territory/regions/${ancestor.code}`}>{ancestor.name}</Link>
            ),
          })),
          { key: detail.code, title: detail.name },
        ]}
      />
      <Card
        title={
          <span>
            <Typography.Text strong style={{ fontSize: 18 }}>
              {detail.name}
            </Typography.Text>{' '}
            <Tag color="blue">{levelText(detail, locale, t)}</Tag>
          </span>
        }
        extra={
          <Link
            to={`/territory?region=${detail.level === 'grid' && parent ? parent.code : detail.code}${detail.level === 'grid' ? `&grid=${detail.code}` : ''}`}
          >
            {t('nav.territory')}
          </Link>
        }
      >
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 4 }}
          items={[
            { key: 'name', label: t('common.name'), children: detail.name },
            {
              key: 'code',
              label: t('common.code'),
              children: <Typography.Text copyable>{detail.code}</Typography.Text>,
            },
            { key: 'level', label: t('common.level'), children: levelText(detail, locale, t) },
            {
              key: 'parent',
              label: t('region.parent'),
              children: parent ? nameWithCode(parent, t) : t('common.none'),
            },
          ]}
        />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('region.boundary')}>
            {detail.synthetic || config?.demo ? (
              <Alert
                type="warning"
                showIcon
                title={t('territory.syntheticNote')}
                style={{ marginBottom: 8 }}
              />
            ) : null}
            {boundary && config ? (
              <div className="gg-small-map">
                <GridMap data={boundary} interactive={false} />
              </div>
            ) : (
              <Typography.Text type="secondary">{t('region.noBoundary')}</Typography.Text>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title={t('region.people')}
            extra={
              isAdmin && detail.level === 'grid' ? (
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)}>
                  {t('region.editPeople')}
                </Button>
              ) : null
            }
          >
            <Table<ResponsiblePerson>
              size="small"
              rowKey={(person) => `${person.userId}-${person.duty}`}
              dataSource={detail.people}
              pagination={false}
              locale={{ emptyText: t('region.noPeople') }}
              columns={[
                { key: 'name', title: t('region.person'), dataIndex: 'name' },
                {
                  key: 'duty',
                  title: t('region.duty'),
                  render: (_, person) => dutyText(person.duty, locale),
                },
                { key: 'phone', title: t('common.phone'), render: (_, person) => maskPhone(person.phone) },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('region.children')}>
        <Table
          size="small"
          rowKey="code"
          dataSource={detail.children}
          locale={{ emptyText: t('region.noChildren') }}
          pagination={{
            pageSize: 20,
            hideOnSinglePage: true,
            showTotal: (total) => t('common.total', { count: total }),
          }}
          columns={[
            {
              key: 'name',
              title: t('common.name'),
              render: (_, child) => <Link to={`/territory/regions/${child.code}`}>{child.name}</Link>,
            },
            { key: 'code', title: t('common.code'), dataIndex: 'code' },
            { key: 'level', title: t('common.level'), render: (_, child) => levelText(child, locale, t) },
            { key: 'childCount', title: t('region.childCount'), dataIndex: 'childCount', align: 'right' },
          ]}
        />
      </Card>
      {editing ? <PeopleEditor region={detail} onClose={() => setEditing(false)} /> : null}
    </div>
  );
}
