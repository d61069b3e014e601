/** The case as people look at it: the photo gallery, the codes behind 详细信息, the field view's case page. */
const caseViewZhCN = {
  gallery: {
    title: '现场照片',
    before: '处置前（上报）',
    after: '处置后（处置与核查）',
    noBefore: '上报时未附照片',
    noAfter: '尚无处置照片',
    none: '本案卷暂无照片',
  },
  details: {
    toggle: '详细信息',
    caseId: '案卷 ID',
    categoryCode: '类别编码',
    gridCode: '网格编码',
    coordinates: '经纬度',
    version: '版本',
  },
  field: {
    back: '返回',
    facts: '案件信息',
    timeline: '处置过程',
    verify: '去核查',
    inConsole: '在电脑版中办理',
    noActions: '此案件当前无需您处理',
    offline: '离线：显示的是上次加载的信息，照片和处置过程需联网查看。',
    unavailable: '无法加载此案件，请联网后重试。',
    retry: '重试',
    sentLater: '离线上报已发送：案件 {{caseNumber}}',
  },
};

export default caseViewZhCN;
