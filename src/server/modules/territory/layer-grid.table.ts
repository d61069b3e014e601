import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { GridDuty } from '../../../shared/roles.ts';
import type { AreaGeometry, LayerGridKind } from '../../../shared/territory.ts';

/** A grid of a layer other than the comprehensive one (party, special): its own tree over the villages. */
export interface LayerGridTable {
  code: string;
  kind: LayerGridKind;
  name: string;
  grid_level: number;
  parent_code: string | null;
  /** The lowest region holding the grid whole (its village, or the town): what data scopes match. */
  region_code: string;
  boundary: ColumnType<AreaGeometry | null, string | null, string | null>;
  synthetic: Generated<boolean>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type LayerGridRow = Selectable<LayerGridTable>;
export type NewLayerGridRow = Insertable<LayerGridTable>;

export interface LayerGridPersonTable {
  grid_code: string;
  user_id: number;
  duty: GridDuty;
}

export interface LayerGridTables {
  layer_grids: LayerGridTable;
  layer_grid_people: LayerGridPersonTable;
}
