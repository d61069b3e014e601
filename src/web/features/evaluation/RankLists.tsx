import { Card, Col, List, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Ranking } from '../../../shared/indicators.ts';
import { formatScore100 } from './figures.ts';

/** 红黑榜: the best and worst ranked units, as two cards. */
export function RankLists({ ranking }: { ranking: Ranking | undefined }) {
  const { t } = useTranslation();
  const rows = new Map(ranking?.rows.map((r) => [r.key, r]));
  const card = (kind: 'redList' | 'blackList', color: string) => (
    <Card
      size="small"
      data-testid={kind}
      title={<span style={{ color }}>{t(`evaluation.ranking.${kind}`)}</span>}
      style={{ borderTop: `3px solid ${color}`, height: '100%' }}
    >
      <List
        size="small"
        locale={{ emptyText: t('evaluation.ranking.listEmpty') }}
        dataSource={(ranking?.[kind] ?? []).flatMap((key) => rows.get(key) ?? [])}
        renderItem={(row) => (
          <List.Item extra={<Typography.Text strong>{formatScore100(row.composite)}</Typography.Text>}>
            <span>
              <Typography.Text type="secondary">
                {t('evaluation.ranking.rankN', { rank: row.rank })}
              </Typography.Text>{' '}
              {row.name}
            </span>
          </List.Item>
        )}
      />
    </Card>
  );
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} md={12}>
        {card('redList', '#cf1322')}
      </Col>
      <Col xs={24} md={12}>
        {card('blackList', '#262626')}
      </Col>
    </Row>
  );
}
