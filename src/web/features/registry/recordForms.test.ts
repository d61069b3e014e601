import { describe, expect, it } from 'vitest';
import type { Resident } from '../../../shared/registry.ts';
import { bodyOf, initialValues } from './recordForms.ts';

const resident: Resident = {
  id: 7,
  name: '陈志伟',
  idNumber: { value: '440605********1236', masked: true, revealable: true },
  sex: 'male',
  birthDate: '1990-01-01',
  age: 36,
  phone: { value: '138****8000', masked: true, revealable: true },
  kind: 'registered',
  houseId: 3,
  address: { id: 2, text: '河清大道3号', fullText: '河清社区河清大道3号' },
  householdNo: null,
  relation: 'head',
  careTags: [],
  regionCode: '440605121015001001',
  regionName: '第1网格',
  villageName: '河清社区',
  lon: null,
  lat: null,
  version: 4,
  createdAt: '2026-11-23T01:00:00.000Z',
  updatedAt: '2026-11-23T01:00:00.000Z',
};

describe('registry record forms', () => {
  it('fill in a stored record without its personal data, which is masked', () => {
    const values = initialValues('resident', resident);
    expect(values).toMatchObject({ name: '陈志伟', kind: 'registered', relation: 'head', careTags: [] });
    expect(values).not.toHaveProperty('idNumber');
    expect(values).not.toHaveProperty('phone');
    expect(values).not.toHaveProperty('houseUse');
  });

  it('send on create every filled field and the address typed, trimmed', () => {
    const body = bodyOf(
      'resident',
      {
        name: ' 李秀英 ',
        idNumber: '440605198505122341',
        phone: '',
        kind: 'floating',
        careTags: [],
        address: { road: '河清大道', number: '3号', building: '', regionCode: '440605121015' },
      },
      {},
      false,
    );
    expect(body).toEqual({
      name: '李秀英',
      idNumber: '440605198505122341',
      kind: 'floating',
      address: { road: '河清大道', number: '3号', regionCode: '440605121015' },
    });
  });

  it('send on change only what differs: emptied fields as null, personal data and address only when typed', () => {
    const initial = initialValues('resident', resident);
    const unchanged = bodyOf('resident', { ...initial, idNumber: '', phone: undefined }, initial, true);
    expect(unchanged).toEqual({});
    const body = bodyOf(
      'resident',
      {
        ...initial,
        householdNo: 'HQ-0003',
        relation: undefined,
        phone: '13900139000',
        houseUse: 'rental',
        address: { road: '河清大道', number: '' },
      },
      initial,
      true,
    );
    expect(body).toEqual({ householdNo: 'HQ-0003', relation: null, phone: '13900139000' });
  });
});
