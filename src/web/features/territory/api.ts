import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AreaGeometry,
  GridKind,
  LocateResult,
  RegionDetail,
  RegionTreeNode,
} from '../../../shared/territory.ts';
import { api } from '../../api/client.ts';

/** Properties of one grid in GET /grids/geojson. */
export interface GridProperties {
  code: string;
  name: string;
  level: string;
  gridLevel: number | null;
  parentCode: string | null;
  villageName: string | null;
  gridWorkers: string[];
}

export interface GridFeature {
  type: 'Feature';
  id?: string | number;
  geometry: AreaGeometry;
  properties: GridProperties;
}

export interface GridFeatureCollection {
  type: 'FeatureCollection';
  features: GridFeature[];
}

export const regionKey = (code: string) => ['region', code] as const;

export function fetchRegion(code: string, signal?: AbortSignal): Promise<RegionDetail> {
  return api<RegionDetail>(`/regions/${encodeURIComponent(code)}`, { signal });
}

/** The top of the region tree the user may see; the server answers one root or a list of roots. */
export function useRegionTree() {
  return useQuery({
    queryKey: ['regions', 'tree'],
    queryFn: async ({ signal }) => {
      const data = await api<RegionTreeNode | RegionTreeNode[]>('/regions/tree', {
        query: { depth: 2 },
        signal,
      });
      return Array.isArray(data) ? data : [data];
    },
    staleTime: 60_000,
  });
}

export function useRegion(code: string | null | undefined) {
  return useQuery({
    queryKey: regionKey(code ?? ''),
    queryFn: ({ signal }) => fetchRegion(code as string, signal),
    enabled: Boolean(code),
    staleTime: 30_000,
  });
}

/** The leaf grids below root of one layer: the comprehensive grids, or the party (or special) layer's. */
export function useGridGeoJson(root: string | null | undefined, kind: GridKind = 'comprehensive') {
  return useQuery({
    queryKey: ['grids', 'geojson', root ?? '', kind],
    queryFn: ({ signal }) =>
      api<GridFeatureCollection>('/grids/geojson', { query: { root, level: 'leaf', kind }, signal }),
    enabled: Boolean(root),
    staleTime: 60_000,
  });
}

export function useLocate() {
  return useMutation({
    mutationFn: (point: { lon: number; lat: number }) => api<LocateResult>('/locate', { query: point }),
  });
}

export function useSetGridPeople(code: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { version: number; people: { userId: number; duty: string }[] }) =>
      api<RegionDetail>(`/regions/${encodeURIComponent(code)}/people`, { method: 'PUT', body: input }),
    onSuccess: (detail) => {
      if (detail && typeof detail === 'object' && 'code' in detail)
        queryClient.setQueryData(regionKey(code), detail);
      void queryClient.invalidateQueries({ queryKey: regionKey(code) });
      void queryClient.invalidateQueries({ queryKey: ['grids'] });
    },
  });
}
