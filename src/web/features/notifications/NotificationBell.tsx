import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatDateTime } from '../../components/time.ts';
import { useInbox, useMarkNotificationsRead } from './api.ts';

/** The header's inbox: unread count, the latest messages, a click opens the case and marks it read. */
export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const inbox = useInbox();
  const markRead = useMarkNotificationsRead();
  const items = inbox.data?.items ?? [];

  const content = (
    <div style={{ width: 340, maxHeight: 420, overflow: 'auto' }}>
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
                title={<Typography.Text strong={!item.read}>{item.text}</Typography.Text>}
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
      <Badge count={inbox.data?.unread ?? 0} size="small" offset={[-4, 4]}>
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
