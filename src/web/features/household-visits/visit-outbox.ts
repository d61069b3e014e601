import type { HouseholdVisit, RecordHouseholdVisitInput } from '../../../shared/household-visits.ts';
import { recordHouseholdVisit } from './api.ts';

/** What the field outbox keeps of a household visit besides its common fields; the item id is the clientKey. */
export interface HouseholdVisitItemFields {
  kind: 'householdVisit';
  campaignId: number;
  input: Omit<RecordHouseholdVisitInput, 'clientKey'>;
  /** What the list shows: the household's address. */
  label: string;
  /** The server's answer once sent: the visit and the cases its answers raised. */
  visit: { id: number; cases: { caseId: number; caseNumber: string }[] } | null;
}

export const householdVisitRequests = {
  recordHouseholdVisit: (campaignId: number, input: RecordHouseholdVisitInput): Promise<HouseholdVisit> =>
    recordHouseholdVisit(campaignId, input),
};

export const householdVisitReceipt = (visit: HouseholdVisit): HouseholdVisitItemFields['visit'] => ({
  id: visit.id,
  cases: visit.cases.map((c) => ({ caseId: c.caseId, caseNumber: c.caseNumber })),
});
