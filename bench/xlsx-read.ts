/**
 * Reading a large hotline XLSX (12345 export of 20 columns, shared strings as Excel saves it: about 7 MB for
 * 50,000 orders): rows per second, CPU time, peak memory and the longest stall of the event loop (what every
 * other request waits), for
 *  (a) the baseline: exceljs loading the whole workbook (`Workbook.xlsx.load`, how the hotline import read it),
 *  (b) the shared streaming reader (src/server/spreadsheet.ts) reading every row (row limit lifted),
 *  (c) the hotline import's own read (`readSheet`), which stops at its row limit and refuses the file,
 *  and the floor: a process that loads the same modules and the file and parses nothing,
 * in the same run, each in its own process under /usr/bin/time -v so its peak RSS is its own.
 * Run: npx tsx bench/xlsx-read.ts   (BENCH_ROWS sets the number of orders, default 50,000;
 * BENCH_INLINE_STRINGS=1 writes inline strings, as some platforms' exporters do)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { readSheet } from '../src/server/modules/hotline/hotline-sheet.ts';
import { readXlsxRows } from '../src/server/spreadsheet.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);
const CATEGORIES = ['路灯不亮', '占道经营', '噪音扰民', '垃圾清运不及时', '井盖缺失', '违章搭建', '道路破损'];
const HEADERS = [
  '工单编号',
  '受理时间',
  '诉求渠道',
  '紧急程度',
  '诉求类别',
  '诉求标题',
  '诉求内容',
  '事发地址',
  '经度',
  '纬度',
  '所属网格',
  '来电人',
  '联系电话',
  '承办单位',
  '办理状态',
  '办理时限',
  '办结时间',
  '回访结果',
  '满意度',
  '备注',
];
const CHANNELS = ['12345 热线', '网站', '微信小程序', '市长信箱'];
const DEPARTMENTS = ['九江镇城管办', '九江镇农业农村办', '九江镇住建办', '九江镇综治办', '沙头村委会'];
const SURNAMES = ['陈', '李', '黄', '张', '梁', '何', '吴', '关'];
const VILLAGES = ['440605001001', '440605001002', '440605001003', '440605002001', '440605002002'];

/** A hotline export as the 12345 platforms write it: a title line, the header, one order per row, 20 columns. */
async function generate(file: string, useSharedStrings: boolean): Promise<void> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings });
  const sheet = workbook.addWorksheet('工单明细');
  sheet.addRow(['九江镇 12345 工单明细']).commit();
  sheet.addRow(HEADERS).commit();
  for (let i = 0; i < ROWS; i++) {
    const category = CATEGORIES[i % CATEGORIES.length] as string;
    sheet
      .addRow([
        `GD2026${String(i).padStart(8, '0')}`,
        new Date(Date.UTC(2026, 10, 1 + (i % 28), 8 + (i % 10), i % 60)),
        CHANNELS[i % CHANNELS.length] as string,
        i % 13 === 0 ? '紧急' : '一般',
        category,
        `关于${category}的诉求`,
        `市民来电反映：九江镇第${i % 300}号路段附近${category}，已持续${(i % 9) + 1}天，影响周边居民正常生活，请尽快处理。工单${i}`,
        `佛山市南海区九江镇沙头村${i % 500}号`,
        113.02 + (i % 1000) / 100_000,
        22.83 + (i % 997) / 100_000,
        VILLAGES[i % VILLAGES.length] as string,
        `${SURNAMES[i % SURNAMES.length]}先生`,
        `138${String(10_000_000 + i).slice(-8)}`,
        DEPARTMENTS[i % DEPARTMENTS.length] as string,
        i % 5 === 0 ? '办理中' : '已办结',
        `${(i % 5) + 1}个工作日`,
        new Date(Date.UTC(2026, 10, 3 + (i % 25), 9 + (i % 8), (i * 7) % 60)),
        i % 4 === 0 ? '未回访' : '已回访',
        ['满意', '基本满意', '不满意'][i % 3] as string,
        i % 11 === 0 ? '重复来电' : '',
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
  writeFileSync(file, Buffer.concat(chunks));
}

/** One way of reading, in this process: rows read, seconds, longest event-loop stall, or the refusal. */
async function child(mode: string, file: string): Promise<void> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const bytes = readFileSync(file);
  const started = performance.now();
  let rows = 0;
  let refused: string | null = null;
  if (mode === 'idle') {
    // Nothing read: the floor of a process that has loaded the same modules and the file.
  } else if (mode === 'load') {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    workbook.worksheets[0]?.eachRow(() => {
      rows++;
    });
  } else if (mode === 'stream') {
    for await (const _row of readXlsxRows(Readable.from([bytes]), { maxRows: Number.MAX_SAFE_INTEGER }))
      rows++;
  } else {
    try {
      rows = (await readSheet(bytes)).rows.length;
    } catch (error) {
      refused = (error as { params?: { summary?: { en?: string } } }).params?.summary?.en ?? String(error);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  delay.disable();
  const result = { rows, seconds, maxStallMs: delay.max / 1e6, refused };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

interface Run {
  rows: number;
  seconds: number;
  maxStallMs: number;
  refused: string | null;
  peakRssMb: number;
  /** User and system time of the whole process (start-up included): the figure a busy machine leaves alone. */
  cpuSeconds: number;
}

function parseRun(stdout: string, mode: string): Run {
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`no result from the ${mode} run:\n${stdout}`);
  return { ...JSON.parse(line.slice('RESULT '.length)), peakRssMb: 0, cpuSeconds: 0 };
}

const n = (value: number, digits = 0) => value.toLocaleString('en', { maximumFractionDigits: digits });

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'child') return child(args[0] as string, args[1] as string);
  if (mode === 'generate') return generate(args[0] as string, process.env.BENCH_INLINE_STRINGS !== '1');
  const dir = mkdtempSync(join(tmpdir(), 'gridgov-bench-xlsx-'));
  try {
    const file = join(dir, 'hotline.xlsx');
    await generate(file, process.env.BENCH_INLINE_STRINGS !== '1');
    const size = readFileSync(file).length;
    console.log(`hotline XLSX: ${n(ROWS)} orders, ${n(size / 1024 / 1024, 1)} MB`);
    const results: Record<string, Run> = {};
    for (const which of ['idle', 'load', 'stream', 'hotline']) results[which] = runTimed(which, file);
    const base = results.load as Run;
    const idle = results.idle as Run;
    console.log(
      `process floor (modules loaded, file read, nothing parsed): peak RSS ${n(idle.peakRssMb)} MB`,
    );
    for (const [which, label] of [
      ['load', '(a) Workbook.xlsx.load, whole file (baseline)'],
      ['stream', '(b) streaming reader, every row'],
      ['hotline', '(c) hotline readSheet (row limit)'],
    ] as const) {
      const r = results[which] as Run;
      console.log(
        `${label.padEnd(48)} ${n(r.rows).padStart(7)} rows  ${n(r.seconds, 2).padStart(6)} s  ` +
          `${n(r.rows / r.seconds).padStart(7)} rows/s  CPU ${n(r.cpuSeconds, 1).padStart(5)} s  peak RSS ${n(r.peakRssMb).padStart(5)} MB ` +
          `(×${n(r.peakRssMb / base.peakRssMb, 2)})  longest stall ${n(r.maxStallMs)} ms` +
          (r.refused ? `\n${''.padEnd(49)}refused: ${r.refused}` : ''),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A run with the peak RSS /usr/bin/time saw (it writes to standard error). */
function runTimed(mode: string, file: string): Run {
  const script = fileURLToPath(import.meta.url);
  const output = execFileSync(
    'sh',
    [
      '-c',
      `/usr/bin/time -v "$0" --import tsx "$1" child "$2" "$3" 2>&1`,
      process.execPath,
      script,
      mode,
      file,
    ],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  const figure = (name: string) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(output)?.[1] ?? Number.NaN);
  return {
    ...parseRun(output, mode),
    peakRssMb: figure('Maximum resident set size \\(kbytes\\)') / 1024,
    cpuSeconds: figure('User time \\(seconds\\)') + figure('System time \\(seconds\\)'),
  };
}

await main();
