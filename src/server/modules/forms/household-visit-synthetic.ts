import { idNumberCheckChar, usccCheckChar } from '../../../shared/registry-validation.ts';
import type { SyntheticRegistry } from '../registry/registry-bulk.ts';

/*
 * A registry of households spread evenly over given grids, for tests and the coverage benchmark: every grid gets
 * exactly the households asked for, so figures per grid are known. (The demo registry's generator spreads houses
 * by a village's roads, which leaves small test grids empty.) Made-up names; ID numbers carry valid check
 * characters; phones in the 19999 demo block.
 */

const SURNAMES = '陈李黄梁何关冯潘罗吴邓谭麦';
const GIVEN = '志伟强军辉杰明丽敏芳燕玲婷霞';
const BIRTHS_FROM = Date.UTC(1940, 0, 1);
const DAY = 86_400_000;

export interface SyntheticGrid {
  code: string;
  villageName: string;
  /** [west, south, east, north]. */
  bbox: [number, number, number, number];
}

/**
 * `householdsPerGrid` households in each grid: one house per address, a second household number in every fifth
 * house, one to four residents each (the head first); a shop at every tenth address (organisation campaigns).
 * Deterministic for given arguments.
 */
export function syntheticHouseholds(
  grids: readonly SyntheticGrid[],
  householdsPerGrid: number,
): SyntheticRegistry {
  const data: SyntheticRegistry = {
    addresses: [],
    buildings: [],
    houses: [],
    residents: [],
    organisations: [],
    facilities: [],
  };
  let person = 0;
  for (const grid of grids) {
    const [west, south, east, north] = grid.bbox;
    let made = 0;
    for (let n = 0; made < householdsPerGrid; n++) {
      const addressIndex = data.addresses.length;
      // Inside the grid, away from its edges: a point on the edge could be located into the neighbour.
      const fx = 0.1 + 0.8 * (((n * 37) % 101) / 101);
      const fy = 0.1 + 0.8 * (((n * 61) % 103) / 103);
      data.addresses.push({
        regionCode: grid.code,
        villageName: grid.villageName,
        road: `走访${grid.code.slice(-3)}巷`,
        number: String(n + 1),
        building: null,
        unit: null,
        room: null,
        lon: west + (east - west) * fx,
        lat: south + (north - south) * fy,
      });
      const houseIndex = data.houses.length;
      data.houses.push({
        addressIndex,
        buildingIndex: -1,
        use: 'selfOccupied',
        landlordName: null,
        landlordPhone: null,
        landlordIdNumber: null,
      });
      if (n % 10 === 0) {
        const body = `92440605MA${String(data.organisations.length + 1).padStart(7, '0')}`;
        data.organisations.push({
          addressIndex,
          name: `走访${grid.code.slice(-3)}巷${n + 1}号商铺`,
          type: 'shop',
          uscc: `${body}${usccCheckChar(body)}`,
          contactName: `${SURNAMES[n % SURNAMES.length]}老板`,
          contactPhone: `19998${String(data.organisations.length).padStart(6, '0')}`,
        });
      }
      const households = n % 5 === 4 && made + 2 <= householdsPerGrid ? 2 : 1;
      for (let h = 0; h < households; h++) {
        const size = 1 + ((n + h) % 4);
        for (let r = 0; r < size; r++) {
          person++;
          // A birth day per thousand people and a sequence number within it: unique ID numbers.
          const birth = new Date(BIRTHS_FROM + Math.floor(person / 1000) * DAY).toISOString().slice(0, 10);
          const first17 = `440605${birth.replaceAll('-', '')}${String(person % 1000).padStart(3, '0')}`;
          data.residents.push({
            houseIndex,
            name: `${SURNAMES[person % SURNAMES.length]}${GIVEN[(person * 7) % GIVEN.length]}`,
            idNumber: `${first17}${idNumberCheckChar(first17)}`,
            phone: r === 0 ? `19999${String(person % 1_000_000).padStart(6, '0')}` : null,
            kind: 'registered',
            householdNo: households === 2 ? `H${h + 1}` : null,
            relation: r === 0 ? 'head' : r === 1 ? 'spouse' : 'child',
            careTags: [],
          });
        }
      }
      made += households;
    }
  }
  return data;
}
