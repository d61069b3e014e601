import type { Registration } from '../../../shared/registrations.ts';
import { maskIdNumber, maskPhone } from '../../../shared/registry-validation.ts';
import { shortVillageName } from '../registry/registry-place.ts';
import type { RegistrationView } from './registration.repository.ts';

/** A registration as the console sees it: ID number and phone always masked (clear only through a reveal). */
export function presentRegistration(row: RegistrationView, names: Map<string, string>): Registration {
  const hours = (row.registered_at.getTime() - row.arrived_at.getTime()) / 3_600_000;
  return {
    id: row.id,
    receiptCode: row.receipt_code,
    name: row.name,
    idNumber: maskIdNumber(row.id_number),
    phone: maskPhone(row.phone),
    origin: row.origin,
    arrivedAt: row.arrived_at.toISOString(),
    registeredAt: row.registered_at.toISOString(),
    hoursAfterArrival: Math.round(hours * 10) / 10,
    windowHours: row.window_hours,
    late: row.late,
    address: row.address,
    lon: row.lon,
    lat: row.lat,
    regionCode: row.region_code,
    villageCode: row.village_code,
    villageName: shortVillageName(names.get(row.village_code) ?? row.village_code),
    gridName: row.region_code === row.village_code ? null : (names.get(row.region_code) ?? null),
    day: row.day,
    confirmedAt: row.confirmed_at?.toISOString() ?? null,
    confirmedByName: row.confirmed_by_name,
    confirmNote: row.confirm_note,
    version: row.version,
    synthetic: row.synthetic,
  };
}

/** The region codes whose names a list of registrations shows. */
export function namedCodes(
  rows: readonly Pick<RegistrationView, 'region_code' | 'village_code'>[],
): string[] {
  return [...new Set(rows.flatMap((r) => [r.region_code, r.village_code]))];
}
