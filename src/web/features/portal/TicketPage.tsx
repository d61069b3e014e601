import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Image,
  Input,
  Rate,
  Space,
  Steps,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  formatTicketCode,
  normalizeTicketCode,
  PUBLIC_STAGES,
  type PublicTicket,
} from '../../../shared/portal.ts';
import { errorText } from '../../api/client.ts';
import { ErrorResult } from '../../components/ErrorResult.tsx';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { formatDateTime } from '../../components/time.ts';
import { photoUrl, useRate, useTicket } from './api.ts';
import { ratingKeyFor, rememberReport } from './myReports.ts';

/**
 * Follow a report: its stage, the public timeline, the department, public photos; rate it once closed. The
 * report's extra fields are not shown: they may be personal, and the ticket (portal.presenter.ts) leaves them out.
 */
export default function TicketPage() {
  const { t } = useTranslation();
  // As typed or linked: lower case, spaces and dashes are the same code.
  const ticketNo = normalizeTicketCode(useParams().ticketNo ?? '');
  const [search] = useSearchParams();
  const query = useTicket(ticketNo);
  // A link carrying the rating key (shared from the reporting phone) lets this phone rate too.
  const linkedKey = search.get('key');
  useEffect(() => {
    if (linkedKey && !ratingKeyFor(ticketNo)) {
      rememberReport({ ticketNo, ratingKey: linkedKey, at: new Date().toISOString() });
    }
  }, [linkedKey, ticketNo]);

  if (query.isPending) return <PageSpinner />;
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  const ticket = query.data;
  const current = PUBLIC_STAGES.indexOf(ticket.stage);

  return (
    <>
      <Card
        size="small"
        title={
          <Space wrap size={4}>
            <span>{t('portal.ticket.title')}</span>
            <Typography.Text type="secondary" data-testid="portal-ticket-no">
              {formatTicketCode(ticket.ticketNo)}
            </Typography.Text>
          </Space>
        }
        extra={
          <Button
            size="small"
            icon={<ReloadOutlined />}
            aria-label={t('portal.ticket.refresh')}
            onClick={() => void query.refetch()}
          />
        }
      >
        <Steps
          size="small"
          orientation="vertical"
          current={current}
          status={ticket.stage === 'closed' ? 'finish' : 'process'}
          data-testid="portal-stage"
          data-stage={ticket.stage}
          items={PUBLIC_STAGES.map((stage) => ({ title: t(`portal.ticket.stages.${stage}`) }))}
        />
        {ticket.outcome ? (
          <Tag color={ticket.outcome === 'fixed' ? 'green' : 'default'} data-testid="portal-outcome">
            {t(`portal.ticket.outcomes.${ticket.outcome}`)}
          </Tag>
        ) : null}
      </Card>
      {ticket.rateable || ticket.satisfaction !== null ? <RatingCard ticket={ticket} /> : null}
      <Card size="small">
        <Descriptions
          column={1}
          size="small"
          items={[
            { key: 'category', label: t('portal.ticket.category'), children: ticket.categoryName },
            { key: 'grid', label: t('portal.ticket.grid'), children: ticket.gridName },
            {
              key: 'department',
              label: t('portal.ticket.department'),
              children: ticket.departmentName ?? '—',
            },
            {
              key: 'reportedAt',
              label: t('portal.ticket.reportedAt'),
              children: formatDateTime(ticket.reportedAt),
            },
            ...(ticket.closedAt
              ? [
                  {
                    key: 'closedAt',
                    label: t('portal.ticket.closedAt'),
                    children: formatDateTime(ticket.closedAt),
                  },
                ]
              : []),
            {
              key: 'description',
              label: t('portal.ticket.description'),
              children: (
                <Typography.Text
                  type={ticket.descriptionHidden ? 'secondary' : undefined}
                  italic={ticket.descriptionHidden}
                >
                  {ticket.description}
                </Typography.Text>
              ),
            },
          ]}
        />
        {ticket.photos.length || ticket.hiddenPhotos ? (
          <Space orientation="vertical" size={4}>
            <Typography.Text strong>{t('portal.ticket.photos')}</Typography.Text>
            <Image.PreviewGroup>
              <Space wrap>
                {ticket.photos.map((photo) => (
                  <Image
                    key={photo.id}
                    src={photoUrl(ticket.ticketNo, photo.id, 'thumbnail')}
                    preview={{ src: photoUrl(ticket.ticketNo, photo.id) }}
                    width={88}
                    height={88}
                    style={{ objectFit: 'cover', borderRadius: 6 }}
                  />
                ))}
              </Space>
            </Image.PreviewGroup>
            {ticket.hiddenPhotos ? (
              <Typography.Text type="secondary" italic>
                {t('portal.ticket.hiddenPhotos', { count: ticket.hiddenPhotos })}
              </Typography.Text>
            ) : null}
          </Space>
        ) : null}
      </Card>
      <Card size="small">
        <Timeline
          data-testid="portal-timeline"
          items={[...ticket.timeline].reverse().map((entry) => ({
            key: entry.id,
            color: entry.stage === 'closed' ? 'green' : 'blue',
            content: (
              <div>
                <div>{entry.text}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(entry.at)}
                </Typography.Text>
              </div>
            ),
          }))}
        />
      </Card>
      <Link to="/public">{t('portal.back')}</Link>
    </>
  );
}

/** The rating, once: with the key this phone kept when reporting. */
function RatingCard({ ticket }: { ticket: PublicTicket }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rate = useRate(ticket.ticketNo);
  const ratingKey = ratingKeyFor(ticket.ticketNo);
  if (ticket.satisfaction !== null) {
    return (
      <Card size="small" title={t('portal.rate.yours')}>
        <Rate disabled value={ticket.satisfaction} data-testid="portal-satisfaction" />
      </Card>
    );
  }
  if (!ratingKey) return <Alert type="info" showIcon title={t('portal.rate.noKey')} />;
  return (
    <Card size="small" title={t('portal.rate.title')}>
      <Form<{ score: number; comment?: string }>
        layout="vertical"
        onFinish={(values) =>
          rate.mutate(
            { score: values.score, ...(values.comment ? { comment: values.comment } : {}), ratingKey },
            {
              onSuccess: () => void message.success(t('portal.rate.thanks')),
              onError: (error) => void message.error(errorText(error)),
            },
          )
        }
      >
        <Form.Item name="score" label={t('portal.rate.score')} rules={[{ required: true }]}>
          <Rate data-testid="portal-rate" />
        </Form.Item>
        <Form.Item name="comment" label={t('portal.rate.comment')}>
          <Input.TextArea rows={2} maxLength={300} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={rate.isPending}>
          {t('portal.rate.submit')}
        </Button>
      </Form>
    </Card>
  );
}
