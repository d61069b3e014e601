import 'maplibre-gl/dist/maplibre-gl.css';
import { Alert } from 'antd';
import {
  AttributionControl,
  type GeoJSONSource,
  Map as MapLibreMap,
  NavigationControl,
  Popup,
  type StyleSpecification,
  setWorkerUrl,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeadlineTone, MapPoint } from '../../../shared/dashboard.ts';
import { useConfig } from '../../api/session.ts';
import { useCaseLabels } from '../cases/labels.tsx';
import type { GridFeatureCollection } from '../territory/api.ts';
import { boundsOf } from '../territory/GridMap.tsx';

setWorkerUrl(workerUrl);

export const TONE_COLORS: Record<DeadlineTone, string> = {
  normal: '#52c41a',
  dueSoon: '#faad14',
  overdue: '#f5222d',
  suspended: '#8c8c8c',
};

function buildStyle(
  basemap: { url: string | null; attribution: string | null },
  dark: boolean,
): StyleSpecification {
  const empty = { type: 'FeatureCollection' as const, features: [] };
  const style: StyleSpecification = {
    version: 8,
    sources: { grids: { type: 'geojson', data: empty }, cases: { type: 'geojson', data: empty } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': dark ? '#0d1b33' : '#eef2f6' } },
    ],
  };
  if (basemap.url) {
    style.sources.basemap = {
      type: 'raster',
      tiles: [basemap.url],
      tileSize: 256,
      ...(basemap.attribution ? { attribution: basemap.attribution } : {}),
    };
    style.layers.push({
      id: 'basemap',
      type: 'raster',
      source: 'basemap',
      paint: dark ? { 'raster-brightness-max': 0.5 } : {},
    });
  }
  style.layers.push(
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
  );
  return style;
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
  const config = useConfig();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState(false);
  const basemapUrl = config.data?.basemapUrl ?? null;
  const basemapAttribution = config.data?.basemapAttribution ?? null;
  const labelRef = useRef(labels);
  labelRef.current = labels;

  useEffect(() => {
    if (!container.current) return;
    let map: MapLibreMap;
    try {
      map = new MapLibreMap({
        container: container.current,
        style: buildStyle({ url: basemapUrl, attribution: basemapAttribution }, dark),
        center: [113.03, 22.8],
        zoom: 11,
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
      });
    } catch {
      setFailed(true);
      return;
    }
    mapRef.current = map;
    map.addControl(new AttributionControl({ compact: true }), 'bottom-right');
    map.addControl(new NavigationControl({ showCompass: false }), 'top-left');
    map.on('load', () => setLoaded(true));
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
    return () => {
      map.remove();
      mapRef.current = null;
      setLoaded(false);
    };
  }, [basemapUrl, basemapAttribution, dark, t]);

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
    const map = mapRef.current;
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
  }, [caseData, grids, points, loaded]);

  if (failed) return <Alert type="error" showIcon title={t('territory.mapUnavailable')} />;
  return (
    <div
      style={{ height, position: 'relative', borderRadius: 8, overflow: 'hidden' }}
      data-testid="dashboard-map"
      data-points={points.length}
      data-loaded={loaded}
    >
      <div ref={container} style={{ width: '100%', height: '100%' }} />
    </div>
  );
}
