import { checkPhone, nfkc } from '../../../shared/registry-validation.ts';

/*
 * How registry text is searched, in pure functions. Stored records keep their searchable text normalised and
 * cut into character bigrams (a GIN-indexed text[]); a query is cut the same way, so "河清 3号" asks for rows
 * holding the bigrams 河清 and 3号, and the normalised text then confirms each word is there as a whole.
 * Chinese needs bigrams: most words are two characters, and trigram indexes (pg_trgm) cannot serve a
 * two-character fragment.
 */

/** Text as compared: full-width forms folded (NFKC), letters in capitals, 號 as 号, no spaces or punctuation. */
export function normalizeSearchText(text: string): string {
  return nfkc(text)
    .toUpperCase()
    .replace(/號/g, '号')
    .replace(/[\s_·.,，。、;；:：()（）#'"“”‘’【】[\]/\\|]/g, '');
}

/** The distinct character bigrams of normalised text; a text of one character is its own only gram. */
export function searchGrams(normalized: string): string[] {
  const chars = Array.from(normalized);
  if (chars.length === 1) return chars;
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(`${chars[i]}${chars[i + 1]}`);
  return [...grams];
}

/** The words of a query, each normalised; empty ones dropped. */
export function searchWords(query: string): string[] {
  return query
    .split(/[\s,，、;；]+/)
    .map(normalizeSearchText)
    .filter((word) => word.length > 0);
}

/** The bigrams every matching row must hold: those of each word of two characters or more. */
export function queryGrams(words: readonly string[]): string[] {
  return [...new Set(words.filter((w) => Array.from(w).length >= 2).flatMap(searchGrams))];
}

export type SearchIntent =
  /** 18 characters shaped like an ID number (or an all-digit credit code): exact match. */
  | { kind: 'code18'; code: string }
  | { kind: 'uscc'; code: string }
  | { kind: 'phone'; phone: string }
  /** A name and the last four characters of an ID number, the way people ask for someone on the phone. */
  | { kind: 'nameAndIdTail'; name: string; tail: string }
  | { kind: 'text'; words: string[] };

/** What a search box query asks for. */
export function classifySearch(query: string): SearchIntent {
  const compact = query.replace(/\s+/g, '').toUpperCase();
  if (/^\d{17}[\dX]$/.test(compact)) return { kind: 'code18', code: compact };
  if (/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(compact) && /\d{6}/.test(compact.slice(2, 8))) {
    return { kind: 'uscc', code: compact };
  }
  const phone = checkPhone(query);
  if (phone.ok && phone.value) return { kind: 'phone', phone: phone.value };
  const words = query.trim().split(/\s+/);
  if (words.length === 2) {
    const tailIndex = words.findIndex((w) => /^\d{3}[\dXx]$/.test(w));
    const name = words[1 - tailIndex];
    if (tailIndex >= 0 && name && !/\d/.test(name)) {
      return { kind: 'nameAndIdTail', name, tail: (words[tailIndex] ?? '').toUpperCase() };
    }
  }
  return { kind: 'text', words: searchWords(query) };
}
