import type { RegionSummary, ResponsiblePerson } from '../../../shared/territory.ts';
import type { GridPersonWithUser } from './region.repository.ts';
import type { RegionRow } from './region.table.ts';

export function presentRegionSummary(row: RegionRow): RegionSummary {
  return {
    code: row.code,
    name: row.name,
    level: row.level,
    gridLevel: row.grid_level,
    parentCode: row.parent_code,
  };
}

export function presentPeople(rows: readonly GridPersonWithUser[]): ResponsiblePerson[] {
  return rows.map((p) => ({ userId: p.user_id, duty: p.duty, name: p.display_name, phone: p.phone }));
}
