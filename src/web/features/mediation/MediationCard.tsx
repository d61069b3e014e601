import { Card, Col, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { MEDIATION_READER_ROLES } from '../../../shared/access.ts';
import { useSession } from '../../api/session.ts';
import { useMediationFigures } from './api.ts';

/** The leader's dashboard card: disputes handled and settled this year, the rate, opening onto the figures. */
export function MediationCard() {
  const role = useSession().data?.user.role;
  return role && MEDIATION_READER_ROLES.includes(role) ? <Figures /> : null;
}

function Figures() {
  const { t } = useTranslation();
  const figures = useMediationFigures();
  const total = figures.data?.total;
  return (
    <Card
      size="small"
      title={t('mediation.dashboard.title')}
      extra={<Link to="/mediation?tab=figures">{t('mediation.dashboard.more')}</Link>}
      loading={figures.isPending}
      data-testid="mediation-card"
      style={{ height: '100%' }}
    >
      <Row gutter={8}>
        <Col span={8}>
          <Link to="/mediation?tab=list&state=">
            <Statistic title={t('mediation.figures.handled')} value={total?.handled ?? 0} />
          </Link>
        </Col>
        <Col span={8}>
          <Link to="/mediation?tab=list&state=settled">
            <Statistic title={t('mediation.figures.settled')} value={total?.settled ?? 0} />
          </Link>
        </Col>
        <Col span={8}>
          <Statistic
            title={t('mediation.figures.settlementRate')}
            value={total?.settlementRate ?? 0}
            precision={2}
            suffix="%"
          />
        </Col>
      </Row>
      {figures.data?.overdue ? (
        <Link to="/mediation?tab=list&task=overdue" style={{ color: '#cf1322', fontSize: 12 }}>
          {t('mediation.dashboard.overdue', { count: figures.data.overdue })}
        </Link>
      ) : null}
    </Card>
  );
}
