import { FormOutlined, IdcardOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Card, Input, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { formatTicketCode, normalizeTicketCode } from '../../../shared/portal.ts';
import { formatDateTime } from '../../components/time.ts';
import { usePublicRegistrationSettings } from '../registrations/api.ts';
import { listMyReports } from './myReports.ts';

/** Report a problem, or follow one by its ticket code. */
export default function PortalHome() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mine = listMyReports();
  const registrationHours = usePublicRegistrationSettings().data?.windowHours ?? 12;
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('portal.subtitle')}
      </Typography.Paragraph>
      <Button
        type="primary"
        size="large"
        block
        icon={<FormOutlined />}
        className="gg-portal-big-button"
        onClick={() => navigate('/public/report')}
      >
        <span>
          <strong>{t('portal.home.report')}</strong>
          <br />
          <small>{t('portal.home.reportHelp')}</small>
        </span>
      </Button>
      <Button
        size="large"
        block
        icon={<IdcardOutlined />}
        className="gg-portal-big-button"
        data-testid="portal-registration"
        onClick={() => navigate('/public/registration')}
      >
        <span>
          <strong>{t('registrations.public.entry')}</strong>
          <br />
          <small>{t('registrations.public.entryHelp', { hours: registrationHours })}</small>
        </span>
      </Button>
      <Card size="small" title={t('portal.home.follow')}>
        <Input.Search
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
          placeholder={t('portal.home.ticketPlaceholder')}
          aria-label={t('portal.home.ticketPlaceholder')}
          enterButton={
            <>
              <SearchOutlined /> {t('portal.home.query')}
            </>
          }
          onSearch={(value) => {
            const ticketNo = normalizeTicketCode(value);
            if (ticketNo) navigate(`/public/tickets/${ticketNo}`);
          }}
        />
      </Card>
      {mine.length ? (
        <Card size="small" title={t('portal.home.mine')}>
          <List
            size="small"
            dataSource={mine}
            renderItem={(report) => (
              <List.Item>
                <Link to={`/public/tickets/${report.ticketNo}`}>{formatTicketCode(report.ticketNo)}</Link>
                <Typography.Text type="secondary">{formatDateTime(report.at)}</Typography.Text>
              </List.Item>
            )}
          />
        </Card>
      ) : null}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('portal.home.privacy')}
      </Typography.Paragraph>
    </>
  );
}
