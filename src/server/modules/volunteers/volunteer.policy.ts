import type { LocalizedText } from '../../../shared/errors.ts';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../people/actor.ts';
import { narrowScope, regionScope, unscoped } from '../people/scope.ts';
import { unitsOfContact, type VolunteerReader } from './volunteer.repository.ts';

export const UNIT = { zh: '成员单位', en: 'Member unit' } satisfies LocalizedText;
export const VOLUNTEER = { zh: '志愿者', en: 'Volunteer' } satisfies LocalizedText;
export const REQUEST = { zh: '志愿服务需求', en: 'Volunteer request' } satisfies LocalizedText;
export const ASSIGNMENT = { zh: '志愿者派出记录', en: 'Volunteer assignment' } satisfies LocalizedText;

export const TEXT = {
  readUnits: { zh: '查看成员单位', en: 'read member units' },
  writeUnits: { zh: '登记成员单位', en: 'register member units' },
  writeVolunteers: { zh: '登记志愿者', en: 'register volunteers' },
  reveal: { zh: '查看志愿者个人信息', en: 'reveal a volunteer’s personal data' },
  readRequests: { zh: '查看志愿服务需求', en: 'read volunteer requests' },
  writeRequests: { zh: '发布志愿服务需求', en: 'ask for volunteers' },
  send: { zh: '派出志愿者', en: 'send volunteers' },
  sign: { zh: '志愿者签到签退', en: 'sign volunteers in and out' },
  myTasks: { zh: '查看我的志愿任务', en: 'read my volunteer tasks' },
  readFigures: { zh: '查看志愿服务统计', en: 'read volunteer figures' },
  future: { zh: '时间晚于当前时间', en: 'the time is in the future' },
  beforeSignIn: { zh: '签退时间早于签到时间', en: 'the sign-out is before the sign-in' },
  notSignedIn: { zh: '该志愿者尚未签到，不能签退', en: 'the volunteer has not signed in yet' },
  cancelled: { zh: '该需求已取消', en: 'the request was cancelled' },
  campaignElsewhere: {
    zh: '该走访活动不存在或不覆盖该社区',
    en: 'no such visit campaign covers this community',
  },
  checkpointElsewhere: { zh: '该卡点不存在或不在该社区', en: 'no such checkpoint in this community' },
  notOfUnit: { zh: '不是该单位在册的志愿者', en: 'not an active volunteer of the unit' },
  notContact: {
    zh: '应为您数据范围内、角色为“成员单位联络员”的在用账号',
    en: 'must be an active account with the role member unit contact within your scope',
  },
  notVolunteerAccount: {
    zh: '应为角色为“志愿者”且尚未关联其他志愿者的在用账号',
    en: 'must be an active account with the role volunteer, not linked to another volunteer',
  },
} satisfies Record<string, LocalizedText>;

/**
 * What an actor reads of the volunteer service. A unit contact holds no region (scope.ts): their units are their
 * data, and they see the requests of the regions their units serve — a scope narrowed to each unit's region.
 * A volunteer reads only their own tasks (the service checks ownership), so their reader holds nothing.
 */
export async function volunteerReader(db: Db, actor: Actor): Promise<VolunteerReader> {
  if (actor.system) return { scopes: [regionScope(actor)], unitIds: null };
  if (actor.role === 'unitContact') {
    const units = await unitsOfContact(db, actor.id);
    const all = unscoped('the regions a unit contact’s units serve');
    return { scopes: units.map((u) => narrowScope(all, u.region_code)), unitIds: units.map((u) => u.id) };
  }
  if (actor.role === 'volunteer') return { scopes: [], unitIds: [] };
  return { scopes: [regionScope(actor)], unitIds: null };
}
