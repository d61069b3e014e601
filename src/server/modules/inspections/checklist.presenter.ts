import type {
  ChecklistDetail,
  ChecklistItem,
  ChecklistSummary,
  ChecklistVersionRef,
} from '../../../shared/checklists.ts';
import type { SiteType } from '../../../shared/inspections.ts';
import type { ItemWithCategory, TemplateWithTotals } from './checklist.repository.ts';
import type { ChecklistTemplateRow } from './inspection.table.ts';

export function presentItem(row: ItemWithCategory): ChecklistItem {
  return {
    id: row.id,
    position: row.position,
    key: row.key,
    section: row.section,
    question: row.question,
    points: row.points,
    rule: row.rule,
    comparator: row.comparator,
    threshold: row.threshold,
    unit: row.unit,
    photo: row.photo,
    guidance: row.guidance,
    siteTypes: row.site_types as SiteType[],
    categoryId: row.category_id,
    categoryCode: row.category_code,
    categoryName: row.category_name,
    veto: row.veto,
    immediate: row.immediate,
    rectifyLimit: row.rectify_limit,
  };
}

export function presentVersionRef(row: ChecklistTemplateRow): ChecklistVersionRef {
  return { id: row.id, version: row.version, status: row.status, createdAt: row.created_at.toISOString() };
}

function templateFields(
  row: TemplateWithTotals,
  versions: readonly ChecklistTemplateRow[],
  editable: boolean,
) {
  return {
    id: row.id,
    code: row.code,
    version: row.version,
    name: row.name,
    description: row.description,
    siteTypes: row.site_types as SiteType[],
    status: row.status,
    regionCode: row.region_code,
    itemCount: row.item_count,
    pointsTotal: row.points_total,
    vetoCount: row.veto_count,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    rowVersion: row.row_version,
    editable,
    versions: versions.map(presentVersionRef),
  };
}

/** A code's latest version, with all its versions (oldest first) and the one new campaigns use. */
export function presentSummary(versions: readonly TemplateWithTotals[], editable: boolean): ChecklistSummary {
  const latest = versions[versions.length - 1];
  if (!latest) throw new Error('a template code without versions');
  return {
    ...templateFields(latest, versions, editable),
    activeVersionId: versions.find((v) => v.status === 'active')?.id ?? null,
  };
}

/** Items grouped by section, sections in the order of their first item. */
export function presentDetail(
  row: TemplateWithTotals,
  items: readonly ItemWithCategory[],
  versions: readonly ChecklistTemplateRow[],
  options: { editable: boolean; inUse: boolean },
): ChecklistDetail {
  const sections = new Map<string, ChecklistDetail['sections'][number]>();
  for (const item of items) {
    const section = sections.get(item.section) ?? { name: item.section, points: 0, items: [] };
    section.points += item.points;
    section.items.push(presentItem(item));
    sections.set(item.section, section);
  }
  return {
    ...templateFields(row, versions, options.editable),
    inUse: options.inUse,
    sections: [...sections.values()],
  };
}
