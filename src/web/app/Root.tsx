import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { I18nextProvider } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { ApiError } from '../api/client.ts';
import { i18n, useLocale } from '../i18n/index.ts';
import { AppRoutes } from './routes.tsx';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Refusals and missing things will not change by asking again.
      retry: (failureCount, error) =>
        failureCount < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
      // Ask even when the browser says it is offline: the service worker may answer from its cache, and a
      // failed request shows "no connection" instead of a spinner that waits for the network forever.
      networkMode: 'offlineFirst',
    },
  },
});

i18n.on('languageChanged', () => {
  // Server texts (error messages, not-found answers) come in the request's language: fetch them again.
  void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'config' });
});

/**
 * Who asks their system for less motion gets none of antd's animations (dialogs, drawers, menus, messages): they
 * open and close at once. Read once, at load.
 */
const reducedMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

function LocalisedApp() {
  const locale = useLocale();
  // antd's pickers take month and weekday names from dayjs, not from the ConfigProvider's locale.
  dayjs.locale(locale === 'en-US' ? 'en' : 'zh-cn');
  return (
    <ConfigProvider
      locale={locale === 'en-US' ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#1677ff', motion: !reducedMotion } }}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        {/* A page change renders at once, not as a transition: React would otherwise render it in slices, and the
            browser paints the old page between them (slow without a GPU, and behind a map). A page whose code
            is not loaded yet shows the spinner meanwhile. */}
        <BrowserRouter useTransitions={false}>
          <AppRoutes />
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export function Root() {
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <LocalisedApp />
      </QueryClientProvider>
    </I18nextProvider>
  );
}
