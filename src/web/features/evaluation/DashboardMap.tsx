import { Alert } from 'antd';
import { type GeoJSONSource, Popup } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeadlineTone, MapPoint } from '../../../shared/dashboard.ts';
import { MapSearch } from '../../components/map/MapSearch.tsx';
import { labelsOf } from '../../components/map/mapLabels.ts';
import type { MapOverlay } from '../../components/map/mapStyle.ts';
import { useMapLibre } from '../../components/map/useMapLibre.ts';
import { useCaseLabels } from '../cases/labels.tsx';
import type { GridFeatureCollection } from '../territory/api.ts';
import { boundsOf } from '../territory/GridMap.tsx';

export const TONE_COLORS: Record<DeadlineTone, string> = {
  normal: '#52c41a',
  dueSoon: '#faad14',
  overdue: '#f5222d',
  suspended: '#8c8c8c',
};

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

function overlayOf(dark: boolean): MapOverlay {
  return {
    sources: { grids: { type: 'geojson', data: EMPTY }, cases: { type: 'geojson', data: EMPTY } },
    layers: [
      {
        id: 'grids-line',
        type: 'line',
        source: 'grids',
        paint: { 'line-color': dark ? '#4f76b0' : '#35577d', 'line-width': 1 },
      },
      {
        id: 'cases',
        type: 'circle',
        source: 'cases',
        paint: {
          'circle-color': ['get', 'color'],
          // A cluster grows with the cases in it.
          'circle-radius': ['interpolate', ['linear'], ['get', 'count'], 1, 6, 10, 10, 100, 18, 1000, 28],
          'circle-opacity': 0.85,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1,
        },
      },
    ],
  };
}

/** Open cases as dots (or clusters) coloured by their deadline, over the leaf grids of the scope. */
export function DashboardMap({
  grids,
  points,
  height,
  dark = false,
}: {
  grids: GridFeatureCollection | undefined;
  points: readonly MapPoint[];
  height: number | string;
  dark?: boolean;
}) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const container = useRef<HTMLDivElement>(null);
  const overlay = useMemo(() => overlayOf(dark), [dark]);
  const { map, loaded, failed, setGridLabels } = useMapLibre(container, { overlay, dark, scale: null });
  const labelRef = useRef(labels);
  labelRef.current = labels;

  useEffect(() => {
    if (!map) return;
    map.on('click', 'cases', (event) => {
      const p = event.features?.[0]?.properties as Record<string, string | number> | undefined;
      if (!p) return;
      const text =
        Number(p.count) > 1
          ? `${p.count} ${t('evaluation.dashboard.unitCases', { count: '' }).trim()}`
          : `${p.caseNumber} · ${p.categoryName} · ${labelRef.current.state(String(p.state))}`;
      new Popup({ closeButton: false }).setLngLat(event.lngLat).setText(text).addTo(map);
    });
    map.on('mouseenter', 'cases', () => {
      map.getCanvas().style.cursor = 'pointer';
    });
    map.on('mouseleave', 'cases', () => {
      map.getCanvas().style.cursor = '';
    });
  }, [map, t]);

  const caseData = useMemo(
    () => ({
      type: 'FeatureCollection' as const,
      features: points.map((p, i) => ({
        type: 'Feature' as const,
        id: i + 1,
        geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] },
        properties: { ...p, color: TONE_COLORS[p.tone] },
      })),
    }),
    [points],
  );

  useEffect(() => {
    if (!map || !loaded) return;
    (map.getSource('cases') as GeoJSONSource | undefined)?.setData(caseData);
    if (grids) {
      (map.getSource('grids') as GeoJSONSource | undefined)?.setData({
        type: 'FeatureCollection',
        features: grids.features.map((f, i) => ({ ...f, id: i + 1 })),
      } as never);
    }
    const bounds = grids ? boundsOf(grids) : null;
    if (bounds) map.fitBounds(bounds, { padding: 24, animate: false, maxZoom: 16 });
    else if (points.length) {
      const lons = points.map((p) => p.lon);
      const lats = points.map((p) => p.lat);
      map.fitBounds([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], {
        padding: 40,
        animate: false,
        maxZoom: 15,
      });
    }
  }, [map, caseData, grids, points, loaded]);

  // The grids' names from street zoom on, as on the territory map.
  useEffect(() => {
    setGridLabels(grids ? labelsOf('grid', grids.features) : []);
  }, [grids, setGridLabels]);

  if (failed) return <Alert type="error" showIcon title={t('territory.mapUnavailable')} />;
  return (
    <div
      style={{ height, position: 'relative', borderRadius: 8, overflow: 'hidden' }}
      data-testid="dashboard-map"
      data-points={points.length}
      data-loaded={loaded}
    >
      <div ref={container} style={{ width: '100%', height: '100%' }} />
      <MapSearch map={map} />
    </div>
  );
}
