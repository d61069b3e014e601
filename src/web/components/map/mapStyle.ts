import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { expandTileTemplate } from '../../../shared/basemap.ts';
import { PLACE_MIN_ZOOM } from '../../../shared/map-places.ts';

/** The basemap as /config gives it: a base layer, an optional layer of names over it, the attribution. */
export interface BasemapConfig {
  url: string | null;
  labelUrl: string | null;
  attribution: string | null;
}

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

/** Sources and layers a map adds over the shared ones (its grids, cases, tracks). */
export interface MapOverlay {
  sources: Record<string, SourceSpecification>;
  layers: LayerSpecification[];
}

/**
 * The style every map starts from, needing nothing from the internet but the basemap's own tiles: a plain
 * background, the basemap (and its names), the villages' boundaries, then the map's own layers, then the
 * registry's addresses and buildings at street zoom. No symbol layers, so no glyph or sprite downloads: names
 * are drawn as HTML labels (mapLabels.ts).
 */
export function buildMapStyle(options: {
  basemap: BasemapConfig;
  overlay: MapOverlay;
  dark?: boolean;
}): StyleSpecification {
  const { basemap, overlay, dark = false } = options;
  const style: StyleSpecification = {
    version: 8,
    sources: { villages: { type: 'geojson', data: EMPTY }, places: { type: 'geojson', data: EMPTY } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': dark ? '#0d1b33' : '#eef2f6' } },
    ],
  };
  const raster = (id: string, url: string, attribution: string | null) => {
    style.sources[id] = {
      type: 'raster',
      tiles: expandTileTemplate(url),
      tileSize: 256,
      ...(attribution ? { attribution } : {}),
    };
    style.layers.push({
      id,
      type: 'raster',
      source: id,
      paint: dark ? { 'raster-brightness-max': 0.5 } : {},
    });
  };
  if (basemap.url) raster('basemap', basemap.url, basemap.attribution);
  if (basemap.url && basemap.labelUrl) raster('basemap-labels', basemap.labelUrl, null);
  Object.assign(style.sources, overlay.sources);
  style.layers.push(...overlay.layers);
  style.layers.push(
    {
      id: 'villages-line',
      type: 'line',
      source: 'villages',
      paint: { 'line-color': dark ? '#8fb3ff' : '#1d3a5f', 'line-width': 2.5, 'line-opacity': 0.9 },
    },
    {
      id: 'places-circle',
      type: 'circle',
      source: 'places',
      minzoom: PLACE_MIN_ZOOM,
      paint: {
        'circle-radius': 4,
        'circle-color': ['match', ['get', 'kind'], 'building', '#722ed1', '#13c2c2'],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1,
      },
    },
  );
  return style;
}
