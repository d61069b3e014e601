import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../../shared/errors.ts';
import { LANGUAGE_NAMES, setLocale, useLocale } from '../i18n/index.ts';

/** 中文 / English switch; the choice is remembered and sent to the server with every request. */
export function LanguageSwitch({ size = 'small' }: { size?: 'small' | 'middle' }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Segmented<Locale>
      size={size}
      aria-label={t('language.label')}
      value={locale}
      options={LOCALES.map((value) => ({ value, label: <span lang={value}>{LANGUAGE_NAMES[value]}</span> }))}
      onChange={(value) => void setLocale(value)}
    />
  );
}
