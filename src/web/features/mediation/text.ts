import type { LocalizedText } from '../../../shared/errors.ts';

/** A bilingual label in the UI's language. */
export function label(text: LocalizedText, language: string): string {
  return language.startsWith('en') ? text.en : text.zh;
}

/** An instant as its Asia/Shanghai day, YYYY-MM-DD. */
export function shortDay(iso: string | null): string {
  if (!iso) return '—';
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}
