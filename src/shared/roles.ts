/** Roles of gridgov users, in the order the admin UI lists them. */
export const ROLES = [
  'administrator',
  'leader',
  'dispatcher',
  'inspector',
  'departmentHandler',
  'gridWorker',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  administrator: { zh: '管理员', en: 'Administrator' },
  leader: { zh: '领导', en: 'Leader' },
  dispatcher: { zh: '派遣员', en: 'Dispatcher' },
  inspector: { zh: '督查员', en: 'Inspector' },
  departmentHandler: { zh: '部门处置人员', en: 'Department handler' },
  gridWorker: { zh: '网格员', en: 'Grid worker' },
};

/** Duties a person can hold for a grid. */
export const GRID_DUTIES = ['gridWorker', 'gridLeader', 'partySecretary'] as const;
export type GridDuty = (typeof GRID_DUTIES)[number];

export const GRID_DUTY_LABELS: Record<GridDuty, { zh: string; en: string }> = {
  gridWorker: { zh: '网格员', en: 'Grid worker' },
  gridLeader: { zh: '网格长', en: 'Grid leader' },
  partySecretary: { zh: '党支部书记（党小组长）', en: 'Party-grid secretary' },
};
