import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BasemapSetting, BasemapSettings } from '../../../shared/basemap.ts';
import type { LonLatBox, MapSearchHit, PlacePoints } from '../../../shared/map-places.ts';
import { api } from '../../api/client.ts';

/** The registry's addresses and buildings in the box on screen. */
export function fetchPlaces(box: LonLatBox, signal?: AbortSignal): Promise<PlacePoints> {
  return api<PlacePoints>('/map/places', {
    query: { bbox: box.map((n) => n.toFixed(6)).join(',') },
    signal,
    redirectOn401: false,
  });
}

export function useMapSearch(q: string) {
  return useQuery({
    queryKey: ['map', 'search', q],
    queryFn: ({ signal }) =>
      api<{ items: MapSearchHit[] }>('/map/search', { query: { q }, signal, redirectOn401: false }),
    enabled: q.trim().length > 0,
    staleTime: 30_000,
  });
}

export function useBasemapSettings() {
  return useQuery({
    queryKey: ['map', 'basemap'],
    queryFn: ({ signal }) => api<BasemapSettings>('/map/basemap', { signal }),
  });
}

/** Saves the basemap (null: back to the default); every map of this console redraws with it at once. */
export function useSaveBasemap() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (setting: BasemapSetting | null) =>
      setting
        ? api<BasemapSettings>('/map/basemap', { method: 'PUT', body: setting })
        : api<BasemapSettings>('/map/basemap', { method: 'DELETE' }),
    onSuccess: (data) => {
      queryClient.setQueryData(['map', 'basemap'], data);
      void queryClient.invalidateQueries({ queryKey: ['config'] });
    },
  });
}
