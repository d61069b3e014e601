import type workZhCN from './work.zh-CN.ts';

/** English texts of my work (工作台). */
const workEnUS: typeof workZhCN = {
  title: 'My work',
  today: 'Today {{date}}',
  waiting: 'Waiting for you',
  waitingHint: 'The bell shows this number',
  none: 'Your role has no case work waiting',
  open: 'Open',
  more: 'over {{count}}',
  queues: {
    toRegister: 'Reports to register',
    toDispatch: 'To dispatch (returned ones too)',
    extensions: 'Extension requests to decide',
    overdue: 'Overdue (red)',
    reportedToday: 'Reported today',
    newTasks: 'New tasks (to accept)',
    inProgress: 'In progress',
    rework: 'Rework',
    dueSoon: 'Due soon (yellow)',
    suspended: 'Suspended',
    toVerify: 'To verify',
    myReports: 'My open reports',
    supervised: 'Supervised',
  },
  inbox: {
    toWork: '{{count}} waiting: open my work',
    markAll: 'Mark all read',
    done: 'Done',
  },
};

export default workEnUS;
