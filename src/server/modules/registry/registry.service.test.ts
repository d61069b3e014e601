import { Readable, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../../../shared/registry-validation.ts';
import { AppError } from '../../errors.ts';
import {
  createUser,
  feature,
  rectangle,
  seedTerritory,
  TERRITORY,
  type TestUser,
} from '../../testing/factories.ts';
import { createTestContext, type TestContext } from '../../testing/test-database.ts';
import { sealAuditChain } from '../audit/audit.service.ts';
import { systemActor } from '../people/actor.ts';

/** A valid ID number: Nanhai (440605), the birth date and sequence given, its check character computed. */
function idNumber(birth: string, sequence: number, area = '440605'): string {
  const first17 = `${area}${birth}${String(sequence).padStart(3, '0')}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

function wrongCheck(id: string): string {
  return `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`;
}

function upload(text: string | Buffer): Readable {
  return Readable.from([Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8')]);
}

/** Everything a sink receives, for reading an export or report in a test. */
function collect(): { out: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}

async function thrown(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

// 河清's first grid: lon 112.94–112.95; its second 112.95–112.96; 英明 112.96–112.98; all lat 22.84–22.86.
const HEQING_1 = { lon: 112.945, lat: 22.85 };
const HEQING_2 = { lon: 112.955, lat: 22.85 };
const YINGMING = { lon: 112.97, lat: 22.85 };

const RESIDENTS_CSV = (ids: string[]) =>
  [
    '姓名,身份证号,联系电话,人口类型,户号,与户主关系,关爱标签,街路巷,门牌号,楼栋,户室,经度,纬度',
    `陈志伟,${ids[0]},13812345678,户籍,H001,户主,,河清大道,3,1,302,${HEQING_1.lon},${HEQING_1.lat}`,
    `李丽,${ids[1]},13912345678,户籍,H001,配偶,,河清大道,3,1,302,${HEQING_1.lon},${HEQING_1.lat}`,
    `黄伟强,${wrongCheck(ids[2] ?? '')},13712345678,流动,,,,河清大道,5,,,${HEQING_1.lon},${HEQING_1.lat}`,
    `张英,${ids[3]},,户籍,H002,户主,独居老人,河清大道,7,,,${HEQING_2.lon},${HEQING_2.lat}`,
    `梁明,${ids[4]},0757-86501234,流动,,,,英明路,12,,,${YINGMING.lon},${YINGMING.lat}`,
  ].join('\n');

describe('the registry', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let heqingWorker: TestUser;
  let yingmingWorker: TestUser;
  let leader: TestUser;
  let dispatcher: TestUser;
  const ids = [
    idNumber('19800101', 11),
    idNumber('19820304', 22),
    idNumber('19900505', 31),
    idNumber('19400101', 42),
    idNumber('19951231', 51),
  ];

  beforeAll(async () => {
    ctx = await createTestContext();
    await seedTerritory(ctx);
    admin = await createUser(ctx, { role: 'administrator', regionCode: TERRITORY.town });
    heqingWorker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.heqing });
    yingmingWorker = await createUser(ctx, { role: 'gridWorker', regionCode: TERRITORY.yingming });
    leader = await createUser(ctx, { role: 'leader', regionCode: TERRITORY.town });
    dispatcher = await createUser(ctx, { role: 'dispatcher', regionCode: TERRITORY.town });
  });
  afterAll(() => ctx.close());

  const registry = () => ctx.services.registry;
  const imports = () => ctx.services.registryImports;

  async function snapshot() {
    const tables = [
      'registry_addresses',
      'registry_buildings',
      'registry_houses',
      'registry_residents',
      'registry_organisations',
      'registry_facilities',
    ];
    const result: Record<string, unknown[]> = {};
    for (const table of tables) {
      result[table] = (
        await sql`select * from ${sql.table(table)} order by id`.execute(ctx.database.db)
      ).rows;
    }
    return result;
  }

  describe('importing residents', () => {
    let firstImport: Awaited<ReturnType<ReturnType<typeof imports>['importFile']>>;

    beforeAll(async () => {
      firstImport = await imports().importFile(admin.actor, 'resident', {
        stream: upload(RESIDENTS_CSV(ids)),
        fileName: 'residents.csv',
      });
    });

    it('rejects a row with a wrong ID check digit by its row number and imports the others', () => {
      expect(firstImport).toMatchObject({ status: 'done', total: 5, created: 4, rejected: 1, updated: 0 });
      expect(firstImport.errors).toEqual([{ row: 4, reason: '身份证号校验位错误' }]);
    });

    it('derives birth date and sex, creates the addresses and houses, and places each in its grid', async () => {
      const page = await registry().listRecords(admin.actor, 'resident', {
        q: '陈志伟',
        page: 1,
        pageSize: 20,
      });
      const chen = page.items[0];
      expect(chen).toMatchObject({
        name: '陈志伟',
        birthDate: '1980-01-01',
        sex: 'male',
        kind: 'registered',
        householdNo: 'H001',
        relation: 'head',
        regionCode: TERRITORY.heqingGrids[0],
        address: { text: '河清大道3号1栋302室', fullText: '河清社区河清大道3号1栋302室' },
      });
      const yingming = await registry().listRecords(admin.actor, 'resident', {
        q: '梁明',
        page: 1,
        pageSize: 20,
      });
      expect(yingming.items[0]?.regionCode).toBe(TERRITORY.yingmingGrids[1]);
      const houses = await registry().listRecords(admin.actor, 'house', { page: 1, pageSize: 20 });
      // 河清大道3号1栋302室 is one house for two people; 5号 was on the rejected row.
      expect(houses.total).toBe(3);
    });

    it('leaves the database as it was when the same file is imported again', async () => {
      const before = await snapshot();
      const again = await imports().importFile(admin.actor, 'resident', {
        stream: upload(RESIDENTS_CSV(ids)),
        fileName: 'residents.csv',
      });
      expect(again).toMatchObject({ status: 'done', created: 0, updated: 0, unchanged: 4, rejected: 1 });
      expect(await snapshot()).toEqual(before);
    });

    it('updates what a later file changes, and records the change in the record’s history', async () => {
      const changed = RESIDENTS_CSV(ids).replace('13812345678', '13800001111');
      const result = await imports().importFile(admin.actor, 'resident', {
        stream: upload(changed),
        fileName: 'residents-v2.csv',
      });
      expect(result).toMatchObject({ created: 0, updated: 1, unchanged: 3 });
      const chen = (
        await registry().listRecords(admin.actor, 'resident', { q: '陈志伟', page: 1, pageSize: 1 })
      ).items[0];
      const history = await registry().getHistory(admin.actor, 'resident', chen?.id ?? 0);
      expect(history.map((h) => h.action)).toEqual(['import', 'import']);
      expect(history[1]?.changes).toEqual({ phone: { from: '138****5678', to: '138****1111' } });
    });

    it('reports a row repeating an earlier row of the same file', async () => {
      const csv = [
        '姓名,身份证号,人口类型,街路巷,门牌号,经度,纬度',
        `王五,${idNumber('19700101', 71)},户籍,河清大道,9,${HEQING_1.lon},${HEQING_1.lat}`,
        `王五,${idNumber('19700101', 71)},户籍,河清大道,9,${HEQING_1.lon},${HEQING_1.lat}`,
      ].join('\n');
      const result = await imports().importFile(admin.actor, 'resident', {
        stream: upload(csv),
        fileName: 'd.csv',
      });
      expect(result).toMatchObject({ created: 1, rejected: 1 });
      expect(result.errors[0]).toEqual({ row: 3, reason: '与第 2 行重复（身份证号相同），本行未导入' });
    });

    it('keeps a village grid worker to their village: a row of another village is refused', async () => {
      const csv = [
        '姓名,身份证号,人口类型,街路巷,门牌号,经度,纬度',
        `赵六,${idNumber('19750101', 81)},户籍,英明路,20,${YINGMING.lon},${YINGMING.lat}`,
      ].join('\n');
      const result = await imports().importFile(heqingWorker.actor, 'resident', {
        stream: upload(csv),
        fileName: 'other.csv',
      });
      expect(result.rejected).toBe(1);
      expect(result.errors[0]?.reason).toContain('不在您的数据范围');
    });

    it('writes every rejected row with its reason into an XLSX error report', async () => {
      const report = await imports().errorReport(admin.actor, firstImport.id, {
        format: 'xlsx',
        locale: 'en-US',
      });
      const sink = collect();
      await report.write(sink.out);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(sink.bytes() as unknown as ExcelJS.Buffer);
      const sheet = workbook.worksheets[0];
      expect(sheet?.getRow(1).getCell(2).value).toBe('Why not imported');
      expect(sheet?.getRow(2).getCell(1).value).toBe(4);
      expect(sheet?.getRow(2).getCell(2).value).toBe('ID number check digit is wrong');
      expect(sheet?.getRow(2).getCell(3).value).toBe('黄伟强');
    });

    it('reads an XLSX file the same way', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('人口');
      sheet.addRow(['九江镇实有人口登记表']);
      sheet.addRow(['姓名', '身份证号', '人口类型', '街路巷', '门牌号', '经度', '纬度']);
      sheet.addRow([
        '何芳',
        idNumber('19880808', 91),
        '流动人口',
        '河清大道',
        '11',
        HEQING_2.lon,
        HEQING_2.lat,
      ]);
      sheet.addRow([
        '何坏',
        wrongCheck(idNumber('19880808', 93)),
        '流动人口',
        '河清大道',
        '11',
        HEQING_2.lon,
        HEQING_2.lat,
      ]);
      const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
      const result = await imports().importFile(admin.actor, 'resident', {
        stream: upload(bytes),
        fileName: 'r.xlsx',
      });
      expect(result).toMatchObject({ created: 1, rejected: 1 });
      expect(result.errors).toEqual([{ row: 4, reason: '身份证号校验位错误' }]);
    });
  });

  describe('personal data', () => {
    it('masks ID numbers for every role, and phones except for grid workers', async () => {
      const find = async (user: TestUser) =>
        (await registry().listRecords(user.actor, 'resident', { q: '李丽', page: 1, pageSize: 1 })).items[0];
      const masked = { value: expect.stringMatching(/^440605\*{8}\d{3}[\dX]$/), masked: true };
      expect(await find(heqingWorker)).toMatchObject({
        idNumber: { ...masked, revealable: true },
        phone: { value: '13912345678', masked: false },
      });
      expect(await find(leader)).toMatchObject({
        idNumber: { ...masked, revealable: false },
        phone: { value: '139****5678', masked: true, revealable: false },
      });
      expect(await find(dispatcher)).toMatchObject({ phone: { masked: true, revealable: true } });
    });

    it('shows residents with care tags only to roles that look after them', async () => {
      const search = (user: TestUser) =>
        registry().listRecords(user.actor, 'resident', { q: '张英', page: 1, pageSize: 5 });
      expect((await search(heqingWorker)).items[0]?.careTags).toEqual(['elderlyAlone']);
      expect((await search(dispatcher)).items).toEqual([]);
      const zhang = (await search(admin)).items[0];
      const error = await thrown(registry().getRecord(dispatcher.actor, 'resident', zhang?.id ?? 0));
      expect(error.code).toBe('NOT_FOUND');
      const coverage = await registry().coverage(leader.actor, TERRITORY.town);
      expect(coverage.figures.careResidents.elderlyAlone).toBe(1);
    });

    it('reveals an ID number on request, records who saw it, and shows that to administrators', async () => {
      const li = (
        await registry().listRecords(heqingWorker.actor, 'resident', { q: '李丽', page: 1, pageSize: 1 })
      ).items[0];
      const revealed = await registry().reveal(heqingWorker.actor, 'resident', li?.id ?? 0, 'idNumber');
      expect(revealed).toEqual({ field: 'idNumber', value: ids[1] });
      const log = await registry().personalDataLog(admin.actor, {
        action: 'registry.reveal',
        page: 1,
        pageSize: 10,
      });
      expect(log[0]).toMatchObject({
        actorName: heqingWorker.username,
        action: 'registry.reveal',
        entity: 'resident',
        recordIds: [li?.id],
        fields: ['idNumber'],
        regionCode: TERRITORY.heqingGrids[0],
      });
      expect(
        (await thrown(registry().personalDataLog(heqingWorker.actor, { page: 1, pageSize: 10 }))).code,
      ).toBe('FORBIDDEN_ROLE');
      expect((await thrown(registry().reveal(leader.actor, 'resident', li?.id ?? 0, 'idNumber'))).code).toBe(
        'FORBIDDEN_ROLE',
      );
    });

    it('logs phones shown in clear by role', async () => {
      const log = await registry().personalDataLog(admin.actor, {
        action: 'registry.read',
        page: 1,
        pageSize: 50,
      });
      expect(log.some((e) => e.actorName === heqingWorker.username && e.fields.includes('phone'))).toBe(true);
    });

    it('keeps a grid worker of another village from finding, reading or revealing a resident', async () => {
      const li = (await registry().listRecords(admin.actor, 'resident', { q: '李丽', page: 1, pageSize: 1 }))
        .items[0];
      const found = await registry().search(yingmingWorker.actor, { q: ids[1] ?? '', page: 1, pageSize: 20 });
      expect(found.items).toEqual([]);
      expect((await thrown(registry().getRecord(yingmingWorker.actor, 'resident', li?.id ?? 0))).code).toBe(
        'FORBIDDEN_SCOPE',
      );
      expect(
        (await thrown(registry().reveal(yingmingWorker.actor, 'resident', li?.id ?? 0, 'idNumber'))).code,
      ).toBe('FORBIDDEN_SCOPE');
      const rows: string[][] = [];
      await registry().exportRecords(
        yingmingWorker.actor,
        'resident',
        { page: 1, pageSize: 20 },
        {
          async headers(h) {
            rows.push(h);
          },
          async row(cells) {
            rows.push(cells);
          },
        },
      );
      expect(rows.slice(1).map((r) => r[0])).toEqual(['梁明']);
    });

    it('exports masked as the reader sees the list', async () => {
      const rows: string[][] = [];
      await registry().exportRecords(
        leader.actor,
        'resident',
        { q: '陈志伟', page: 1, pageSize: 20 },
        {
          async headers(h) {
            rows.push(h);
          },
          async row(cells) {
            rows.push(cells);
          },
        },
      );
      const header = rows[0] ?? [];
      const chen = rows[1] ?? [];
      expect(chen[header.indexOf('身份证号')]).toBe(`440605********${ids[0]?.slice(-4)}`);
      expect(chen[header.indexOf('联系电话')]).toBe('138****1111');
      expect(chen[header.indexOf('人口类型')]).toBe('户籍人口');
    });
  });

  describe('search', () => {
    it('finds an address by fragments of it in Chinese', async () => {
      const result = await registry().search(admin.actor, { q: '河清 3号', page: 1, pageSize: 20 });
      expect(result.items.find((h) => h.entity === 'address')?.title).toBe('河清社区河清大道3号1栋302室');
      // …and the people living there.
      expect(result.items.filter((h) => h.entity === 'resident').map((h) => h.title)).toEqual(
        expect.arrayContaining(['陈志伟', '李丽']),
      );
    });

    it('finds a resident by full ID number, by name with its last four, and by phone', async () => {
      const byId = await registry().search(admin.actor, { q: ids[0] ?? '', page: 1, pageSize: 5 });
      expect(byId.items).toMatchObject([{ entity: 'resident', title: '陈志伟', match: 'idNumber' }]);
      expect(byId.items[0]?.subtitle).toContain('440605********');
      const byTail = await registry().search(admin.actor, {
        q: `陈志伟 ${ids[0]?.slice(-4)}`,
        page: 1,
        pageSize: 5,
      });
      expect(byTail.items.map((h) => h.title)).toEqual(['陈志伟']);
      const byPhone = await registry().search(admin.actor, { q: '139 1234 5678', page: 1, pageSize: 5 });
      expect(byPhone.items.map((h) => h.title)).toEqual(['李丽']);
    });
  });

  describe('records through the API', () => {
    it('creates an organisation with a valid credit code, located from its point', async () => {
      const pharmacy = await registry().createRecord(admin.actor, 'organisation', {
        name: '九江惠民大药房',
        type: 'pharmacy',
        uscc: '91350100M000100Y43',
        contactPhone: '13611112222',
        lon: HEQING_2.lon,
        lat: HEQING_2.lat,
      });
      expect(pharmacy).toMatchObject({ regionCode: TERRITORY.heqingGrids[1], villageName: '河清社区' });
      const again = await thrown(
        registry().createRecord(admin.actor, 'organisation', {
          name: '另一个名字',
          type: 'pharmacy',
          uscc: '91350100M000100Y43',
          lon: HEQING_2.lon,
          lat: HEQING_2.lat,
        }),
      );
      expect(again.code).toBe('ALREADY_EXISTS');
    });

    it('numbers a building by its grid', async () => {
      const building = await registry().createRecord(admin.actor, 'building', {
        name: '河清大道3号1栋',
        address: { road: '河清大道', number: '3', building: '1', lon: HEQING_1.lon, lat: HEQING_1.lat },
      });
      expect(building.code).toBe(`${TERRITORY.heqingGrids[0]}0001`);
      const second = await registry().createRecord(admin.actor, 'building', {
        name: '河清大道3号2栋',
        address: { road: '河清大道', number: '3', building: '2', lon: HEQING_1.lon, lat: HEQING_1.lat },
      });
      expect(second.code).toBe(`${TERRITORY.heqingGrids[0]}0002`);
    });

    it('refuses a point outside every grid with the point in the message', async () => {
      const error = await thrown(
        registry().createRecord(admin.actor, 'facility', {
          code: 'XF-0001',
          type: 'fireHydrant',
          status: 'normal',
          lon: 113.5,
          lat: 22.85,
        }),
      );
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(error.params)).toContain('113.5');
    });

    it('changes a record at the version read and refuses a stale one', async () => {
      const hydrant = await registry().createRecord(admin.actor, 'facility', {
        code: 'XF-0002',
        type: 'fireHydrant',
        status: 'normal',
        ...HEQING_1,
      });
      const changed = await registry().updateRecord(admin.actor, 'facility', hydrant.id, {
        version: hydrant.version,
        status: 'faulty',
        lastCheckedOn: '2026-11-20',
      });
      expect(changed).toMatchObject({
        status: 'faulty',
        lastCheckedOn: '2026-11-20',
        version: hydrant.version + 1,
      });
      const stale = await thrown(
        registry().updateRecord(admin.actor, 'facility', hydrant.id, {
          version: hydrant.version,
          status: 'normal',
        }),
      );
      expect(stale.code).toBe('CONFLICT');
    });
  });

  describe('coverage and boundaries', () => {
    it('counts households, residents, rental houses, organisations and facilities per village', async () => {
      const coverage = await registry().coverage(admin.actor, TERRITORY.town);
      const heqing = coverage.children.find((c) => c.region.code === TERRITORY.heqing)?.figures;
      // 陈志伟, 李丽 (one household, H001), 张英 (H002), 王五 and 何芳 (a household per house: no number).
      expect(heqing).toMatchObject({
        residents: 5,
        registeredResidents: 4,
        floatingResidents: 1,
        households: 4,
      });
      expect(heqing?.organisationsByType.pharmacy).toBe(1);
      expect(heqing?.facilitiesByType.fireHydrant).toBe(1);
      const yingming = coverage.children.find((c) => c.region.code === TERRITORY.yingming)?.figures;
      expect(yingming).toMatchObject({ residents: 1, floatingResidents: 1 });
      expect(coverage.figures.residents).toBe(6);
    });

    it('moves records into their new grids when boundaries change, and says how many', async () => {
      // 河清's two grids trade halves: the west grid now covers the east half.
      const report = await ctx.services.territory.importBoundaries(systemActor(), {
        crs: 'wgs84',
        geojson: {
          type: 'FeatureCollection',
          features: [
            feature(TERRITORY.heqingGrids[0], rectangle(112.95, 22.84, 112.96, 22.86)),
            feature(TERRITORY.heqingGrids[1], rectangle(112.94, 22.84, 112.95, 22.86)),
          ],
        },
      });
      expect(report.relocated?.resident).toBe(5);
      const chen = (
        await registry().listRecords(admin.actor, 'resident', { q: '陈志伟', page: 1, pageSize: 1 })
      ).items[0];
      expect(chen?.regionCode).toBe(TERRITORY.heqingGrids[1]);
      const again = await registry().relocateAll(admin.actor);
      expect(Object.values(again.moved).every((n) => n === 0)).toBe(true);
    });
  });

  it('keeps the audit chain sound with batch entries', async () => {
    await sealAuditChain(ctx.database.db);
    const { verifyAuditChain } = await import('../audit/audit.service.ts');
    expect((await verifyAuditChain(ctx.database.db)).ok).toBe(true);
  });
});
