import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type {
  GridDay,
  GridDayQuery,
  PatrolDetail,
  PatrolListQuery,
  PatrolPage,
  PatrolPoint,
  TodayTracks,
  UnpatrolledList,
} from '../../../shared/patrols.ts';
import { api } from '../../api/client.ts';
import type { PatrolSender } from '../field/patrol-store.ts';

const PATROLS = ['patrols'] as const;

/** The phone's writes: start, points and end, by the key the phone chose. */
export const apiPatrolSender: PatrolSender = {
  start: (clientKey, startedAt) => api('/patrols', { method: 'POST', body: { clientKey, startedAt } }),
  points: (key, points: PatrolPoint[]) =>
    api(`/patrols/${encodeURIComponent(key)}/points`, { method: 'POST', body: { points } }),
  end: (key, endedAt) =>
    api(`/patrols/${encodeURIComponent(key)}/end`, { method: 'POST', body: { endedAt } }),
};

export function usePatrols(query: Partial<PatrolListQuery>, options: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: [...PATROLS, 'list', query],
    queryFn: ({ signal }) => api<PatrolPage>('/patrols', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
    ...options,
  });
}

export function usePatrol(id: number | null) {
  return useQuery({
    queryKey: [...PATROLS, id],
    queryFn: ({ signal }) => api<PatrolDetail>(`/patrols/${id}`, { signal }),
    enabled: id !== null,
  });
}

export function useGridDays(query: GridDayQuery) {
  return useQuery({
    queryKey: [...PATROLS, 'grid-days', query],
    queryFn: ({ signal }) =>
      api<{ items: GridDay[]; coverageMetres: number }>('/patrols/grid-days', {
        query: { ...query },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useUnpatrolled(region: string | undefined) {
  return useQuery({
    queryKey: [...PATROLS, 'unpatrolled', region],
    queryFn: ({ signal }) => api<UnpatrolledList>('/patrols/unpatrolled', { query: { region }, signal }),
    refetchInterval: 60_000,
  });
}

export function useTodayTracks(region: string | undefined) {
  return useQuery({
    queryKey: [...PATROLS, 'today-tracks', region],
    queryFn: ({ signal }) => api<TodayTracks>('/patrols/today-tracks', { query: { region }, signal }),
    refetchInterval: 60_000,
  });
}
