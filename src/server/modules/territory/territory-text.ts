/** The territory module's words: the action its writes need, and the reasons its imports refuse a row. */
export const EDIT_TERRITORY = { zh: '维护行政区划和网格', en: 'maintain regions and grids' };
export const REGION_TEXT = {
  outside: { zh: '该位置不在任何网格内。', en: 'This point is not inside any grid.' },
  unknownCode: { zh: '代码 {code} 不存在', en: 'Code {code} does not exist' },
  noCode: { zh: '要素缺少 properties.code', en: 'The feature has no properties.code' },
  badGeometry: {
    zh: '几何类型必须是 Polygon 或 MultiPolygon',
    en: 'The geometry must be a Polygon or MultiPolygon',
  },
  outOfScope: { zh: '代码 {code} 不在您的数据范围内', en: 'Code {code} is outside your data scope' },
  notFeatureCollection: {
    zh: '文件必须是 GeoJSON FeatureCollection',
    en: 'The file must be a GeoJSON FeatureCollection',
  },
  parentMissing: {
    zh: '上级 {parent} 既不在文件中也不在数据库中',
    en: 'Parent {parent} is in neither the file nor the database',
  },
  parentLevel: {
    zh: '上级 {parent} 的层级是 {actual}，应为 {expected}',
    en: 'Parent {parent} is a {actual}; a {level} needs a {expected}',
  },
  levelChange: {
    zh: '代码 {code} 已存在且层级为 {existing}，不能改为 {level}',
    en: 'Code {code} exists as a {existing}; it cannot become a {level}',
  },
  parentChange: {
    zh: '代码 {code} 已存在且上级为 {existing}，不能改为 {parent}',
    en: 'Code {code} exists under {existing}; it cannot move to {parent}',
  },
  notAGridPerson: {
    zh: '用户 {id} 不存在或不在该网格所属范围内',
    en: 'User {id} does not exist or is outside the grid’s area',
  },
  notAGrid: { zh: '只有网格可以设置责任人：{code}', en: 'Only grids have responsible people: {code}' },
} as const;
