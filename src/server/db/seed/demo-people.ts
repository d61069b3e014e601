/**
 * Deterministic made-up names and phone numbers for the demo town's responsible people. The phone numbers
 * use the 19999 prefix block so they cannot belong to anyone.
 */
const SURNAMES = '陈李黄张梁何关冯潘罗吴邓谭麦区岑伍郑钟卢朱刘杨林叶'.split('');
const GIVEN = '志伟丽敏芳华强军燕玲辉杰婷明新建国海霞凤英伦嘉俊文秀慧家宝荣锦'.split('');

export function createNameSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32: small, fast, and the same sequence on every platform.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  return {
    name: () => pick(SURNAMES) + pick(GIVEN) + (next() < 0.6 ? pick(GIVEN) : ''),
    phone: () => `19999${String(Math.floor(next() * 1_000_000)).padStart(6, '0')}`,
  };
}
