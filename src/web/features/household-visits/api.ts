import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AnswerSummary,
  CampaignHouseholdPage,
  Coverage,
  CoverageByDay,
  CreateVisitCampaignInput,
  HouseholdListQuery,
  HouseholdVisit,
  RecordHouseholdVisitInput,
  VisitCampaign,
} from '../../../shared/household-visits.ts';
import { api, apiUrl } from '../../api/client.ts';

const KEY = ['household-visits'] as const;

export function useVisitCampaigns() {
  return useQuery({
    queryKey: [...KEY, 'campaigns'],
    queryFn: ({ signal }) => api<{ items: VisitCampaign[] }>('/visit-campaigns', { signal }),
  });
}

/** Starts a campaign (administrators and leaders); the list and coverage refresh. */
export function useCreateVisitCampaign() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateVisitCampaignInput) =>
      api<VisitCampaign>('/visit-campaigns', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

/** Ends a campaign before its end date (结束活动). */
export function useCloseVisitCampaign() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<VisitCampaign>(`/visit-campaigns/${id}/close`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useCoverage(campaignId: number | null, regionCode: string | null) {
  return useQuery({
    queryKey: [...KEY, campaignId, 'coverage', regionCode],
    queryFn: ({ signal }) =>
      api<Coverage>(`/visit-campaigns/${campaignId}/coverage`, {
        query: { regionCode: regionCode ?? undefined },
        signal,
      }),
    enabled: campaignId !== null,
    placeholderData: keepPreviousData,
  });
}

export function useCoverageByDay(campaignId: number | null, regionCode: string | null) {
  return useQuery({
    queryKey: [...KEY, campaignId, 'by-day', regionCode],
    queryFn: ({ signal }) =>
      api<CoverageByDay>(`/visit-campaigns/${campaignId}/coverage/by-day`, {
        query: { regionCode: regionCode ?? undefined },
        signal,
      }),
    enabled: campaignId !== null,
  });
}

export function useHouseholds(campaignId: number | null, query: Partial<HouseholdListQuery>) {
  return useQuery({
    queryKey: [...KEY, campaignId, 'households', query],
    queryFn: ({ signal }) =>
      api<CampaignHouseholdPage>(`/visit-campaigns/${campaignId}/households`, {
        query: { ...query, mine: query.mine === undefined ? undefined : String(query.mine) },
        signal,
      }),
    enabled: campaignId !== null,
    placeholderData: keepPreviousData,
  });
}

export function useAnswerSummary(campaignId: number | null) {
  return useQuery({
    queryKey: [...KEY, campaignId, 'summary'],
    queryFn: ({ signal }) => api<AnswerSummary>(`/visit-campaigns/${campaignId}/summary`, { signal }),
    enabled: campaignId !== null,
  });
}

export const answersXlsxUrl = (campaignId: number) => apiUrl(`/visit-campaigns/${campaignId}/answers.xlsx`);

/** The phone's write, by the client key chosen when the worker submitted (a replay answers the same visit). */
export const recordHouseholdVisit = (campaignId: number, input: RecordHouseholdVisitInput) =>
  api<HouseholdVisit>(`/visit-campaigns/${campaignId}/household-visits`, {
    method: 'POST',
    body: input,
    redirectOn401: false,
  });
