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
 * intranet may not reach. Which set shows follows the zoom (a class on the map's container; styles.css), and
 * a name that would overlap one already placed is hidden until the view leaves room for it (a symbol layer's
 * collision test, done on the labels' boxes once the view settles).
 */
export function createLabelLayer(map: MapLibreMap) {
  const sets = new Map<MapLabel['kind'], Marker[]>();
  const container = map.getContainer();
  const shown = () => (map.getZoom() >= GRID_LABEL_ZOOM ? 'grid' : 'village');
  const declutter = () => {
    const elements = (sets.get(shown()) ?? []).map((marker) => marker.getElement());
    // Measure every box first (one layout), then hide: hidden names keep their box (visibility).
    const frame = container.getBoundingClientRect();
    const boxes = elements.map((element) => element.getBoundingClientRect());
    const placed: DOMRect[] = [];
    elements.forEach((element, index) => {
      const box = boxes[index] as DOMRect;
      const onScreen =
        box.right > frame.left && box.left < frame.right && box.bottom > frame.top && box.top < frame.bottom;
      const overlaps = placed.some(
        (other) =>
          box.left < other.right + 4 &&
          box.right > other.left - 4 &&
          box.top < other.bottom + 2 &&
          box.bottom > other.top - 2,
      );
      element.classList.toggle('gg-map-label-hidden', onScreen && overlaps);
      if (onScreen && !overlaps) placed.push(box);
    });
  };
  const follow = () => {
    container.classList.toggle('gg-map-near', shown() === 'grid');
    declutter();
  };
  map.on('zoomend', follow);
  map.on('moveend', declutter);
  map.on('resize', declutter);
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
      declutter();
    },
  };
}
