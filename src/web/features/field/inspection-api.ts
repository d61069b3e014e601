import type { MyTarget } from '../../../shared/campaigns.ts';
import type { ChecklistDetail } from '../../../shared/checklists.ts';
import type {
  MyReinspection,
  RecordVisitInput,
  ReinspectInput,
  VisitDetail,
} from '../../../shared/visits.ts';
import { api } from '../../api/client.ts';

/**
 * The inspection calls the field view makes. A 401 is left to the caller (the outbox keeps the item for the
 * next login; the lists fall back to the copy kept on the phone), not a redirect.
 */
export const fieldInspectionRequests = {
  myTargets: () => api<MyTarget[]>('/inspections/my-targets', { redirectOn401: false }),
  myReinspections: () => api<MyReinspection[]>('/inspections/my-reinspections', { redirectOn401: false }),
  template: (id: number) => api<ChecklistDetail>(`/checklists/${id}`, { redirectOn401: false }),
  recordVisit: (campaignId: number, input: RecordVisitInput) =>
    api<VisitDetail>(`/campaigns/${campaignId}/visits`, {
      method: 'POST',
      body: input,
      redirectOn401: false,
    }),
  reinspect: (visitId: number, itemKey: string, input: ReinspectInput) =>
    api<VisitDetail>(`/visits/${visitId}/items/${encodeURIComponent(itemKey)}/reinspect`, {
      method: 'POST',
      body: input,
      redirectOn401: false,
    }),
  getVisit: (visitId: number) => api<VisitDetail>(`/visits/${visitId}`, { redirectOn401: false }),
};
