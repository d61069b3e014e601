import { Alert, Button, Card, Empty, Flex, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { RegistryEntity } from '../../../shared/registry.ts';
import { errorText } from '../../api/client.ts';
import { recordLink, useRegistrySearch } from './api.ts';
import { useRegistryLabels } from './labels.ts';

const PAGE_SIZE = 20;
const ENTITY_COLORS: Record<RegistryEntity, string> = {
  address: 'blue',
  building: 'geekblue',
  house: 'cyan',
  resident: 'green',
  organisation: 'purple',
  facility: 'orange',
};

/** `/registry/search?q=&entities=&page=`: hits of the search box across types, each opening its record. */
export default function SearchPage() {
  const { t } = useTranslation();
  const labels = useRegistryLabels();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? 1) || 1;
  const result = useRegistrySearch({
    q,
    entities: params.get('entities') || undefined,
    page,
    pageSize: PAGE_SIZE,
  });
  const toPage = (next: number) =>
    setParams((current) => {
      const copy = new URLSearchParams(current);
      copy.set('page', String(next));
      return copy;
    });

  if (!q.trim()) return <Alert type="info" showIcon title={t('registry.search.hint')} />;
  return (
    <Card title={t('registry.search.resultsTitle', { q })}>
      {result.isError ? <Alert type="error" showIcon title={errorText(result.error)} /> : null}
      <List
        data-testid="registry-search-results"
        loading={result.isFetching}
        dataSource={result.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('registry.search.empty')} /> }}
        renderItem={(hit) => (
          <List.Item key={`${hit.entity}-${hit.id}`}>
            <List.Item.Meta
              title={
                <Space size={8}>
                  <Tag color={ENTITY_COLORS[hit.entity]}>{labels.entity(hit.entity)}</Tag>
                  <Link to={recordLink(hit.entity, hit.id)}>{hit.title}</Link>
                </Space>
              }
              description={hit.subtitle}
            />
            <Space size={12} wrap>
              <Typography.Text type="secondary">
                {[hit.villageName, hit.regionName].filter(Boolean).join(' · ')}
              </Typography.Text>
              <Tag bordered={false}>
                {t('registry.search.matchedBy', { what: t(`registry.search.matches.${hit.match}`) })}
              </Tag>
            </Space>
          </List.Item>
        )}
      />
      <Flex justify="flex-end" gap={8} style={{ marginTop: 12 }}>
        <Button disabled={page <= 1} onClick={() => toPage(page - 1)}>
          {t('registry.search.previous')}
        </Button>
        <Button disabled={!result.data?.more} onClick={() => toPage(page + 1)}>
          {t('registry.search.next')}
        </Button>
      </Flex>
    </Card>
  );
}
