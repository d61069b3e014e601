import { AutoComplete, Input } from 'antd';
import { type Map as MapLibreMap, Marker } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapSearchHit } from '../../../shared/map-places.ts';
import { useMapSearch } from './api.ts';

/**
 * The search box of every map: addresses of the registry first, then villages and grids. A pick centres the
 * map on it and puts a pin there; `onPick` lets a form take the point instead (the report desk), and the form's
 * own marker is then the one pin, so a later click on the map moves it rather than leaving this one behind.
 */
export function MapSearch({
  map,
  onPick,
}: {
  map: MapLibreMap | null;
  onPick?: (hit: MapSearchHit) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [asked, setAsked] = useState('');
  const pin = useRef<Marker | null>(null);
  const found = useMapSearch(asked);

  // Ask once typing pauses, not at every key.
  useEffect(() => {
    const timer = setTimeout(() => setAsked(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  useEffect(
    () => () => {
      pin.current?.remove();
    },
    [],
  );

  const hits = found.data?.items ?? [];
  const pick = (index: number) => {
    const hit = hits[index];
    if (!hit || !map) return;
    pin.current?.remove();
    if (!onPick) {
      pin.current = new Marker({ color: '#cf1322' }).setLngLat([hit.lon, hit.lat]).addTo(map);
      pin.current.getElement().dataset.testid = 'map-search-pin';
    }
    if (hit.bbox) map.fitBounds(hit.bbox, { padding: 40, duration: 300, maxZoom: 17 });
    else map.easeTo({ center: [hit.lon, hit.lat], zoom: Math.max(map.getZoom(), 17), duration: 300 });
    setText(hit.label);
    onPick?.(hit);
  };

  return (
    <div className="gg-map-search" data-testid="map-search">
      <AutoComplete
        value={text}
        onChange={setText}
        onSelect={(value: string) => pick(Number(value))}
        options={hits.map((hit, index) => ({
          value: String(index),
          label: (
            <div data-testid="map-search-hit">
              <div>{hit.label}</div>
              <div className="gg-map-search-detail">
                {t(`map.search.kinds.${hit.kind}`)}
                {hit.detail ? ` · ${hit.detail}` : ''}
              </div>
            </div>
          ),
        }))}
        notFoundContent={asked && found.isSuccess ? t('map.search.none') : null}
        style={{ width: '100%' }}
      >
        <Input.Search
          placeholder={t('map.search.placeholder')}
          allowClear
          aria-label={t('map.search.placeholder')}
        />
      </AutoComplete>
    </div>
  );
}
