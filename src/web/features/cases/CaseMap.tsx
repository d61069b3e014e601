import { useMemo } from 'react';
import { useGridGeoJson } from '../territory/api.ts';
import { GridMap } from '../territory/GridMap.tsx';

/** Where the case is: its grid's boundary and, when reported with a point, a marker on it. */
export function CaseMap({
  regionCode,
  lon,
  lat,
}: {
  regionCode: string;
  lon: number | null;
  lat: number | null;
}) {
  // One tuple per point, not per render: the map re-centres whenever it gets a new one.
  const point = useMemo<[number, number] | null>(
    () => (lon !== null && lat !== null ? [lon, lat] : null),
    [lon, lat],
  );
  const grid = useGridGeoJson(regionCode);
  return (
    <div className="gg-map-wrap gg-case-map" data-testid="case-map">
      <GridMap data={grid.data} selectedCode={regionCode} point={point} interactive={false} />
    </div>
  );
}
