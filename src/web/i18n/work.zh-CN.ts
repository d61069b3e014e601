/** 工作台 (my work): what waits for each role. */
const workZhCN = {
  title: '我的工作台',
  today: '今天 {{date}}',
  waiting: '待办合计',
  waitingHint: '铃铛上的数字即待办合计',
  none: '当前角色没有案件待办',
  open: '查看',
  more: '{{count}} 以上',
  queues: {
    toRegister: '待立案的上报',
    toDispatch: '待派遣（含被退回）',
    extensions: '待审批的延期申请',
    overdue: '已超期（红灯）',
    reportedToday: '今日上报',
    newTasks: '新任务（待签收）',
    inProgress: '处置中',
    rework: '返工',
    dueSoon: '即将超期（黄灯）',
    suspended: '已挂账',
    toVerify: '待核查',
    myReports: '我上报的（未结案）',
    supervised: '督办中',
  },
  inbox: {
    toWork: '待办 {{count}} 件，去工作台',
    markAll: '全部已读',
    done: '已处理',
  },
};

export default workZhCN;
