import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CheckpointDetail,
  CheckpointInput,
  CheckpointList,
  CheckpointPatch,
  CountQuery,
  DailyCountList,
  EntryListQuery,
  EntryPage,
  RosterInput,
  StaffList,
} from '../../../shared/checkpoints.ts';
import { api, apiUrl } from '../../api/client.ts';

const KEY = ['checkpoints'] as const;

export function useCheckpoints(query: { regionCode?: string; status?: string } = {}) {
  return useQuery({
    queryKey: [...KEY, 'list', query],
    queryFn: ({ signal }) => api<CheckpointList>('/checkpoints', { query, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCheckpoint(id: number | null) {
  return useQuery({
    queryKey: [...KEY, id],
    queryFn: ({ signal }) => api<CheckpointDetail>(`/checkpoints/${id}`, { signal }),
    enabled: id !== null,
  });
}

export function useCheckpointStaff(id: number | null) {
  return useQuery({
    queryKey: [...KEY, id, 'staff'],
    queryFn: ({ signal }) => api<StaffList>(`/checkpoints/${id}/staff`, { signal }),
    enabled: id !== null,
    staleTime: 60_000,
  });
}

export function useSaveCheckpoint() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: number | null; body: CheckpointInput | CheckpointPatch }) =>
      input.id === null
        ? api<CheckpointDetail>('/checkpoints', { method: 'POST', body: input.body })
        : api<CheckpointDetail>(`/checkpoints/${input.id}`, { method: 'PATCH', body: input.body }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useSaveRoster(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: RosterInput) =>
      api<CheckpointDetail>(`/checkpoints/${id}/roster`, { method: 'PUT', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

type Query = Record<string, string | number | undefined>;

export function useEntries(query: Partial<EntryListQuery>) {
  return useQuery({
    queryKey: [...KEY, 'entries', query],
    queryFn: ({ signal }) => api<EntryPage>('/checkpoint-entries', { query: query as Query, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useDailyCounts(query: Partial<CountQuery>) {
  return useQuery({
    queryKey: [...KEY, 'counts', query],
    queryFn: ({ signal }) =>
      api<DailyCountList>('/checkpoints/daily-counts', { query: query as Query, signal }),
    placeholderData: keepPreviousData,
  });
}

export const revealEntry = (id: number) =>
  api<{ field: 'idNumber'; value: string | null }>(`/checkpoint-entries/${id}/reveal`, { method: 'POST' });

export const countsExportUrl = (query: Partial<CountQuery>, format: 'xlsx' | 'csv') =>
  apiUrl('/checkpoints/daily-counts/export', { ...(query as Query), format });
export const entriesExportUrl = (query: Partial<EntryListQuery>, format: 'xlsx' | 'csv') => {
  const { page: _page, pageSize: _pageSize, ...rest } = query;
  return apiUrl('/checkpoint-entries/export', { ...(rest as Query), format });
};
