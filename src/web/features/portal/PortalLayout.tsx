import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import './portal.css';

/** The resident portal's frame: its name and the language switch, nothing of the staff console. */
export default function PortalLayout() {
  const { t } = useTranslation();
  return (
    <div className="gg-portal">
      <header className="gg-portal-header">
        <Link to="/public">{t('portal.title')}</Link>
        <LanguageSwitch />
      </header>
      <main className="gg-portal-main">
        <Suspense fallback={<PageSpinner />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
