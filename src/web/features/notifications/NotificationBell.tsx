import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, List, Popover, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { formatDateTime } from '../../components/time.ts';
import { useWork } from '../work/api.ts';
import { useInbox, useMarkNotificationsRead } from './api.ts';

/**
 * The header's bell. Its number is what waits for the user — the sum the work page shows, counted by the case
 * list itself — so the two never disagree; below it the latest messages, those whose step moved on marked done.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const inbox = useInbox();
  const work = useWork();
  const markRead = useMarkNotificationsRead();
  const items = inbox.data?.items ?? [];
  const waiting = work.data?.waiting ?? 0;

  const content = (
    <div style={{ width: 'min(340px, calc(100vw - 48px))', maxHeight: 420, overflow: 'auto' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 4 }}>
        <Link to="/work" data-testid="inbox-work">
          {t('work.inbox.toWork', { count: waiting })}
        </Link>
        <Button
          size="small"
          type="link"
          disabled={!inbox.data?.unread}
          onClick={() => markRead.mutate('all')}
        >
          {t('work.inbox.markAll')}
        </Button>
      </Space>
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(item) => (
            <List.Item
              style={{ cursor: item.caseId ? 'pointer' : 'default' }}
              onClick={() => {
                if (!item.read) markRead.mutate([item.id]);
                if (item.caseId) navigate(`/cases/${item.caseId}`);
              }}
            >
              <List.Item.Meta
                title={
                  <Typography.Text strong={!item.read} type={item.done ? 'secondary' : undefined}>
                    {item.done ? <Tag>{t('work.inbox.done')}</Tag> : null}
                    {item.text}
                  </Typography.Text>
                }
                description={formatDateTime(item.createdAt)}
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Popover trigger="click" placement="bottomRight" title={t('notifications.title')} content={content}>
      <Badge count={waiting} size="small" offset={[-4, 4]} data-testid="inbox-count">
        <Button
          type="text"
          icon={<BellOutlined />}
          aria-label={t('notifications.title')}
          data-testid="inbox"
        />
      </Badge>
    </Popover>
  );
}
