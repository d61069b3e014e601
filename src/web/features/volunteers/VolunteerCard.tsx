import { Card, Col, List, Row, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Role } from '../../../shared/roles.ts';
import { FIGURE_READER_ROLES } from '../../../shared/volunteers.ts';
import { useSession } from '../../api/session.ts';
import { useFigures } from './api.ts';
import { shanghaiToday } from './labels.ts';

/** The leader's dashboard card: the last 30 days' person-times and hours, and the units sending most. */
export function VolunteerCard() {
  const role = useSession().data?.user.role as Role | undefined;
  return role && FIGURE_READER_ROLES.includes(role) ? <Figures /> : null;
}

function Figures() {
  const { t } = useTranslation();
  const figures = useFigures({ by: 'unit', from: shanghaiToday(-29), to: shanghaiToday(), limit: 5 });
  const totals = figures.data?.totals;
  return (
    <Card
      size="small"
      title={t('volunteers.card.title')}
      extra={<Link to="/volunteers?tab=figures">{t('volunteers.card.more')}</Link>}
      loading={figures.isPending}
      data-testid="volunteer-card"
      style={{ height: '100%' }}
    >
      <Row gutter={8}>
        <Col span={8}>
          <Statistic title={t('volunteers.figures.personTimes')} value={totals?.personTimes ?? 0} />
        </Col>
        <Col span={8}>
          <Statistic title={t('volunteers.figures.hours')} value={totals?.hours ?? 0} />
        </Col>
        <Col span={8}>
          <Statistic title={t('volunteers.figures.units')} value={totals?.units ?? 0} />
        </Col>
      </Row>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('volunteers.card.topUnits')}
      </Typography.Text>
      <List
        size="small"
        dataSource={figures.data?.rows ?? []}
        renderItem={(row) => (
          <List.Item extra={row.personTimes}>
            <Typography.Text ellipsis>{row.name}</Typography.Text>
          </List.Item>
        )}
      />
    </Card>
  );
}
