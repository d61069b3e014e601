import type { VisitUnit } from '../../../shared/household-visits.ts';
import type { Db } from '../../db/database.ts';
import * as repo from './household-visit.repository.ts';

/** A unit of a campaign as a visit to it needs it: where it is, and the registry records a form may update. */
export interface VisitedUnit {
  unitId: number;
  householdNo: string;
  /** Its leaf grid: what scope and the campaign area are checked against. */
  regionCode: string;
  countyCode: string;
  address: string;
  lon: number | null;
  lat: number | null;
  /** Households and houses: the house, for registry fields mapped to it. */
  house: repo.HouseFacts | null;
  /** Households: its residents; houses: every resident of the house; organisations: none. Head first. */
  residents: Awaited<ReturnType<typeof repo.listHouseholdResidents>>;
}

/**
 * The unit a visit key (`unitId:householdNo`) names in a campaign of `unit`, or undefined when the registry has
 * no such unit. A household lives where its residents are registered (a house without residents holds none); a
 * house or an organisation where the registry places it.
 */
export async function findVisitedUnit(
  db: Db,
  unit: VisitUnit,
  key: string,
): Promise<VisitedUnit | undefined> {
  const [idText = '', householdNo = ''] = key.split(':');
  const unitId = Number(idText);
  // Only a household has a household number; a house or an organisation is its record alone.
  if (unit !== 'household' && householdNo !== '') return undefined;
  const [placed, residents] = await Promise.all([
    repo.findPlacedUnit(db, unit === 'organisation' ? 'organisation' : 'house', unitId),
    unit === 'organisation'
      ? []
      : repo.listHouseholdResidents(db, unitId, unit === 'household' ? householdNo : null),
  ]);
  const regionCode = unit === 'household' ? residents[0]?.region_code : placed?.region_code;
  if (!placed || !regionCode) return undefined;
  return {
    unitId,
    householdNo,
    regionCode,
    countyCode: placed.county_code,
    address: placed.address,
    lon: placed.lon,
    lat: placed.lat,
    house: placed.house,
    residents,
  };
}
