import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Dashboard, DashboardSettings } from '../../../shared/dashboard.ts';
import type { SatisfactionIndicator, SatisfactionQuery } from '../../../shared/evaluation.ts';
import type {
  Drill,
  DrillQuery,
  InspectionVisits,
  PatrolGrids,
  Ranking,
  RankingQuery,
  SchemeComponent,
  SchemeInput,
  UnitFigureQuery,
} from '../../../shared/indicators.ts';
import { api } from '../../api/client.ts';

/** 满意度评价 of the reader's scope (GET /indicators/satisfaction); the previous answer stays while a new loads. */
export function useSatisfaction(query: SatisfactionQuery) {
  return useQuery({
    queryKey: ['indicators', 'satisfaction', query],
    queryFn: ({ signal }) =>
      api<SatisfactionIndicator>('/indicators/satisfaction', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** 排名 (GET /indicators/ranking). */
export function useRanking(query: RankingQuery) {
  return useQuery({
    queryKey: ['indicators', 'ranking', query],
    queryFn: ({ signal }) => api<Ranking>('/indicators/ranking', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** The cases behind one count (GET /indicators/cases); none asked while `query` is null. */
export type DrillRequest = Omit<DrillQuery, 'page' | 'pageSize'> & { page: number; pageSize: number };

export function useDrillCases(query: DrillRequest | null) {
  return useQuery({
    queryKey: ['indicators', 'cases', query],
    queryFn: ({ signal }) => api<Drill>('/indicators/cases', { query: { ...query }, signal }),
    enabled: query !== null,
    placeholderData: keepPreviousData,
  });
}

/** What a village's or grid's patrol coverage or inspection score rate is taken over; none while `query` is null. */
export function usePatrolGrids(query: UnitFigureQuery | null) {
  return useQuery({
    queryKey: ['indicators', 'patrol-grids', query],
    queryFn: ({ signal }) => api<PatrolGrids>('/indicators/patrol-grids', { query: { ...query }, signal }),
    enabled: query !== null,
  });
}

export function useInspectionVisits(query: UnitFigureQuery | null) {
  return useQuery({
    queryKey: ['indicators', 'inspection-visits', query],
    queryFn: ({ signal }) =>
      api<InspectionVisits>('/indicators/inspection-visits', { query: { ...query }, signal }),
    enabled: query !== null,
  });
}

export interface SchemeVersion {
  version: number;
  components: SchemeComponent[];
  createdBy: string;
  createdAt: string;
  note: string | null;
}

export function useSchemes() {
  return useQuery({
    queryKey: ['indicators', 'schemes'],
    queryFn: ({ signal }) => api<SchemeVersion[]>('/indicators/schemes', { signal }),
  });
}

export function useCreateScheme() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SchemeInput) => api<SchemeVersion>('/indicators/schemes', { method: 'POST', body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['indicators'] }),
  });
}

/** 数读 (GET /dashboard), refetched every `refreshMs` when given (the wall display). */
export function useDashboard(scope: string | undefined, refreshMs?: number) {
  return useQuery({
    queryKey: ['dashboard', scope ?? null],
    queryFn: ({ signal }) => api<Dashboard>('/dashboard', { query: { scope }, signal }),
    placeholderData: keepPreviousData,
    ...(refreshMs ? { refetchInterval: refreshMs, refetchIntervalInBackground: true } : {}),
  });
}

export function useSaveKeyFigures() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DashboardSettings) => api('/dashboard/settings', { method: 'PUT', body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['dashboard'] }),
  });
}
