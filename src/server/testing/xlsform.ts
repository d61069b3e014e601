/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: XLSForm expressions name questions as ${name} */
import ExcelJS from 'exceljs';

export type SheetRows = (string | number)[][];

/** An XLSForm workbook from its sheets' rows (the first row of each is its header). */
export async function xlsformOf(sheets: {
  survey: SheetRows;
  choices?: SheetRows;
  settings?: SheetRows;
}): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = book.addWorksheet(name);
    for (const row of rows) sheet.addRow(row);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * A small household form as people write it in Excel: a yes/no gate with a dependent count that has a
 * constraint and message, a choice list whose "bulky rubbish" raises a case, Chinese and English labels.
 */
export const SAMPLE_XLSFORM = {
  survey: [
    [
      'type',
      'name',
      'label::Chinese (zh)',
      'label::English (en)',
      'required',
      'relevant',
      'constraint',
      'constraint_message::Chinese (zh)',
      'constraint_message::English (en)',
      'registry_field',
    ],
    ['select_one yn', 'lives_here', '是否有人常住', 'Does anyone live here?', 'yes', '', '', '', '', ''],
    [
      'integer',
      'resident_count',
      '常住人数',
      'People living here',
      'yes',
      "${lives_here} = 'yes'",
      '. >= 1 and . <= 20',
      '人数应在 1 到 20 之间',
      'Between 1 and 20 people',
      'household.residentCount',
    ],
    [
      'phone',
      'head_phone',
      '户主电话',
      "Head's phone",
      'no',
      "${lives_here} = 'yes'",
      '',
      '',
      '',
      'household.headPhone',
    ],
    ['select_multiple hardship', 'hardship', '有何困难', 'Hardship', 'no', '', '', '', '', ''],
    ['text', 'note', '备注', 'Note', '', '', 'string-length(.) <= 200', '', '', ''],
  ],
  choices: [
    ['list_name', 'name', 'label::Chinese (zh)', 'label::English (en)', 'raises_case'],
    ['yn', 'yes', '是', 'Yes', ''],
    ['yn', 'no', '否', 'No', ''],
    ['hardship', 'none', '无', 'None', ''],
    ['hardship', 'bulky_rubbish', '大件垃圾', 'Bulky rubbish', '06011'],
  ],
  settings: [
    ['form_title', 'form_id'],
    ['入户登记（测试）', 'household-test'],
  ],
} satisfies { survey: SheetRows; choices: SheetRows; settings: SheetRows };
