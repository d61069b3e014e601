import { Alert } from 'antd';
import type { GeoJSONSource } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { MapSearch } from '../../components/map/MapSearch.tsx';
import { labelsOf } from '../../components/map/mapLabels.ts';
import type { MapOverlay } from '../../components/map/mapStyle.ts';
import { useMapLibre } from '../../components/map/useMapLibre.ts';
import type { GridFeatureCollection } from '../territory/api.ts';
import { boundsOf } from '../territory/GridMap.tsx';

/** Lines to draw over the grids: [lon, lat] positions per track. */
export interface TrackLine {
  id: number;
  label: string;
  coordinates: [number, number][];
  /** Demo data: drawn thinner and paler, so a real patrol stands out among them. */
  synthetic?: boolean;
}

const PATROLLED = '#52c41a';
const NOT_PATROLLED = '#fa8c16';

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

/** Grids (green when patrolled today, orange when not) and patrol tracks. */
const OVERLAY: MapOverlay = {
  sources: { grids: { type: 'geojson', data: EMPTY }, tracks: { type: 'geojson', data: EMPTY } },
  layers: [
    {
      id: 'grids-fill',
      type: 'fill',
      source: 'grids',
      paint: {
        'fill-color': ['case', ['boolean', ['get', 'patrolled'], false], PATROLLED, NOT_PATROLLED],
        'fill-opacity': 0.28,
      },
    },
    { id: 'grids-line', type: 'line', source: 'grids', paint: { 'line-color': '#35577d', 'line-width': 1 } },
    {
      id: 'tracks-casing',
      type: 'line',
      source: 'tracks',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': '#ffffff',
        'line-width': ['case', ['boolean', ['get', 'synthetic'], false], 3, 7],
      },
    },
    {
      id: 'tracks-line',
      type: 'line',
      source: 'tracks',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': ['case', ['boolean', ['get', 'synthetic'], false], '#597ef7', '#cf1322'],
        'line-width': ['case', ['boolean', ['get', 'synthetic'], false], 1.5, 4],
      },
    },
  ],
};

export function PatrolMap({
  grids,
  patrolled,
  tracks,
  fitTracks = false,
  height = 460,
}: {
  grids: GridFeatureCollection | undefined;
  /** Codes of the grids to colour as patrolled. */
  patrolled: ReadonlySet<string> | null;
  tracks: readonly TrackLine[];
  /** Frame the tracks rather than all grids (one patrol's map). */
  fitTracks?: boolean;
  height?: number;
}) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const { map, loaded, failed, setGridLabels } = useMapLibre(container, {
    overlay: OVERLAY,
    scale: 'bottom-left',
  });

  const gridData = useMemo(
    () =>
      grids
        ? {
            type: 'FeatureCollection' as const,
            // Numeric ids only: grid codes are too long for maplibre's feature ids.
            features: grids.features.map((f, i) => ({
              ...f,
              id: i + 1,
              properties: { ...f.properties, patrolled: patrolled?.has(f.properties.code) ?? false },
            })),
          }
        : null,
    [grids, patrolled],
  );
  const trackData = useMemo(
    () => ({
      type: 'FeatureCollection' as const,
      features: tracks.map((track) => ({
        type: 'Feature' as const,
        id: track.id,
        geometry: { type: 'LineString' as const, coordinates: track.coordinates },
        properties: { label: track.label, synthetic: track.synthetic ?? false },
      })),
    }),
    [tracks],
  );

  useEffect(() => {
    if (!map || !loaded || !gridData) return;
    (map.getSource('grids') as GeoJSONSource | undefined)?.setData(gridData);
    const bounds = boundsOf(gridData as GridFeatureCollection);
    if (bounds && !fitTracks) map.fitBounds(bounds, { padding: 24, animate: false, maxZoom: 16 });
  }, [map, gridData, loaded, fitTracks]);

  // The grids' names from street zoom on, as on the territory map.
  useEffect(() => {
    setGridLabels(grids ? labelsOf('grid', grids.features) : []);
  }, [grids, setGridLabels]);

  useEffect(() => {
    if (!map || !loaded) return;
    (map.getSource('tracks') as GeoJSONSource | undefined)?.setData(trackData);
    if (fitTracks && tracks.length > 0) {
      const all = tracks.flatMap((track) => track.coordinates);
      const lons = all.map((p) => p[0]);
      const lats = all.map((p) => p[1]);
      map.fitBounds([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], {
        padding: 60,
        animate: false,
        maxZoom: 17,
      });
    }
  }, [map, trackData, tracks, loaded, fitTracks]);

  if (failed) return <Alert type="error" showIcon title={t('territory.mapUnavailable')} />;
  return (
    <div
      className="gg-patrol-map"
      style={{ height, position: 'relative', borderRadius: 8, overflow: 'hidden' }}
      data-testid="patrol-map"
      data-track-count={tracks.length}
      data-loaded={loaded}
    >
      <div ref={container} style={{ width: '100%', height: '100%' }} />
      <MapSearch map={map} />
    </div>
  );
}
