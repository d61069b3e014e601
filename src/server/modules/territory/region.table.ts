import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { GridDuty } from '../../../shared/roles.ts';
import type { AreaGeometry, RegionLevel } from '../../../shared/territory.ts';

export interface RegionTable {
  code: string;
  name: string;
  level: RegionLevel;
  grid_level: number | null;
  parent_code: string | null;
  /** The 6-digit county code of every region at or below a county: the distribution key at province scale. */
  county_code: string | null;
  boundary: ColumnType<AreaGeometry | null, string | null, string | null>;
  synthetic: Generated<boolean>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type RegionRow = Selectable<RegionTable>;
export type NewRegionRow = Insertable<RegionTable>;
export type RegionUpdate = Updateable<RegionTable>;

export interface GridPersonTable {
  grid_code: string;
  user_id: number;
  duty: GridDuty;
}
