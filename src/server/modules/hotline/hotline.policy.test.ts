import { describe, expect, it } from 'vitest';
import type { Actor } from '../people/actor.ts';
import { systemActor } from '../people/actor.ts';
import { mayReadImport } from './hotline.policy.ts';

const dispatcher: Actor = {
  id: 7,
  username: 'dispatcher-7',
  name: '九江派遣员',
  role: 'dispatcher',
  scopeCode: '440605121',
  scopeName: '九江镇',
  departmentId: null,
  locale: 'zh-CN',
};

describe("reading a hotline import's rejected rows", () => {
  it('belongs to the scope the import was made in, and to no one whose scope is empty', () => {
    expect(mayReadImport(dispatcher, '440605121')).toBe(true);
    expect(mayReadImport(dispatcher, '440605122')).toBe(false);
    // An empty scope code used to prefix every import's scope: it means nothing, not everything.
    expect(mayReadImport({ ...dispatcher, scopeCode: '' }, '440605121')).toBe(false);
    expect(mayReadImport(systemActor(), '440605121')).toBe(true);
  });
});
