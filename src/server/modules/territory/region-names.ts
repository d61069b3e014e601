import { type LocalizedText, labelWithCode } from '../../../shared/errors.ts';
import type { RegionSummary, RegionTreeNode } from '../../../shared/territory.ts';
import type { Actor } from '../people/actor.ts';
import type { TerritoryService } from './territory.service.ts';

/**
 * Villages and grids found by the names people write in spreadsheets (a 12345 export, a registry file): files
 * from outside name places far more often than they give 12-digit codes.
 */

const TEXT = {
  unknown: {
    zh: '在您的数据范围（{scope}）内找不到名为“{name}”的村居或网格',
    en: 'no village or grid named "{name}" in your data scope ({scope})',
  },
  ambiguous: {
    zh: '名称“{name}”对应多个网格（村居）：{candidates}，请填写代码',
    en: 'the name "{name}" matches several grids or villages: {candidates}; give the code',
  },
} as const satisfies Record<string, LocalizedText>;

/** A code is digits only; anything else in a place column is taken for a name. */
export function looksLikeRegionCode(text: string): boolean {
  return /^\d{12,21}$/.test(text);
}

/** "河清社区居委会" and "河清社区" name the same village: the committee suffix is dropped before comparing. */
function normalizePlaceName(name: string): string {
  return name.replace(/\s/g, '').replace(/(居民委员会|村民委员会|居委会|村委会)$/, '');
}

function indexPlaces(root: RegionTreeNode): Map<string, RegionSummary[]> {
  const index = new Map<string, RegionSummary[]>();
  const visit = (node: RegionTreeNode) => {
    if (node.level === 'village' || node.level === 'grid') {
      const key = normalizePlaceName(node.name);
      index.set(key, [...(index.get(key) ?? []), node]);
    }
    node.children.forEach(visit);
  };
  visit(root);
  return index;
}

function fill(template: LocalizedText, params: { name: string; scope: string; candidates?: LocalizedText }) {
  const say = (text: string, lang: 'zh' | 'en') =>
    text
      .replace('{name}', params.name)
      .replace('{scope}', params.scope)
      .replace('{candidates}', params.candidates?.[lang] ?? '');
  return { zh: say(template.zh, 'zh'), en: say(template.en, 'en') };
}

/**
 * Resolves names to the one village or grid of that name inside the actor's scope (where names are most likely
 * unique), or says why not. The scope's tree is read once, on the first name asked for.
 */
export function createRegionNameLookup(
  territory: Pick<TerritoryService, 'getRegionTree'>,
  actor: Actor,
): (name: string) => Promise<RegionSummary | { problem: LocalizedText }> {
  let names: Promise<Map<string, RegionSummary[]>> | null = null;
  return async (name) => {
    names ??= territory.getRegionTree(actor, { depth: 8 }).then(indexPlaces);
    const matches = (await names).get(normalizePlaceName(name)) ?? [];
    if (matches.length === 1 && matches[0]) return matches[0];
    if (matches.length === 0) return { problem: fill(TEXT.unknown, { name, scope: actor.scopeName }) };
    const labels = matches.map((m) => labelWithCode(m.name, m.code));
    const candidates = { zh: labels.map((l) => l.zh).join('、'), en: labels.map((l) => l.en).join(', ') };
    return { problem: fill(TEXT.ambiguous, { name, scope: actor.scopeName, candidates }) };
  };
}
