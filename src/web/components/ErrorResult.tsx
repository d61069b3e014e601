import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, errorText } from '../api/client.ts';

/** A whole-page answer to a failed load: refusals (403) and missing things (404) say so plainly. */
export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const status = error instanceof ApiError ? error.status : 0;
  const home = (
    <Link key="home" to="/">
      <Button type="primary">{t('common.backHome')}</Button>
    </Link>
  );
  if (status === 403) {
    return (
      <div data-testid="forbidden">
        <Result status="403" title={t('errors.forbiddenTitle')} subTitle={errorText(error)} extra={home} />
      </div>
    );
  }
  if (status === 404) {
    return <Result status="404" title={t('errors.notFoundTitle')} subTitle={errorText(error)} extra={home} />;
  }
  return (
    <Result
      status="error"
      title={t('errors.loadFailedTitle')}
      subTitle={errorText(error)}
      extra={[
        onRetry ? (
          <Button key="retry" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : null,
        home,
      ]}
    />
  );
}
