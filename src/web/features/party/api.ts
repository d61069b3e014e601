import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  PartyFigureGroup,
  PartyFigures,
  PartyMember,
  PartyOutcome,
  PartyPost,
  partyReportSchema,
} from '../../../shared/party.ts';
import type { LayerGridDetail, LayerGridKind, LayerGridList } from '../../../shared/territory.ts';
import { api } from '../../api/client.ts';

export type PartyReport = z.infer<typeof partyReportSchema>;

/** What a drill-down lists: the records behind one figure. */
export interface PartyDrill {
  branchId?: number;
  postId?: number;
  gridCode?: string;
  outcome?: PartyOutcome;
  title: string;
}

export function usePartyFigures(by: PartyFigureGroup) {
  return useQuery({
    queryKey: ['party', 'figures', by],
    queryFn: ({ signal }) => api<PartyFigures>('/party/figures', { query: { by }, signal }),
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

type Filter = Omit<PartyDrill, 'title' | 'outcome'> & { q?: string };

export function usePartyMembers(filter: Filter, page: { limit: number; offset: number }) {
  return useQuery({
    queryKey: ['party', 'members', filter, page],
    queryFn: ({ signal }) =>
      api<{ total: number; items: PartyMember[] }>('/party/members', {
        query: { ...filter, ...page },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

export function usePartyPosts(filter: Filter) {
  return useQuery({
    queryKey: ['party', 'posts', filter],
    queryFn: ({ signal }) => api<{ items: PartyPost[] }>('/party/posts', { query: filter, signal }),
    placeholderData: keepPreviousData,
  });
}

export function usePartyReports(drill: PartyDrill | null, page: { limit: number; offset: number }) {
  const { title: _title, ...filter } = drill ?? { title: '' };
  return useQuery({
    queryKey: ['party', 'reports', filter, page],
    queryFn: ({ signal }) =>
      api<{ total: number; items: PartyReport[] }>('/party/reports', {
        query: { ...filter, ...page },
        signal,
      }),
    enabled: drill !== null,
    placeholderData: keepPreviousData,
  });
}

export function revealMember(id: number, field: 'idNumber' | 'phone') {
  return api<{ field: string; value: string | null }>(`/party/members/${id}/reveal`, {
    method: 'POST',
    body: { field },
  });
}

export function useLayerGrids(kind: LayerGridKind, level?: number) {
  return useQuery({
    queryKey: ['grid-layers', kind, level ?? 0],
    queryFn: ({ signal }) => api<LayerGridList>(`/grid-layers/${kind}`, { query: { level }, signal }),
    staleTime: 60_000,
  });
}

export function useLayerGrid(code: string | null) {
  return useQuery({
    queryKey: ['layer-grid', code],
    queryFn: ({ signal }) =>
      api<LayerGridDetail>(`/layer-grids/${encodeURIComponent(code ?? '')}`, { signal }),
    enabled: Boolean(code),
    staleTime: 30_000,
  });
}
