import type { MyTarget } from '../../../shared/campaigns.ts';

/** The targets of one round of one campaign, as the list shows them together. */
export interface TargetGroup {
  key: string;
  campaign: MyTarget['campaign'];
  round: MyTarget['round'];
  targets: MyTarget[];
}

/** Groups by campaign and round, the rounds due first; in a group the targets still to visit come first. */
export function groupTargets(targets: readonly MyTarget[]): TargetGroup[] {
  const groups = new Map<string, TargetGroup>();
  for (const target of targets) {
    const key = `${target.campaign.id}:${target.round.id}`;
    const group = groups.get(key) ?? { key, campaign: target.campaign, round: target.round, targets: [] };
    group.targets.push(target);
    groups.set(key, group);
  }
  const order = { overdue: 0, open: 1, done: 2 } as const;
  return [...groups.values()]
    .map((group) => ({
      ...group,
      targets: [...group.targets].sort(
        (a, b) => order[a.due] - order[b.due] || a.target.name.localeCompare(b.target.name, 'zh-CN'),
      ),
    }))
    .sort(
      (a, b) => a.round.dueOn.localeCompare(b.round.dueOn) || a.campaign.name.localeCompare(b.campaign.name),
    );
}

/** Great-circle distance in metres between two WGS-84 points. */
export function distanceMetres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/** "350 m", "2.4 km": how far a target is from the phone. */
export function formatDistance(metres: number): string {
  return metres < 1_000 ? `${Math.round(metres / 10) * 10} m` : `${(metres / 1_000).toFixed(1)} km`;
}

function localDate(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Where a target stands in its round: to visit, overdue, visited on time or visited after the due date. */
export type TargetState = 'open' | 'overdue' | 'visited' | 'late';

export function targetState(target: MyTarget): TargetState {
  if (target.due !== 'done') return target.due;
  return target.visitedAt && localDate(target.visitedAt) > target.round.dueOn ? 'late' : 'visited';
}
