import 'maplibre-gl/dist/maplibre-gl.css';
import { useQuery } from '@tanstack/react-query';
import {
  AttributionControl,
  type GeoJSONSource,
  Map as MapLibreMap,
  NavigationControl,
  ScaleControl,
  setWorkerUrl,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { PLACE_MIN_ZOOM, type PlacePoint } from '../../../shared/map-places.ts';
import { api } from '../../api/client.ts';
import { useConfig } from '../../api/session.ts';
import type { GridFeatureCollection } from '../../features/territory/api.ts';
import { fetchPlaces } from './api.ts';
import { createLabelLayer, labelsOf, type MapLabel } from './mapLabels.ts';
import { type BasemapConfig, buildMapStyle, type MapOverlay } from './mapStyle.ts';

// Bundling moves maplibre away from its worker file; tell it where the built worker is.
setWorkerUrl(workerUrl);

declare global {
  interface Window {
    /** The last map shown, for end-to-end tests (projecting coordinates to pixels) and debugging. */
    __gridgovMap?: MapLibreMap;
  }
}

export interface MapLibreOptions {
  /** The map's own sources and layers, drawn over the basemap and the villages. */
  overlay: MapOverlay;
  interactive?: boolean;
  dark?: boolean;
  /** Where the scale sits; none without it. */
  scale?: 'bottom-left' | 'bottom-right' | null;
  /**
   * The signed-in layers: village boundaries and names, the registry's addresses at street zoom. Off on the
   * public portal, whose visitors may not read them.
   */
  signedIn?: boolean;
}

export interface MapLibreHandle {
  map: MapLibreMap | null;
  loaded: boolean;
  failed: boolean;
  /** Grid names to draw (shown from street zoom on). */
  setGridLabels: (labels: readonly MapLabel[]) => void;
}

/**
 * The one MapLibre set-up every map of the console uses: the deployment's basemap (re-created when an
 * administrator changes it), the controls, the villages with their names, and the registry's addresses and
 * buildings loaded by the box on screen at street zoom.
 */
export function useMapLibre(
  container: RefObject<HTMLDivElement | null>,
  options: MapLibreOptions,
): MapLibreHandle {
  const { interactive = true, dark = false, scale = 'bottom-right', signedIn = true } = options;
  const config = useConfig().data;
  const basemap: BasemapConfig = {
    url: config?.basemapUrl ?? null,
    labelUrl: config?.basemapLabelUrl ?? null,
    attribution: config?.basemapAttribution ?? null,
  };
  const overlay = useRef(options.overlay);
  overlay.current = options.overlay;
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState(false);
  const labels = useRef<ReturnType<typeof createLabelLayer> | null>(null);
  const pendingGridLabels = useRef<readonly MapLabel[]>([]);
  const villages = useQuery({
    queryKey: ['grids', 'geojson', 'villages'],
    queryFn: ({ signal }) =>
      api<GridFeatureCollection>('/grids/geojson', {
        query: { level: 'village' },
        signal,
        redirectOn401: false,
      }),
    enabled: signedIn,
    staleTime: 60_000,
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: the basemap's parts are its identity
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    // Created once the page has painted: a WebGL context and the style take tens of milliseconds of the main
    // thread (more without a GPU), which a page change would otherwise wait for before showing anything.
    let created: MapLibreMap | null = null;
    let stopPlaces = () => {};
    const timer = setTimeout(() => {
      created = createMap(element);
      if (!created) return;
      const map = created;
      window.__gridgovMap = map;
      labels.current = createLabelLayer(map);
      labels.current.set('grid', pendingGridLabels.current);
      stopPlaces = signedIn ? followPlaces(map) : () => {};
      map.on('load', () => setLoaded(true));
      setMap(map);
    }, 0);
    return () => {
      clearTimeout(timer);
      stopPlaces();
      if (!created) return;
      if (window.__gridgovMap === created) window.__gridgovMap = undefined;
      created.remove();
      labels.current = null;
      setMap(null);
      setLoaded(false);
    };
  }, [basemap.url, basemap.labelUrl, basemap.attribution, dark, interactive, scale, signedIn]);

  /** A map in `element` with the controls, or null (with `failed` set) where the browser has no WebGL. */
  function createMap(element: HTMLDivElement): MapLibreMap | null {
    let created: MapLibreMap;
    try {
      created = new MapLibreMap({
        container: element,
        style: buildMapStyle({ basemap, overlay: overlay.current, dark }),
        center: [113.03, 22.8],
        zoom: 11,
        interactive,
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
      });
    } catch {
      setFailed(true);
      return null;
    }
    created.addControl(new AttributionControl({ compact: true }), 'bottom-right');
    if (interactive) created.addControl(new NavigationControl({ showCompass: false }), 'top-left');
    if (interactive && scale) created.addControl(new ScaleControl({ unit: 'metric' }), scale);
    // Names are HTML: on a dark map (the wall display) they take light colours (styles.css).
    created.getContainer().classList.toggle('gg-map-dark', dark);
    return created;
  }

  useEffect(() => {
    if (!map || !loaded || !villages.data) return;
    (map.getSource('villages') as GeoJSONSource | undefined)?.setData(villages.data);
    labels.current?.set('village', labelsOf('village', villages.data.features));
  }, [map, loaded, villages.data]);

  const setGridLabels = useCallback((next: readonly MapLabel[]) => {
    pendingGridLabels.current = next;
    labels.current?.set('grid', next);
  }, []);
  return { map, loaded, failed, setGridLabels };
}

/**
 * Keeps the places layer to the box on screen from street zoom on: one request per settled view, the previous
 * one cancelled; a tooltip names the place under the pointer.
 */
function followPlaces(map: MapLibreMap): () => void {
  let request: AbortController | null = null;
  const load = () => {
    request?.abort();
    const source = map.getSource('places') as GeoJSONSource | undefined;
    if (map.getZoom() < PLACE_MIN_ZOOM) return;
    const bounds = map.getBounds();
    request = new AbortController();
    fetchPlaces([bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()], request.signal)
      .then((places) => {
        source?.setData(placeCollection(places.items));
        map.getContainer().dataset.placeCount = String(places.items.length);
      })
      // No layer rather than an error on each pan: the map is still useful without it.
      .catch(() => {});
  };
  const tooltip = document.createElement('div');
  tooltip.className = 'gg-map-hover';
  tooltip.hidden = true;
  map.getContainer().appendChild(tooltip);
  map.on('moveend', load);
  map.on('load', load);
  map.on('mousemove', 'places-circle', (event) => {
    const label = event.features?.[0]?.properties?.label;
    if (typeof label !== 'string') return;
    tooltip.textContent = label;
    tooltip.style.left = `${event.point.x + 12}px`;
    tooltip.style.top = `${event.point.y + 12}px`;
    tooltip.hidden = false;
  });
  map.on('mouseleave', 'places-circle', () => {
    tooltip.hidden = true;
  });
  return () => {
    request?.abort();
    tooltip.remove();
  };
}

function placeCollection(points: readonly PlacePoint[]) {
  return {
    type: 'FeatureCollection' as const,
    features: points.map((point, index) => ({
      type: 'Feature' as const,
      id: index + 1,
      geometry: { type: 'Point' as const, coordinates: [point.lon, point.lat] },
      properties: { kind: point.kind, label: point.label },
    })),
  };
}
