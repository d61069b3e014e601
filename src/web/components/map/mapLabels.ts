import { type Map as MapLibreMap, Marker } from 'maplibre-gl';
import { boxOfGeometry } from '../../../shared/map-places.ts';
import type { AreaGeometry } from '../../../shared/territory.ts';

/** A name drawn on the map: villages when the town is in view, grids from street level. */
export interface MapLabel {
  kind: 'village' | 'grid';
  text: string;
  lon: number;
  lat: number;
}

/** The zoom from which grid names show instead of village names. */
const GRID_LABEL_ZOOM = 14;

/** A label at the middle of each named area's extent. */
export function labelsOf(
  kind: MapLabel['kind'],
  features: readonly { geometry: AreaGeometry | null; properties: { name?: string | null } }[],
): MapLabel[] {
  return features.flatMap((feature) => {
    const box = boxOfGeometry(feature.geometry);
    const text = feature.properties.name;
    return box && text ? [{ kind, text, lon: (box[0] + box[2]) / 2, lat: (box[1] + box[3]) / 2 }] : [];
  });
}

/**
 * Names as HTML markers: symbol layers would need glyphs from a font server on the internet, which a town's
 * intranet may not reach. Which set shows follows the zoom (a class on the map's container; styles.css).
 */
export function createLabelLayer(map: MapLibreMap) {
  const sets = new Map<MapLabel['kind'], Marker[]>();
  const container = map.getContainer();
  const follow = () => container.classList.toggle('gg-map-near', map.getZoom() >= GRID_LABEL_ZOOM);
  map.on('zoomend', follow);
  follow();
  return {
    set(kind: MapLabel['kind'], labels: readonly MapLabel[]) {
      for (const marker of sets.get(kind) ?? []) marker.remove();
      sets.set(
        kind,
        labels.map((label) => {
          const element = document.createElement('div');
          element.className = `gg-map-label gg-map-label-${label.kind}`;
          element.textContent = label.text;
          return new Marker({ element }).setLngLat([label.lon, label.lat]).addTo(map);
        }),
      );
    },
  };
}
