import type { Db } from '../../db/database.ts';

/** The campaign's report number, read under a row lock so that two first prints give it one number. */
export async function lockReportNumber(trx: Db, campaignId: number): Promise<string | null | undefined> {
  const row = await trx
    .selectFrom('inspection_campaigns')
    .select('report_number')
    .where('id', '=', campaignId)
    .forUpdate()
    .executeTakeFirst();
  return row?.report_number;
}

export async function setReportNumber(trx: Db, campaignId: number, reportNumber: string): Promise<void> {
  await trx
    .updateTable('inspection_campaigns')
    .set({ report_number: reportNumber })
    .where('id', '=', campaignId)
    .execute();
}
