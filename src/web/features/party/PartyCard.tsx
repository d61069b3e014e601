import { Card, Col, Progress, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PARTY_READER_ROLES } from '../../../shared/access.ts';
import { useSession } from '../../api/session.ts';
import { usePartyFigures } from './api.ts';

/** The leader's dashboard card: members, posts and the issues they reported, opening onto the party page. */
export function PartyCard() {
  const role = useSession().data?.user.role;
  return role && PARTY_READER_ROLES.includes(role) ? <Figures /> : null;
}

function Figures() {
  const { t } = useTranslation();
  const figures = usePartyFigures('branch');
  const total = figures.data?.total;
  const closedShare = total?.issues ? Math.round((total.closed / total.issues) * 1000) / 10 : 0;
  return (
    <Card
      size="small"
      title={t('party.dashboard.title')}
      extra={<Link to="/party">{t('party.dashboard.more')}</Link>}
      loading={figures.isPending}
      data-testid="party-card"
      style={{ height: '100%' }}
    >
      <Row gutter={8}>
        <Col span={8}>
          <Statistic title={t('party.figures.members')} value={total?.members ?? 0} />
        </Col>
        <Col span={8}>
          <Statistic title={t('party.figures.posts')} value={total?.posts ?? 0} />
        </Col>
        <Col span={8}>
          <Statistic title={t('party.figures.issues')} value={total?.issues ?? 0} />
        </Col>
      </Row>
      <div style={{ marginTop: 8, fontSize: 12 }}>
        {t('party.figures.closedRate')}
        <Progress percent={closedShare} size="small" />
      </div>
    </Card>
  );
}
