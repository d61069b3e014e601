import type { ColumnType, Generated, Selectable } from 'kysely';

/** A civil date, YYYY-MM-DD (the driver keeps it as text). */
type CivilDate = ColumnType<string, string, string>;
/** [lon, lat, epoch seconds] per kept point. */
export type StoredTrack = [number, number, number][];

/** A patrol (巡查): one worker's walk from start to end; its figures are recomputed as points arrive. */
export interface PatrolTable {
  id: Generated<number>;
  client_key: string;
  user_id: number;
  region_code: string;
  county_code: string;
  started_at: Date;
  ended_at: Date | null;
  day: CivilDate;
  point_count: Generated<number>;
  distance_m: Generated<number>;
  duration_s: Generated<number>;
  track: ColumnType<StoredTrack, string | undefined, string>;
  synthetic: Generated<boolean>;
  created_at: Date;
  updated_at: Date;
}
export type PatrolRow = Selectable<PatrolTable>;

/** A point as the phone sent it; (patrol_id, seq) makes a re-sent point a no-op. */
export interface PatrolPointTable {
  patrol_id: number;
  seq: number;
  lon: number;
  lat: number;
  recorded_at: Date;
  accuracy_m: number | null;
}

/** One patrol's figures in one leaf grid. */
export interface PatrolGridTable {
  patrol_id: number;
  grid_code: string;
  day: CivilDate;
  coverage: number;
  distance_m: number;
  duration_s: number;
}

export interface PatrolTables {
  patrols: PatrolTable;
  patrol_points: PatrolPointTable;
  patrol_grids: PatrolGridTable;
}
