import type { ChecklistItemInput, SiteType } from '../../../shared/inspections.ts';
import type { Services } from '../../deps.ts';
import { systemActor } from '../../modules/people/actor.ts';

/*
 * The demo town's two checklist templates, both active. What is checked comes from the seeds: the district
 * market regulator's special inspection of small pharmacies and clinics (seed 001) and 九江镇's covert
 * civilised-city inspection of back streets, old estates, markets, malls, banks and hospitals (seed 000).
 * The points, the judging rules (判定口径) and the time limits are synthetic: the seeds name the checks, not
 * how they are scored.
 */

type Item = Omit<ChecklistItemInput, 'photo' | 'guidance' | 'siteTypes' | 'veto' | 'immediate'> &
  Partial<Pick<ChecklistItemInput, 'photo' | 'guidance' | 'siteTypes' | 'veto' | 'immediate'>>;

const item = (fields: Item): ChecklistItemInput => ({
  photo: 'onFail',
  guidance: '',
  siteTypes: [],
  veto: false,
  immediate: false,
  ...fields,
});

const PHARMACY: SiteType[] = ['pharmacy'];
const CLINIC: SiteType[] = ['clinic'];

const PHARMACY_CLINIC_ITEMS: ChecklistItemInput[] = [
  item({
    key: '1.1',
    section: '购进渠道与索证索票',
    question: '药品、医疗器械从具有合法资质的企业购进，购进渠道合法',
    points: 10,
    rule: 'passFail',
    guidance: '抽查近 3 个月购进记录，核对供货单位的药品经营（生产）许可证；从个人或无证单位购进即为不符合。',
    categoryCode: '12001',
  }),
  item({
    key: '1.2',
    section: '购进渠道与索证索票',
    question: '索证索票：留存供货方资质（许可证、营业执照、销售人员授权书）和产品资质材料',
    points: 10,
    rule: 'passFail',
    guidance: '随机抽取 5 个品种，逐一查看对应的供货方资质和产品资质材料，缺任一份即为不符合。',
    categoryCode: '12001',
  }),
  item({
    key: '1.3',
    section: '购进渠道与索证索票',
    question: '购进票据（发票、随货同行单）齐全，与购进记录、实物一致',
    points: 10,
    rule: 'graded',
    guidance: '抽查 10 批次，每批次票据缺失或与实物不符扣 2 分，扣完为止。',
    categoryCode: '12001',
  }),
  item({
    key: '2.1',
    section: '药品储存与温湿度',
    question: '按规定储存药品：按储存条件分区存放，需阴凉、冷藏的药品在阴凉柜、冷藏柜中存放',
    points: 10,
    rule: 'passFail',
    guidance: '查看冷藏、阴凉药品的实际存放位置与说明书标示的储存条件是否一致。',
    categoryCode: '12002',
  }),
  item({
    key: '2.2',
    section: '药品储存与温湿度',
    question: '对温湿度进行记录：每日上、下午各记录一次，记录连续完整',
    points: 10,
    rule: 'passFail',
    photo: 'always',
    guidance: '翻阅近 1 个月温湿度记录并拍照留存；缺记 3 次以上或有补记痕迹即为不符合。',
    categoryCode: '12002',
  }),
  item({
    key: '2.3',
    section: '药品储存与温湿度',
    question: '配备温湿度计，并对温湿度检测设备定期校准（校准标识在有效期内）',
    points: 5,
    rule: 'passFail',
    guidance: '未配备温湿度计或校准标识过期即为不符合，当场要求配备或送检。',
    categoryCode: '12002',
    immediate: true,
  }),
  item({
    key: '3.1',
    section: '人员在岗',
    question: '执业药师在职在岗，佩戴胸卡，注册信息与在岗人员一致',
    points: 10,
    rule: 'passFail',
    guidance: '核对执业药师注册证书与在岗人员身份；营业时间执业药师不在岗且无替岗登记即为不符合。',
    siteTypes: PHARMACY,
    categoryCode: '12003',
  }),
  item({
    key: '3.2',
    section: '人员在岗',
    question: '执业医师持证且在职在岗，执业范围与执业证书一致',
    points: 10,
    rule: 'passFail',
    guidance: '核对医师资格证书、执业证书与坐诊人员身份。',
    siteTypes: CLINIC,
    categoryCode: '12010',
  }),
  item({
    key: '3.3',
    section: '人员在岗',
    question: '诊所持有有效的《医疗机构执业许可证》，无无证执业、超范围执业',
    points: 10,
    rule: 'passFail',
    guidance: '无证执业或由无执业资格人员诊疗即一票否决，当场制止并移交卫生健康部门。',
    siteTypes: CLINIC,
    categoryCode: '12010',
    veto: true,
  }),
  item({
    key: '4.1',
    section: '处方药销售与陈列',
    question: '销售处方药凭处方，登记并留存处方',
    points: 10,
    rule: 'passFail',
    guidance: '抽查 3 笔处方药销售，查看处方及登记；无处方销售处方药即为不符合。',
    siteTypes: PHARMACY,
    categoryCode: '12004',
  }),
  item({
    key: '4.2',
    section: '处方药销售与陈列',
    question: '处方药与非处方药分区陈列，药品与非药品分开存放，无混放',
    points: 10,
    rule: 'passFail',
    guidance: '发现混放即拍照，要求当场分开整理。',
    categoryCode: '12005',
    immediate: true,
  }),
  item({
    key: '5.1',
    section: '有效期',
    question: '随机抽查药品、医疗器械，过期品种数为 0',
    points: 10,
    rule: 'count',
    comparator: '<=',
    threshold: 0,
    unit: '种',
    guidance: '随机抽查 10 个品种，填写过期品种数；发现过期药品即一票否决，当场下架封存。',
    categoryCode: '12006',
    veto: true,
    immediate: true,
  }),
  item({
    key: '5.2',
    section: '有效期',
    question: '近效期药品（6 个月内失效）有近效期标识和催销记录',
    points: 5,
    rule: 'passFail',
    categoryCode: '12006',
    rectifyLimit: { amount: 3, unit: 'workingDays' },
  }),
];

const BACK_STREET: SiteType[] = ['backStreet'];
const ESTATE: SiteType[] = ['residentialEstate'];
const MARKET_MALL: SiteType[] = ['market', 'mall'];

const FIELD_ITEMS: ChecklistItemInput[] = [
  item({
    key: '1.1',
    section: '背街小巷',
    question: '落实属地管理：有明确的责任单位和保洁责任人，责任公示牌完好',
    points: 5,
    rule: 'passFail',
    guidance: '在巷口或显眼处查看责任公示牌，公示的责任人电话能接通。',
    siteTypes: BACK_STREET,
    categoryCode: '06050',
  }),
  item({
    key: '1.2',
    section: '背街小巷',
    question: '路面干净，无散落垃圾、积存垃圾渣土',
    points: 10,
    rule: 'passFail',
    guidance: '沿巷道步行检查 100 米，发现散落垃圾 3 处以上或积存垃圾 1 处即为不符合。',
    siteTypes: BACK_STREET,
    categoryCode: '06050',
    immediate: true,
  }),
  item({
    key: '1.3',
    section: '背街小巷',
    question: '墙面、电杆无非法小广告、乱张贴乱涂写',
    points: 5,
    rule: 'passFail',
    siteTypes: [...BACK_STREET, ...ESTATE],
    categoryCode: '07001',
    immediate: true,
  }),
  item({
    key: '2.1',
    section: '老旧小区',
    question: '楼道、公共区域无杂物堆积',
    points: 10,
    rule: 'passFail',
    guidance: '抽查 2 栋楼的楼道和架空层，发现堆放杂物即拍照。',
    siteTypes: ESTATE,
    categoryCode: '06051',
  }),
  item({
    key: '2.2',
    section: '老旧小区',
    question: '无占用公共空间堆放货物',
    points: 5,
    rule: 'passFail',
    siteTypes: [...ESTATE, ...BACK_STREET],
    categoryCode: '06051',
  }),
  item({
    key: '2.3',
    section: '老旧小区',
    question: '车辆停放有序，无乱停乱放、占用消防通道',
    points: 10,
    rule: 'passFail',
    siteTypes: ESTATE,
    categoryCode: '09009',
  }),
  item({
    key: '3.1',
    section: '集贸市场和商场（超市）',
    question: '设置分类收集的垃圾桶，标识清晰，分类投放',
    points: 10,
    rule: 'passFail',
    guidance: '可回收物、有害垃圾、厨余垃圾、其他垃圾四类桶齐全且标识清晰；未设置分类垃圾桶即为不符合。',
    siteTypes: MARKET_MALL,
    categoryCode: '06052',
  }),
  item({
    key: '3.2',
    section: '集贸市场和商场（超市）',
    question: '摊位规范，商品在划定线内经营，无占道经营、店外经营',
    points: 10,
    rule: 'passFail',
    siteTypes: ['market'],
    categoryCode: '09006',
    immediate: true,
  }),
  item({
    key: '3.3',
    section: '集贸市场和商场（超市）',
    question: '标语标识、宣传栏完好，停车位标识完善',
    points: 5,
    rule: 'passFail',
    guidance: '宣传栏资料破损、缺失或停车位标识不清即为不符合，要求立行立改。',
    siteTypes: MARKET_MALL,
    categoryCode: '03010',
    immediate: true,
  }),
  item({
    key: '3.4',
    section: '集贸市场和商场（超市）',
    question: '公益广告数量达标',
    points: 10,
    rule: 'count',
    comparator: '>=',
    threshold: 5,
    unit: '处',
    guidance: '在出入口、主通道、宣传栏等醒目位置清点公益广告，破损、褪色的不计。',
    siteTypes: MARKET_MALL,
    categoryCode: '03010',
  }),
  item({
    key: '3.5',
    section: '集贸市场和商场（超市）',
    question: '抽查干货等食品，无霉变、过期',
    points: 5,
    rule: 'passFail',
    siteTypes: MARKET_MALL,
    categoryCode: '11002',
  }),
  item({
    key: '4.1',
    section: '银行和医院',
    question: '设置志愿服务岗，有志愿者在岗服务',
    points: 10,
    rule: 'passFail',
    siteTypes: ['bank', 'hospital'],
  }),
  item({
    key: '4.2',
    section: '银行和医院',
    question: '设置母婴室，设施齐全（哺乳椅、护理台、洗手池），环境整洁',
    points: 10,
    rule: 'passFail',
    siteTypes: ['hospital'],
  }),
  item({
    key: '4.3',
    section: '银行和医院',
    question: '无障碍设施（坡道、扶手、无障碍卫生间）完好畅通，未被占用',
    points: 10,
    rule: 'passFail',
    siteTypes: ['bank', 'hospital'],
  }),
  item({
    key: '5.1',
    section: '负面清单',
    question: '未发生负面清单事件（经媒体曝光或群众反映强烈、查证属实的不文明事件）',
    points: 0,
    rule: 'passFail',
    guidance: '发生负面清单事件的点位一票否决，本次测评得分计为 0。',
    veto: true,
  }),
];

/** Creates and activates the two demo templates, kept by the given office (region). Returns their ids. */
export async function loadDemoChecklists(services: Services, regionCode: string): Promise<number[]> {
  const system = systemActor('demo');
  const checklists = services.inspections.checklists;
  const templates = [
    {
      code: 'pharmacy-clinic',
      name: '药店诊所专项检查',
      description: '小诊所、小药店专项检查：药械购进、储存、销售和使用行为，以及执业人员在岗。',
      siteTypes: ['pharmacy', 'clinic'] as SiteType[],
      items: PHARMACY_CLINIC_ITEMS,
    },
    {
      code: 'civilised-city-field',
      name: '文明城市实地测评（暗访）',
      description: '全国文明城市实地考察点位测评，督查组暗访使用；发现问题拍照，能当场整改的立行立改。',
      siteTypes: ['backStreet', 'residentialEstate', 'market', 'mall', 'bank', 'hospital'] as SiteType[],
      items: FIELD_ITEMS,
    },
  ];
  const ids: number[] = [];
  for (const template of templates) {
    const draft = await checklists.createTemplate(system, { ...template, regionCode });
    await checklists.activateTemplate(system, draft.id, draft.rowVersion);
    ids.push(draft.id);
  }
  return ids;
}
