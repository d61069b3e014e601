import { Badge, Card, Col, Empty, Row, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import type { Catalogue } from '../../i18n/zh-CN.ts';
import { queueLink, useWork } from './api.ts';

type QueueKey = keyof Catalogue['work']['queues'];

/**
 * `/work`, 工作台: where every role lands — what waits for it, each count opening the case list filtered to it.
 * Queues that wait for the user's action are marked; their sum is the bell's number.
 */
export default function WorkPage() {
  const { t } = useTranslation();
  const work = useWork();
  if (work.isError && !work.data)
    return <ErrorResult error={work.error} onRetry={() => void work.refetch()} />;
  if (!work.data) return <PageSpinner />;
  const { queues, waiting, today } = work.data;

  return (
    <Card
      title={t('work.title')}
      extra={<Typography.Text type="secondary">{t('work.today', { date: today })}</Typography.Text>}
    >
      {queues.length === 0 ? (
        <Empty description={t('work.none')} />
      ) : (
        <>
          <Statistic
            title={t('work.waiting')}
            value={waiting}
            data-testid="work-waiting"
            style={{ marginBottom: 8 }}
          />
          <Typography.Paragraph type="secondary">{t('work.waitingHint')}</Typography.Paragraph>
          <Row gutter={[16, 16]}>
            {queues.map((queue) => (
              <Col key={queue.key} xs={12} sm={8} lg={6}>
                <Link to={queueLink(queue.filter)} data-testid={`work-queue-${queue.key}`}>
                  <Card hoverable size="small">
                    <Statistic
                      title={
                        <Badge
                          status={queue.waiting ? (queue.count ? 'processing' : 'success') : 'default'}
                          text={t(`work.queues.${queue.key as QueueKey}`)}
                        />
                      }
                      value={queue.more ? t('work.more', { count: queue.count }) : queue.count}
                      styles={{
                        content: { color: queue.key === 'overdue' && queue.count ? '#cf1322' : undefined },
                      }}
                    />
                  </Card>
                </Link>
              </Col>
            ))}
          </Row>
        </>
      )}
    </Card>
  );
}
