import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../../shared/errors.ts';
import enUS from './en-US.ts';
import zhCN from './zh-CN.ts';

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

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } },
  lng: storedLocale(),
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
  showSupportNotice: false,
});
applyDocumentLanguage(currentLocale());

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
