import type { Category } from '../../../shared/cases.ts';
import { type LocalizedText, labelWithCode } from '../../../shared/errors.ts';
import { listOf, localized } from './hotline-texts.ts';

/** The category of a 12345 order: the minor class its code or name names. */

const CATEGORY_TEXT = {
  unknownCategory: {
    zh: '事件类别“{value}”不是已有小类的代码或名称（如 06010 或 暴露垃圾）',
    en: 'category "{value}" is not the code or name of a minor class (e.g. 06010 or 暴露垃圾)',
  },
  majorCategory: {
    zh: '事件类别“{value}”是大类，请填写小类代码或名称',
    en: 'category "{value}" is a major class: give a minor class code or name',
  },
  ambiguousCategory: {
    zh: '事件类别“{value}”对应多个小类：{candidates}，请填写代码',
    en: 'category "{value}" matches several minor classes: {candidates}; give the code',
  },
  inactiveCategory: {
    zh: '事件类别 {category} 已停用',
    en: 'category {category} is inactive',
  },
} as const;

interface CategoryIndex {
  byCode: Map<string, Category[]>;
  byName: Map<string, Category[]>;
  majorCodes: Set<string>;
}

export function indexCategories(tree: readonly (Category & { children: Category[] })[]): CategoryIndex {
  const index: CategoryIndex = { byCode: new Map(), byName: new Map(), majorCodes: new Set() };
  for (const major of tree) {
    index.majorCodes.add(major.code);
    for (const minor of major.children) {
      index.byCode.set(minor.code, [...(index.byCode.get(minor.code) ?? []), minor]);
      const name = minor.name.replace(/\s/g, '');
      index.byName.set(name, [...(index.byName.get(name) ?? []), minor]);
    }
  }
  return index;
}

/**
 * A category as hotline staff write it: the minor class code (06010), its name (暴露垃圾), or both
 * ("06010 暴露垃圾"); the code wins. Codes repeat across the two trees only in theory, and then the row asks
 * which one.
 */
export function matchCategory(index: CategoryIndex, value: string): Category | { problem: LocalizedText } {
  const code = /(?<!\d)(\d{5})(?!\d)/.exec(value)?.[1];
  if (!code && /^\d{2}$/.test(value) && index.majorCodes.has(value)) {
    return { problem: localized(CATEGORY_TEXT.majorCategory, { value }) };
  }
  const matches = (code ? index.byCode.get(code) : index.byName.get(value.replace(/\s/g, ''))) ?? [];
  const [only] = matches;
  if (!only) return { problem: localized(CATEGORY_TEXT.unknownCategory, { value }) };
  if (matches.length > 1) {
    return { problem: localized(CATEGORY_TEXT.ambiguousCategory, { value, candidates: listOf(matches) }) };
  }
  if (!only.active) {
    return {
      problem: localized(CATEGORY_TEXT.inactiveCategory, { category: labelWithCode(only.name, only.code) }),
    };
  }
  return only;
}
