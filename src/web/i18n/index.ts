import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../../shared/errors.ts';
import publicZhCN from './public.zh-CN.ts';

export const LANGUAGE_STORAGE_KEY = 'gridgov.lang';

/** Language names are shown in their own language, so they are the one text not in the catalogues. */
export const LANGUAGE_NAMES: Record<Locale, string> = { 'zh-CN': '中文', 'en-US': 'English' };

function storedLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    if (stored && (LOCALES as readonly string[]).includes(stored)) return stored as Locale;
  } catch {
    // Storage can be blocked (private mode, policies); fall back to the default language.
  }
  return DEFAULT_LOCALE;
}

function applyDocumentLanguage(locale: Locale): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = locale;
  document.title = `${i18n.t('app.name')} · ${i18n.t('app.shortName')}`;
}

export const i18n = i18next.createInstance();

/** Chinese comes with the page; the English texts are fetched when they are chosen (a smaller first load). */
const CATALOGUES: Partial<Record<Locale, () => Promise<{ default: object }>>> = {
  'en-US': () => import('./en-US.ts'),
};

async function loadCatalogue(locale: Locale): Promise<void> {
  const load = CATALOGUES[locale];
  if (!load || i18n.hasResourceBundle(locale, 'translation')) return;
  i18n.addResourceBundle(locale, 'translation', (await load()).default);
}

const initialLocale = storedLocale();
void i18n.use(initReactI18next).init({
  // The console's texts are added by console.ts when a signed-in screen loads.
  resources: { 'zh-CN': { translation: publicZhCN } },
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
  showSupportNotice: false,
});
applyDocumentLanguage(currentLocale());

/** Settles once the remembered language's texts are loaded and chosen; main.tsx renders after it. */
export const i18nReady: Promise<void> =
  initialLocale === DEFAULT_LOCALE
    ? Promise.resolve()
    : loadCatalogue(initialLocale)
        .then(() => i18n.changeLanguage(initialLocale))
        .then(() => applyDocumentLanguage(initialLocale))
        // Offline without the English texts cached: the console opens in Chinese.
        .catch(() => undefined);

export function currentLocale(): Locale {
  return i18n.language === 'en-US' ? 'en-US' : 'zh-CN';
}

/** Switches the UI language, remembers it and marks the document for screen readers and fonts. */
export async function setLocale(locale: Locale): Promise<void> {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, locale);
  } catch {
    // Not remembering the choice is acceptable; switching still works for this page.
  }
  await loadCatalogue(locale);
  await i18n.changeLanguage(locale);
  applyDocumentLanguage(locale);
}

/** Current UI locale, re-rendering on change. */
export function useLocale(): Locale {
  const { i18n: instance } = useTranslation();
  return instance.language === 'en-US' ? 'en-US' : 'zh-CN';
}

/** Picks the label of a shared `{ zh, en }` label record (roles, duties, region levels). */
export function pickLabel(label: { zh: string; en: string }, locale: Locale): string {
  return locale === 'en-US' ? label.en : label.zh;
}
