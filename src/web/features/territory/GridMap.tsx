import { Alert } from 'antd';
import type { GeoJSONSource, LngLatBoundsLike, MapLayerMouseEvent } from 'maplibre-gl';
import { Marker } from 'maplibre-gl';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapSearchHit } from '../../../shared/map-places.ts';
import { boxOfGeometry } from '../../../shared/map-places.ts';
import { MapSearch } from '../../components/map/MapSearch.tsx';
import { labelsOf } from '../../components/map/mapLabels.ts';
import type { MapOverlay } from '../../components/map/mapStyle.ts';
import { useMapLibre } from '../../components/map/useMapLibre.ts';
import type { GridFeature, GridFeatureCollection } from './api.ts';

const SOURCE = 'grids';
const POINTS = 'points';
const PALETTE = ['#4e79a7', '#59a14f', '#9c755f', '#b07aa1', '#76b7b2', '#edc948', '#e15759', '#ff9da7'];
const EMPTY: GridFeatureCollection = { type: 'FeatureCollection', features: [] };

/** A record shown on the map as a dot (registry lists): its id is given back when it is clicked. */
export interface MapPoint {
  id: number;
  lon: number;
  lat: number;
  label: string;
}

function pointCollection(points: readonly MapPoint[]) {
  return {
    type: 'FeatureCollection' as const,
    features: points.map((point) => ({
      type: 'Feature' as const,
      id: point.id,
      geometry: { type: 'Point' as const, coordinates: [point.lon, point.lat] },
      properties: { id: point.id, label: point.label },
    })),
  };
}

/** The grids (filled by village, the selected one outlined) and the records shown as dots. */
const OVERLAY: MapOverlay = {
  sources: {
    [SOURCE]: { type: 'geojson', data: EMPTY },
    [POINTS]: { type: 'geojson', data: pointCollection([]) },
  },
  layers: [
    {
      id: 'grids-fill',
      type: 'fill',
      source: SOURCE,
      paint: {
        'fill-color': ['coalesce', ['get', 'fillColor'], PALETTE[0] as string],
        'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.5, 0.3],
      },
    },
    {
      id: 'grids-line',
      type: 'line',
      source: SOURCE,
      paint: { 'line-color': '#35577d', 'line-width': 1, 'line-opacity': 0.8 },
    },
    {
      id: 'grids-selected-fill',
      type: 'fill',
      source: SOURCE,
      filter: ['==', ['get', 'code'], ''],
      paint: { 'fill-color': '#fa8c16', 'fill-opacity': 0.55 },
    },
    {
      id: 'grids-selected-line',
      type: 'line',
      source: SOURCE,
      filter: ['==', ['get', 'code'], ''],
      paint: { 'line-color': '#d4380d', 'line-width': 3 },
    },
    {
      id: 'points-circle',
      type: 'circle',
      source: POINTS,
      paint: {
        'circle-radius': 6,
        'circle-color': '#1677ff',
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    },
    {
      id: 'points-selected',
      type: 'circle',
      source: POINTS,
      filter: ['==', ['get', 'id'], -1],
      paint: {
        'circle-radius': 9,
        'circle-color': '#fa541c',
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    },
  ],
};

export function boundsOf(collection: GridFeatureCollection): LngLatBoundsLike | null {
  const bounds: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const feature of collection.features) {
    const box = boxOfGeometry(feature.geometry);
    if (!box) continue;
    bounds[0] = Math.min(bounds[0], box[0]);
    bounds[1] = Math.min(bounds[1], box[1]);
    bounds[2] = Math.max(bounds[2], box[2]);
    bounds[3] = Math.max(bounds[3], box[3]);
  }
  return Number.isFinite(bounds[0]) ? bounds : null;
}

/**
 * Prepares grids for the map: colours them by village so neighbouring communities are told apart, and
 * numbers them. Grid codes (up to 21 digits) cannot be feature ids: maplibre turns numeric ids into
 * numbers, and numbers that large break its tile encoding.
 */
function forMap(collection: GridFeatureCollection): GridFeatureCollection {
  const villageOf = (feature: GridFeature) => feature.properties.villageName ?? '';
  // Within one village, colour by parent grid instead, so its level-2 grids stand apart.
  const oneVillage = new Set(collection.features.map(villageOf)).size <= 1;
  const groupOf = (feature: GridFeature) =>
    oneVillage ? (feature.properties.parentCode ?? '') : villageOf(feature);
  const colours = new Map<string, string>();
  return {
    type: 'FeatureCollection',
    features: collection.features.map((feature, index) => {
      const group = groupOf(feature);
      if (!colours.has(group)) colours.set(group, PALETTE[colours.size % PALETTE.length] as string);
      return {
        ...feature,
        id: index + 1,
        properties: { ...feature.properties, fillColor: colours.get(group) },
      };
    }),
  };
}

export interface GridMapProps {
  data: GridFeatureCollection | undefined;
  selectedCode?: string | null;
  onSelect?: (code: string | null) => void;
  /** A located point, [lon, lat], shown as a marker. */
  point?: [number, number] | null;
  /** Records shown as dots over the grids; a click on one calls `onPointSelect` with its id. */
  points?: readonly MapPoint[];
  selectedPointId?: number | null;
  onPointSelect?: (id: number) => void;
  /** Any click on the map, as WGS-84 [lon, lat]: placing a pin (the public report form). */
  onMapClick?: (point: [number, number]) => void;
  /** A pick in the map's search box (the report desk takes its point). */
  onSearchPick?: (hit: MapSearchHit) => void;
  interactive?: boolean;
  /** False on the public pages: no villages layer, no registry places, no search (they need a session). */
  signedIn?: boolean;
  className?: string;
}

export function GridMap({
  data,
  selectedCode = null,
  onSelect,
  point = null,
  points,
  selectedPointId = null,
  onPointSelect,
  onMapClick,
  onSearchPick,
  interactive = true,
  signedIn = true,
  className = 'gg-map',
}: GridMapProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const onPointSelectRef = useRef(onPointSelect);
  onPointSelectRef.current = onPointSelect;
  const onMapClickRef = useRef(onMapClick);
  onMapClickRef.current = onMapClick;
  const pointsRef = useRef(points);
  pointsRef.current = points;
  const [renderState, setRenderState] = useState<'loading' | 'ready'>('loading');
  const [hoverLabel, setHoverLabel] = useState<{ x: number; y: number; text: string } | null>(null);
  const coloured = useMemo(() => (data ? forMap(data) : undefined), [data]);
  const { map, loaded, failed, setGridLabels } = useMapLibre(container, {
    overlay: OVERLAY,
    interactive,
    signedIn,
  });

  useEffect(() => {
    if (!map) return;
    setRenderState('loading');
    let hovered: string | number | undefined;
    const setHover = (id: string | number | undefined) => {
      if (hovered !== undefined) map.setFeatureState({ source: SOURCE, id: hovered }, { hover: false });
      hovered = id;
      if (hovered !== undefined) map.setFeatureState({ source: SOURCE, id: hovered }, { hover: true });
    };
    map.on('idle', () => setRenderState('ready'));
    if (!interactive) return;
    // Grid names show on hover as HTML: text layers would need glyphs from the internet.
    map.on('mousemove', 'grids-fill', (event: MapLayerMouseEvent) => {
      map.getCanvas().style.cursor = 'pointer';
      const feature = event.features?.[0];
      setHover(feature?.id);
      const name = feature?.properties?.name;
      setHoverLabel(typeof name === 'string' ? { x: event.point.x, y: event.point.y, text: name } : null);
    });
    map.on('mouseleave', 'grids-fill', () => {
      map.getCanvas().style.cursor = '';
      setHover(undefined);
      setHoverLabel(null);
    });
    map.on('mousemove', 'points-circle', (event: MapLayerMouseEvent) => {
      const label = event.features?.[0]?.properties?.label;
      if (typeof label === 'string') setHoverLabel({ x: event.point.x, y: event.point.y, text: label });
    });
    map.on('click', (event) => {
      onMapClickRef.current?.([event.lngLat.lng, event.lngLat.lat]);
      const [dot] = map.queryRenderedFeatures(event.point, { layers: ['points-circle'] });
      const id = dot?.properties?.id;
      if (typeof id === 'number' && onPointSelectRef.current) {
        onPointSelectRef.current(id);
        return;
      }
      const [feature] = map.queryRenderedFeatures(event.point, { layers: ['grids-fill'] });
      const code = feature?.properties?.code;
      onSelectRef.current?.(typeof code === 'string' ? code : null);
    });
  }, [map, interactive]);

  useEffect(() => {
    if (!map || !loaded) return;
    setRenderState('loading');
    (map.getSource(SOURCE) as GeoJSONSource | undefined)?.setData(coloured ?? EMPTY);
    setGridLabels(coloured ? labelsOf('grid', coloured.features) : []);
    const bounds = coloured ? boundsOf(coloured) : null;
    // Records shown as points decide the view themselves (below).
    if (bounds && !pointsRef.current?.length) {
      // Leave room on the right for the grid panel that opens over the map.
      const width = map.getContainer().clientWidth;
      const right = interactive && width > 1000 ? 340 : 24;
      map.fitBounds(bounds, {
        padding: { top: 24, bottom: 24, left: 24, right },
        animate: false,
        maxZoom: 17,
      });
    }
  }, [map, coloured, loaded, interactive, setGridLabels]);

  useEffect(() => {
    if (!map || !loaded) return;
    const filter = ['==', ['get', 'code'], selectedCode ?? ''] as ['==', ['get', string], string];
    map.setFilter('grids-selected-fill', filter);
    map.setFilter('grids-selected-line', filter);
  }, [map, selectedCode, loaded]);

  useEffect(() => {
    if (!map || !loaded) return;
    (map.getSource(POINTS) as GeoJSONSource | undefined)?.setData(pointCollection(points ?? []));
    if (points?.length) {
      const bounds: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const { lon, lat } of points) {
        bounds[0] = Math.min(bounds[0], lon);
        bounds[1] = Math.min(bounds[1], lat);
        bounds[2] = Math.max(bounds[2], lon);
        bounds[3] = Math.max(bounds[3], lat);
      }
      map.fitBounds(bounds, { padding: 48, animate: false, maxZoom: 15 });
    }
  }, [map, points, loaded]);

  useEffect(() => {
    if (!map || !loaded) return;
    map.setFilter('points-selected', ['==', ['get', 'id'], selectedPointId ?? -1]);
  }, [map, selectedPointId, loaded]);

  useEffect(() => {
    if (!map || !loaded || !point) return;
    const marker = new Marker({ color: '#cf1322' }).setLngLat(point).addTo(map);
    // A move under way is the search flying to this point at street zoom: a second one would cut it short.
    if (!map.isMoving()) map.easeTo({ center: point, zoom: Math.max(map.getZoom(), 14), duration: 300 });
    return () => {
      marker.remove();
    };
  }, [map, point, loaded]);

  if (failed) return <Alert type="error" showIcon title={t('territory.mapUnavailable')} />;
  return (
    <div
      className={className}
      data-testid="grid-map"
      data-state={loaded ? renderState : 'loading'}
      data-feature-count={data?.features.length ?? 0}
      data-point-count={points?.length ?? 0}
    >
      <div ref={container} style={{ width: '100%', height: '100%' }} />
      {interactive && signedIn ? <MapSearch map={map} onPick={onSearchPick} /> : null}
      {hoverLabel ? (
        <div className="gg-map-hover" style={{ left: hoverLabel.x + 12, top: hoverLabel.y + 12 }}>
          {hoverLabel.text}
        </div>
      ) : null}
    </div>
  );
}
