import type { Answers, FormDefinition } from '../../../shared/forms.ts';
import {
  type CampaignHousehold,
  type CoverageRow,
  campaignStatus,
  type HouseholdVisit,
  type VisitCampaign,
  type VisitUnit,
} from '../../../shared/household-visits.ts';
import { maskIdNumber, maskPhone } from '../../../shared/registry-validation.ts';
import type { Actor } from '../people/actor.ts';
import { maskName, showsNames, showsPhones } from './household-visit.policy.ts';
import type {
  CoverageCount,
  HouseholdRow,
  VisitCaseRow,
  VisitListRow,
} from './household-visit.repository.ts';
import type { VisitCampaignRow } from './household-visit.table.ts';

export function presentCampaign(
  row: VisitCampaignRow,
  extra: {
    /** The civil day the status is for (Asia/Shanghai). */
    today: string;
    formTitle: string;
    names: Map<string, { name: string }>;
    households: number;
    visited: number;
  },
): VisitCampaign {
  return {
    id: row.id,
    name: row.name,
    formId: row.form_id,
    formVersionId: row.form_version_id,
    formVersion: row.form_version,
    formTitle: extra.formTitle,
    unit: row.unit,
    regions: row.region_codes.map((code) => ({ code, name: extra.names.get(code)?.name ?? code })),
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    createdAt: row.created_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    status: campaignStatus(
      { startsOn: row.starts_on, endsOn: row.ends_on, closedAt: row.closed_at?.toISOString() ?? null },
      extra.today,
    ),
    synthetic: row.synthetic,
    households: extra.households,
    visited: extra.visited,
  };
}

const LEVEL_OF_LENGTH: Record<number, string> = { 6: 'county', 9: 'town', 12: 'village' };

export function coverageRow(
  count: CoverageCount,
  names: Map<string, { name: string; level: string }>,
): CoverageRow {
  const region = names.get(count.code);
  return {
    code: count.code,
    name: region?.name ?? count.code,
    level: region?.level ?? LEVEL_OF_LENGTH[count.code.length] ?? 'grid',
    households: count.households,
    visited: count.visited,
    residents: count.residents,
    peopleCovered: count.covered,
    rate: count.households ? count.visited / count.households : null,
  };
}

/** A unit's name as the actor may see it: an organisation's name is not personal data, a resident's is. */
function unitName(actor: Actor, unit: VisitUnit, name: string): string {
  return unit === 'organisation' || showsNames(actor) || name === '' ? name : maskName(name);
}

/** A unit to visit. */
export function presentHousehold(actor: Actor, unit: VisitUnit, row: HouseholdRow): CampaignHousehold {
  return {
    key: `${row.unit_id}:${row.household_no}`,
    unitId: row.unit_id,
    householdNo: row.household_no,
    gridCode: row.region_code,
    gridName: row.grid_name ?? row.region_code,
    address: row.address,
    lon: row.lon,
    lat: row.lat,
    headName: unitName(actor, unit, row.head_name),
    residents: row.residents,
    visits: row.visits ?? 0,
    lastVisitAt: row.last_visited_at?.toISOString() ?? null,
  };
}

/** Answers as the actor may see them: ID numbers always masked, phones as the registry shows them to the role. */
export function maskAnswers(actor: Actor, definition: FormDefinition, answers: Answers): Answers {
  const phones = showsPhones(actor);
  const masked: Answers = { ...answers };
  for (const q of definition.questions) {
    const value = masked[q.name];
    if (typeof value !== 'string') continue;
    if (q.type === 'idNumber') masked[q.name] = maskIdNumber(value);
    else if (q.type === 'phone' && !phones) masked[q.name] = maskPhone(value);
  }
  return masked;
}

export function presentVisits(
  actor: Actor,
  unit: VisitUnit,
  definition: FormDefinition,
  rows: readonly VisitListRow[],
  cases: readonly VisitCaseRow[],
): HouseholdVisit[] {
  return rows.map((row) => ({
    id: row.id,
    campaignId: row.campaign_id,
    household: `${row.unit_id}:${row.household_no}`,
    gridCode: row.region_code,
    address: row.address,
    unitName: unitName(actor, unit, row.unit_name),
    visitorName: row.visitor_name,
    visitedAt: row.visited_at.toISOString(),
    answers: maskAnswers(actor, definition, row.answers as Answers),
    cases: cases
      .filter((c) => c.visit_id === row.id)
      .map((c) => ({
        question: c.question,
        choice: c.choice,
        caseId: c.case_id,
        caseNumber: c.case_number,
        state: c.state,
      })),
    registryChanges: row.registry_changes,
    synthetic: row.synthetic,
  }));
}
