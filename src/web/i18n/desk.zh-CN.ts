/** 受理登记 (the report desk): a dispatcher logging a call or a visit. */
const deskZhCN = {
  title: '受理登记',
  source: '来源',
  place: '位置',
  placeHint: '在地图上点击问题所在位置，或在地图左上角搜索地址。',
  proposedGrid: '所属网格：{{grid}}（{{village}}）',
  chooseGrid: '请选择所属网格',
  photos: '照片',
  callerPrivate: '来电（来访）人信息仅用于回访，处置人员看到的是脱敏号码。',
  callerName: '来电（来访）人',
  callerPhone: '联系电话',
};

export default deskZhCN;
