import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  MediationDetail,
  MediationFigures,
  MediationListQuery,
  MediationPage,
} from '../../../shared/mediation.ts';
import { api } from '../../api/client.ts';

const KEY = ['mediations'] as const;

export function useMediations(query: Partial<MediationListQuery>) {
  return useQuery({
    queryKey: [...KEY, 'list', query],
    queryFn: ({ signal }) => api<MediationPage>('/mediations', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useMediation(id: number | null) {
  return useQuery({
    queryKey: [...KEY, id],
    queryFn: ({ signal }) => api<MediationDetail>(`/mediations/${id}`, { signal }),
    enabled: id !== null,
  });
}

export function useMediationFigures() {
  return useQuery({
    queryKey: [...KEY, 'figures'],
    queryFn: ({ signal }) => api<MediationFigures>('/mediations/figures', { signal }),
    staleTime: 30_000,
  });
}

/** A write on one mediation (sessions, extensions, outcome, follow-up): refreshes it and the lists. */
export function useMediationAction(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body }: { path: string; body: object }) =>
      api<MediationDetail>(`/mediations/${id}/${path}`, { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useOpenMediation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: object) => api<MediationDetail>('/mediations', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function revealParty(id: number, partyId: number, field: 'idNumber' | 'phone') {
  return api<{ field: string; value: string | null }>(`/mediations/${id}/reveal`, {
    method: 'POST',
    body: { partyId, field },
  });
}
