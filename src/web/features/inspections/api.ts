import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CampaignDetail,
  CampaignListQuery,
  CampaignPage,
  CampaignResults,
  CampaignRound,
  createCampaignSchema,
  DrillResult,
  InspectorCandidate,
  ManualTargetInput,
  ReinspectionRoundInput,
  SampleInput,
  TargetSelection,
  TargetsAdded,
} from '../../../shared/campaigns.ts';
import type {
  ChecklistDetail,
  ChecklistImportResult,
  ChecklistListQuery,
  ChecklistSummary,
  CreateChecklistInput,
  UpdateChecklistInput,
} from '../../../shared/checklists.ts';
import type { Department } from '../../../shared/people.ts';
import type {
  accountabilityListSchema,
  CreateTaskBookInput,
  TaskBook,
  TaskBookImportQuery,
  taskBookPageSchema,
} from '../../../shared/task-books.ts';
import type { ReinspectInput, VisitDetail } from '../../../shared/visits.ts';
import { api, apiUrl, type Page } from '../../api/client.ts';

/*
 * Every call of the inspections screens (检查表, 专项行动, 结果, 检查记录, 任务书). Files go as links (the browser
 * saves them), everything else through react-query.
 */

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// ---------------------------------------------------------------------------------------------------------
// Checklists.

const CHECKLISTS = ['checklists'] as const;

export function useChecklists(query: Partial<ChecklistListQuery>) {
  return useQuery({
    queryKey: [...CHECKLISTS, 'list', query],
    queryFn: ({ signal }) => api<ChecklistSummary[]>('/checklists', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useChecklist(id: number | undefined) {
  return useQuery({
    queryKey: [...CHECKLISTS, id],
    queryFn: ({ signal }) => api<ChecklistDetail>(`/checklists/${id}`, { signal }),
    enabled: id !== undefined && Number.isInteger(id) && id > 0,
  });
}

export function useSaveChecklist() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (
      change: { id: null; body: CreateChecklistInput } | { id: number; body: UpdateChecklistInput },
    ) =>
      change.id === null
        ? api<ChecklistDetail>('/checklists', { method: 'POST', body: change.body })
        : api<ChecklistDetail>(`/checklists/${change.id}`, { method: 'PUT', body: change.body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: CHECKLISTS }),
  });
}

export function useCopyChecklist() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, code, name }: { id: number; code: string; name: string }) =>
      api<ChecklistDetail>(`/checklists/${id}/copy`, { method: 'POST', body: { code, name } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: CHECKLISTS }),
  });
}

export function useChecklistStatus() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, step, rowVersion }: { id: number; step: 'activate' | 'retire'; rowVersion: number }) =>
      api<ChecklistDetail>(`/checklists/${id}/${step}`, { method: 'POST', body: { rowVersion } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: CHECKLISTS }),
  });
}

export interface ChecklistUpload {
  file: File;
  code?: string | undefined;
  name?: string | undefined;
  dryRun: boolean;
}

/** Checks (dryRun) or imports an XLSX template; a wrong row rejects the file with IMPORT_REJECTED. */
export function useImportChecklist() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, dryRun, code, name }: ChecklistUpload) =>
      api<ChecklistImportResult>('/checklists/import', {
        method: 'POST',
        query: { fileName: file.name, dryRun, code, name },
        body: new Blob([file], { type: XLSX_TYPE }),
      }),
    onSuccess: (result) => {
      if (result.applied) void queryClient.invalidateQueries({ queryKey: CHECKLISTS });
    },
  });
}

export const checklistExportUrl = (id: number) => apiUrl(`/checklists/${id}/export`);

// ---------------------------------------------------------------------------------------------------------
// Campaigns.

const CAMPAIGNS = ['campaigns'] as const;
export type CreateCampaignInput = z.input<typeof createCampaignSchema>;

export function useCampaigns(query: Partial<CampaignListQuery>) {
  return useQuery({
    queryKey: [...CAMPAIGNS, 'list', query],
    queryFn: ({ signal }) => api<CampaignPage>('/campaigns', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCampaign(id: number) {
  return useQuery({
    queryKey: [...CAMPAIGNS, id],
    queryFn: ({ signal }) => api<CampaignDetail>(`/campaigns/${id}`, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

/** After any change of a campaign: its detail is the answer, and its rounds and results move with it. */
function useCampaignChanged() {
  const queryClient = useQueryClient();
  return (detail: CampaignDetail) => {
    queryClient.setQueryData([...CAMPAIGNS, detail.id], detail);
    void queryClient.invalidateQueries({ queryKey: CAMPAIGNS });
  };
}

export function useCreateCampaign() {
  const changed = useCampaignChanged();
  return useMutation({
    mutationFn: (body: CreateCampaignInput) => api<CampaignDetail>('/campaigns', { method: 'POST', body }),
    onSuccess: changed,
  });
}

export function useCampaignStep(id: number) {
  const changed = useCampaignChanged();
  return useMutation({
    mutationFn: ({ step, rowVersion }: { step: 'start' | 'finish' | 'publish'; rowVersion: number }) =>
      api<CampaignDetail>(`/campaigns/${id}/${step}`, { method: 'POST', body: { rowVersion } }),
    onSuccess: changed,
  });
}

export function useAddTargets(id: number) {
  const changed = useCampaignChanged();
  return useMutation({
    mutationFn: (selection: TargetSelection) =>
      api<TargetsAdded>(`/campaigns/${id}/targets`, { method: 'POST', body: selection }),
    onSuccess: (result) => changed(result.campaign),
  });
}

export function useAddManualTarget(id: number) {
  const changed = useCampaignChanged();
  return useMutation({
    mutationFn: (target: ManualTargetInput) =>
      api<TargetsAdded>(`/campaigns/${id}/targets/manual`, { method: 'POST', body: target }),
    onSuccess: (result) => changed(result.campaign),
  });
}

export function useRemoveTarget(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (targetId: number) => api<null>(`/campaigns/${id}/targets/${targetId}`, { method: 'DELETE' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: CAMPAIGNS }),
  });
}

export function useSample(id: number) {
  const changed = useCampaignChanged();
  return useMutation({
    mutationFn: (input: SampleInput) =>
      api<CampaignDetail>(`/campaigns/${id}/sample`, { method: 'POST', body: input }),
    onSuccess: changed,
  });
}

export function useRounds(id: number, enabled: boolean) {
  return useQuery({
    queryKey: [...CAMPAIGNS, id, 'rounds'],
    queryFn: ({ signal }) => api<CampaignRound[]>(`/campaigns/${id}/rounds`, { signal }),
    enabled,
  });
}

export function useResults(id: number, enabled: boolean) {
  return useQuery({
    queryKey: [...CAMPAIGNS, id, 'results'],
    queryFn: ({ signal }) => api<CampaignResults>(`/campaigns/${id}/results`, { signal }),
    enabled,
  });
}

/** The visits, cases or targets behind one figure: `drill` is the query string the results give it. */
export function useDrill(id: number, drill: string | null) {
  return useQuery({
    queryKey: [...CAMPAIGNS, id, 'drill', drill],
    queryFn: ({ signal }) =>
      api<DrillResult>(`/campaigns/${id}/results/drill`, {
        query: Object.fromEntries(new URLSearchParams(drill ?? '')),
        signal,
      }),
    enabled: drill !== null,
  });
}

/** Schedules a re-inspection round (回头看) of the targets that failed in a regular round. */
export function useScheduleReinspection(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ReinspectionRoundInput) =>
      api<CampaignRound[]>(`/campaigns/${id}/reinspection-round`, { method: 'POST', body }),
    onSuccess: (rounds) => {
      queryClient.setQueryData([...CAMPAIGNS, id, 'rounds'], rounds);
      // The campaign's rowVersion moved on.
      void queryClient.invalidateQueries({ queryKey: CAMPAIGNS });
    },
  });
}

export const resultsXlsxUrl = (id: number) => apiUrl(`/campaigns/${id}/results.xlsx`);
export const campaignReportUrl = (id: number, format: 'pdf' | 'docx') =>
  apiUrl(`/campaigns/${id}/report.${format}`);

// ---------------------------------------------------------------------------------------------------------
// Visits.

export function useVisit(id: number) {
  return useQuery({
    queryKey: ['visits', id],
    queryFn: ({ signal }) => api<VisitDetail>(`/visits/${id}`, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

/** The inspection opinion (检查意见书) of a visit. */
export const opinionUrl = (id: number, format: 'pdf' | 'docx') => apiUrl(`/visits/${id}/opinion.${format}`);

/** Re-inspects a failed item whose rectification case awaits verification: pass closes it, fail reworks it. */
export function useReinspect(visitId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ itemKey, body }: { itemKey: string; body: ReinspectInput }) =>
      api<VisitDetail>(`/visits/${visitId}/items/${encodeURIComponent(itemKey)}/reinspect`, {
        method: 'POST',
        body,
      }),
    onSuccess: (visit) => {
      queryClient.setQueryData(['visits', visitId], visit);
      void queryClient.invalidateQueries({ queryKey: CAMPAIGNS });
    },
  });
}

/** A photo the visit names (an answer's, its signature, a re-inspection's): readable by whoever sees the visit. */
export function visitEvidenceUrl(evidence: string, visitId: number, thumbnail = false): string {
  return apiUrl(`/evidence/${encodeURIComponent(evidence)}`, {
    visitId,
    variant: thumbnail ? 'thumbnail' : undefined,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Task books.

const TASK_BOOKS = ['taskBooks'] as const;
type TaskBookPage = z.infer<typeof taskBookPageSchema>;
type AccountabilityList = z.infer<typeof accountabilityListSchema>;

export function useTaskBooks(query: { page: number; pageSize: number; campaignId?: number | undefined }) {
  return useQuery({
    queryKey: [...TASK_BOOKS, 'list', query],
    queryFn: ({ signal }) => api<TaskBookPage>('/task-books', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useTaskBook(id: number) {
  return useQuery({
    queryKey: [...TASK_BOOKS, id],
    queryFn: ({ signal }) => api<TaskBook>(`/task-books/${id}`, { signal }),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function useCreateTaskBook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTaskBookInput) => api<TaskBook>('/task-books', { method: 'POST', body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: TASK_BOOKS }),
  });
}

export function useImportTaskBook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, query }: { file: File; query: TaskBookImportQuery }) =>
      api<TaskBook>('/task-books/import', {
        method: 'POST',
        query: { ...query, fileName: file.name },
        body: new Blob([file], { type: XLSX_TYPE }),
      }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: TASK_BOOKS }),
  });
}

export function useIssueTaskBook(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<TaskBook>(`/task-books/${id}/issue`, { method: 'POST' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: TASK_BOOKS }),
  });
}

/** The accountability list (问责清单) of one book, or across every book in scope. */
export function useAccountability(bookId: number | null) {
  return useQuery({
    queryKey: [...TASK_BOOKS, 'accountability', bookId],
    queryFn: ({ signal }) =>
      api<AccountabilityList>(
        bookId === null ? '/task-books/accountability' : `/task-books/${bookId}/accountability`,
        { signal },
      ),
  });
}

export const taskBookExportUrl = (id: number) => apiUrl(`/task-books/${id}/export`);
export const accountabilityExportUrl = (bookId: number | null) =>
  apiUrl(
    bookId === null ? '/task-books/accountability/export' : `/task-books/${bookId}/accountability/export`,
  );

// ---------------------------------------------------------------------------------------------------------
// What the forms choose from.

/** Who may be named an inspector of a campaign over the area: those whose scope meets it, within yours. */
export function useInspectorCandidates(regionCode: string | undefined) {
  return useQuery({
    queryKey: [...CAMPAIGNS, 'inspectorCandidates', regionCode],
    queryFn: ({ signal }) =>
      api<InspectorCandidate[]>('/campaigns/inspector-candidates', { query: { regionCode }, signal }),
    enabled: regionCode !== undefined,
    staleTime: 60_000,
  });
}

export function useDepartments() {
  return useQuery({
    queryKey: ['departments', 'all'],
    queryFn: ({ signal }) => api<Page<Department>>('/departments', { query: { pageSize: 200 }, signal }),
    staleTime: 60_000,
  });
}
