/** The maps' shared pieces: the search box and the basemap settings (底图设置). */
const mapZhCN = {
  search: {
    placeholder: '搜索地址、楼栋、村居或网格',
    none: '没有找到',
    kinds: { address: '标准地址', building: '楼栋', village: '村居', grid: '网格' },
  },
  basemap: {
    title: '底图设置',
    intro:
      '所有地图共用的底图。保存后立即生效，无需重启；未设置时使用部署时的默认底图（GRIDGOV_BASEMAP_URL）。无底图时地图仍显示村居边界与名称、网格名称，放大到街道级时显示标准地址。',
    preset: '底图来源',
    presets: {
      none: '无底图',
      tiandituVector: '天地图 矢量',
      tiandituImagery: '天地图 影像',
      xyz: '自定义 XYZ 瓦片',
      wmts: '自定义 WMTS',
    },
    tiandituKey: '天地图密钥（tk）',
    tiandituKeyHint: '在天地图开放平台申请的浏览器端密钥；注记图层（cva / cia）随底图一起加载。',
    tiandituKeyRequired: '请填写天地图密钥',
    url: '瓦片地址',
    xyzHint: '含 {z} {x} {y} 的地址，如 https://tiles.example.com/{z}/{x}/{y}.png；主机名可含 {s} 或 {0-7}。',
    wmtsHint: 'GetTile 地址，含 {TileMatrix} {TileRow} {TileCol}（Web 墨卡托切片）。',
    urlRequired: '请填写瓦片地址',
    labelUrl: '注记图层地址（可选）',
    attribution: '版权说明',
    useDefault: '恢复默认底图',
    saved: '底图已保存，所有地图立即使用新底图',
    effective: '当前底图',
    default: '默认底图',
    none: '无',
  },
};

export default mapZhCN;
