import type { LocalizedText } from '../../../shared/errors.ts';
import {
  type HotlineAgency,
  type HotlineAgencyMapping,
  type HotlineField,
  hotlineAgencyMappingSchema,
} from '../../../shared/hotline.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { PeopleService } from '../people/user.service.ts';
import * as imports from './hotline.repository.ts';
import { localized } from './hotline-texts.ts';

/** The agencies (承办单位) a 12345 export names, and the department each is given to. */

const AGENCY_TEXT = {
  unknownDepartment: {
    zh: '承办单位“{agency}”对应的部门 {id} 不存在',
    en: 'agency "{agency}" is mapped to department {id}, which does not exist',
  },
  badAgencies: {
    zh: '承办单位对应关系格式有误：{reason}',
    en: 'the agency mapping is malformed: {reason}',
  },
} as const;

/** An agency as compared: trimmed, inner spaces collapsed, case ignored. */
export function agencyKey(agency: string): string {
  return agency.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The `agencies` query parameter: a JSON object of agency → department id (null: none). */
export function parseAgenciesParam(json: string | undefined): HotlineAgencyMapping {
  if (!json) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', {
      summary: localized(AGENCY_TEXT.badAgencies, { reason: (error as Error).message }),
    });
  }
  const parsed = hotlineAgencyMappingSchema.safeParse(value);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('VALIDATION_FAILED', { summary: localized(AGENCY_TEXT.badAgencies, { reason }) });
  }
  return parsed.data;
}

export interface AgencyDeps {
  db: Db;
  people: Pick<PeopleService, 'listDepartmentRefs'>;
}

/**
 * The department of each agency the file names: as this request maps it, else as remembered for the
 * source, else the department of that name or code. Lists them for the mapping table.
 */
export async function agencyResolver(
  { db, people }: AgencyDeps,
  source: string,
  requested: HotlineAgencyMapping,
  outcomes: readonly { values: Partial<Record<HotlineField, string>> }[],
) {
  const remembered = await imports.findAgencyMappings(db, source);
  const departments = await people.listDepartmentRefs();
  const byId = new Map(departments.map((d) => [d.id, d]));
  const byName = new Map<string, number>();
  for (const d of departments) {
    byName.set(agencyKey(d.code), d.id);
    byName.set(agencyKey(d.name), d.id);
  }
  const asked = new Map(Object.entries(requested).map(([agency, id]) => [agencyKey(agency), id]));
  const seen = new Map<string, { agency: string; rows: number }>();
  for (const outcome of outcomes) {
    const agency = outcome.values.agency?.trim();
    if (!agency) continue;
    const key = agencyKey(agency);
    const entry = seen.get(key) ?? { agency, rows: 0 };
    entry.rows++;
    seen.set(key, entry);
  }
  const problems: LocalizedText[] = [];
  const resolved = new Map<string, { id: number | null; by: HotlineAgency['mappedBy'] }>();
  const resolve = (key: string): { id: number | null; by: HotlineAgency['mappedBy'] } => {
    let found = resolved.get(key);
    if (!found) {
      if (asked.has(key)) found = { id: asked.get(key) ?? null, by: 'request' };
      else if (remembered.has(key)) found = { id: remembered.get(key) ?? null, by: 'remembered' };
      else if (byName.has(key)) found = { id: byName.get(key) ?? null, by: 'name' };
      else found = { id: null, by: 'none' };
      resolved.set(key, found);
    }
    return found;
  };
  for (const [agency, id] of asked) {
    if (id !== null && !byId.has(id)) problems.push(localized(AGENCY_TEXT.unknownDepartment, { agency, id }));
  }
  const list: HotlineAgency[] = [...seen.entries()]
    .map(([key, { agency, rows }]) => {
      const { id, by } = resolve(key);
      return {
        agency,
        rows,
        departmentId: id,
        departmentName: id === null ? null : (byId.get(id)?.name ?? null),
        mappedBy: id === null ? 'none' : by,
      };
    })
    .sort((a, b) => b.rows - a.rows || a.agency.localeCompare(b.agency));
  return {
    list,
    problems,
    departmentOf: (agency: string) => resolve(agencyKey(agency)).id,
  };
}

/** The agency mapping a request gives, by agency key, to remember. */
export function parseRequested(agencies: HotlineAgencyMapping | undefined) {
  return Object.entries(agencies ?? {}).map(([agency, departmentId]) => ({
    agency: agencyKey(agency),
    departmentId,
  }));
}
