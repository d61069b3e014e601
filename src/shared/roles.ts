/** Roles of gridgov users, in the order the admin UI lists them. */
export const ROLES = [
  'administrator',
  'leader',
  'dispatcher',
  'inspector',
  'departmentHandler',
  'gridWorker',
  // Volunteer service (志愿服务): a member unit's contact and a volunteer with an account. Neither holds a region:
  // their data is their unit's or their own (scope.ts).
  'unitContact',
  'volunteer',
  // A party member (党员) reporting through the field view in their post (设岗定责); scope: their village.
  'partyMember',
  // 人民调解员: mediates the disputes of their village or, scoped to the town, of every village.
  'mediator',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  administrator: { zh: '管理员', en: 'Administrator' },
  leader: { zh: '领导', en: 'Leader' },
  dispatcher: { zh: '派遣员', en: 'Dispatcher' },
  inspector: { zh: '督查员', en: 'Inspector' },
  departmentHandler: { zh: '部门处置人员', en: 'Department handler' },
  gridWorker: { zh: '网格员', en: 'Grid worker' },
  unitContact: { zh: '成员单位联络员', en: 'Member unit contact' },
  volunteer: { zh: '志愿者', en: 'Volunteer' },
  partyMember: { zh: '党员', en: 'Party member' },
  mediator: { zh: '调解员', en: 'Mediator' },
};

/** Duties a person can hold for a grid. */
export const GRID_DUTIES = ['gridWorker', 'gridLeader', 'partySecretary'] as const;
export type GridDuty = (typeof GRID_DUTIES)[number];

export const GRID_DUTY_LABELS: Record<GridDuty, { zh: string; en: string }> = {
  gridWorker: { zh: '网格员', en: 'Grid worker' },
  gridLeader: { zh: '网格长', en: 'Grid leader' },
  partySecretary: { zh: '党支部书记（党小组长）', en: 'Party-grid secretary' },
};
