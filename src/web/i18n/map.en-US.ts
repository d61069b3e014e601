import type mapZhCN from './map.zh-CN.ts';

const mapEnUS: typeof mapZhCN = {
  search: {
    placeholder: 'Search an address, building, village or grid',
    none: 'Nothing found',
    kinds: { address: 'Standard address', building: 'Building', village: 'Village', grid: 'Grid' },
  },
  basemap: {
    title: 'Basemap',
    intro:
      'The basemap under every map. A saved basemap takes effect at once, without a restart; with none set, the deployment default (GRIDGOV_BASEMAP_URL) holds. Without a basemap the maps still show village boundaries and names, grid names, and standard addresses at street zoom.',
    preset: 'Source',
    presets: {
      none: 'No basemap',
      tiandituVector: '天地图 vector',
      tiandituImagery: '天地图 imagery',
      xyz: 'Custom XYZ tiles',
      wmts: 'Custom WMTS',
    },
    tiandituKey: '天地图 key (tk)',
    tiandituKeyHint:
      'A browser key from the 天地图 developer platform; the label layer (cva / cia) loads with it.',
    tiandituKeyRequired: 'Give the 天地图 key',
    url: 'Tile URL',
    xyzHint:
      'A URL with {z} {x} {y}, e.g. https://tiles.example.com/{z}/{x}/{y}.png; the host may hold {s} or {0-7}.',
    wmtsHint: 'A GetTile URL with {TileMatrix} {TileRow} {TileCol} (Web Mercator tiles).',
    urlRequired: 'Give the tile URL',
    labelUrl: 'Label layer URL (optional)',
    attribution: 'Attribution',
    useDefault: 'Back to the default basemap',
    saved: 'Basemap saved: every map uses it now',
    effective: 'Basemap now',
    default: 'Default basemap',
    none: 'None',
  },
};

export default mapEnUS;
