/**
 * The medicaments a fresh install starts with: the usual palliative opioids and the non-opioids commonly on the
 * same prescriptions. Regulatory flags follow the Russian lists: narcotic drugs and psychotropic substances of
 * Government Decree No. 681 (Lists I–III) and potent substances of Decree No. 964. Oral-morphine factors are the
 * CDC 2022 ones (ARCHITECTURE.md, "Opioid equivalence"); a medicine CDC gives no factor for stays "no factor".
 * Administrators edit all of it afterwards; the seed never overwrites their changes.
 */
import type { Medicament } from './types.ts';

/** A seed entry: the document without its id, type and authorship, which seeding adds. */
export type MedicamentSeed = Omit<
  Medicament,
  '_id' | '_rev' | 'type' | 'active' | 'createdBy' | 'createdAt' | 'updatedBy' | 'updatedAt'
> & { slug: string; active?: boolean };

const CDC = 'CDC 2022, Clinical Practice Guideline for Prescribing Opioids for Pain: коэффициенты пересчёта в MME';
const CDC_PATCH = CDC + ' (трансдермальный фентанил — на 1 мкг/ч)';
const PARENTERAL_MORPHINE = 'Парентеральный морфин ≈ 3 × пероральный (соотношение 1:3 паллиативных руководств)';

const noFactor = (why: string | null) => ({ morphineFactor: null, factorBasis: null, factorSource: why });
const perMg = (factor: number, source: string) => ({
  morphineFactor: factor,
  factorBasis: 'mg' as const,
  factorSource: source,
});

/** Narcotic drugs of List II (Decree No. 681). */
const LIST_II = { narcotic: true, psychotropic: false, controlList: 'II' as const, potent: false };
const UNCONTROLLED = { narcotic: false, psychotropic: false, controlList: null, potent: false };
const NON_OPIOID = { ...UNCONTROLLED, opioidClass: 'none' as const, ...noFactor(null) };

const MORPHINE = { innRu: 'Морфин', innLatin: 'Morphinum', tradeNames: [], atcCode: 'N02AA01', ...LIST_II };
const FENTANYL = { innRu: 'Фентанил', innLatin: 'Fentanylum', atcCode: 'N02AB03', ...LIST_II };
const TRAMADOL = { innRu: 'Трамадол', innLatin: 'Tramadolum', tradeNames: ['Трамал'], atcCode: 'N02AX02' };
const PARACETAMOL = { innRu: 'Парацетамол', innLatin: 'Paracetamolum', atcCode: 'N02BE01', ...NON_OPIOID };
const KETOROLAC = {
  innRu: 'Кеторолак',
  innLatin: 'Ketorolacum',
  tradeNames: ['Кеторол', 'Кетанов'],
  atcCode: 'M01AB15',
};
const DEXAMETHASONE = { innRu: 'Дексаметазон', innLatin: 'Dexamethasonum', tradeNames: [], atcCode: 'H02AB02' };
const HALOPERIDOL = { innRu: 'Галоперидол', innLatin: 'Haloperidolum', tradeNames: [], atcCode: 'N05AD01' };
const METOCLOPRAMIDE = {
  innRu: 'Метоклопрамид',
  innLatin: 'Metoclopramidum',
  tradeNames: ['Церукал'],
  atcCode: 'A03FA01',
};
const FUROSEMIDE = { innRu: 'Фуросемид', innLatin: 'Furosemidum', tradeNames: ['Лазикс'], atcCode: 'C03CA01' };

const tablets = (strength: number) => ({
  form: 'tablet' as const,
  strength,
  strengthUnit: 'mg' as const,
  route: 'oral' as const,
});
const prolonged = (strength: number) => ({ ...tablets(strength), form: 'tablet-prolonged' as const });
const injection = (mgPerMl: number) => ({
  form: 'injection' as const,
  strength: mgPerMl,
  strengthUnit: 'mg_per_ml' as const,
  route: 'parenteral' as const,
});
const patch = (ugPerHour: number) => ({
  form: 'transdermal-patch' as const,
  strength: ugPerHour,
  strengthUnit: 'ug_per_h' as const,
  route: 'transdermal' as const,
});
const fentanylPatch = (ugPerHour: number, tradeNames: string[]): MedicamentSeed => ({
  slug: `fentanyl-patch-${ugPerHour}ug-h`,
  ...FENTANYL,
  tradeNames,
  ...patch(ugPerHour),
  opioidClass: 'strong',
  morphineFactor: 2.4,
  factorBasis: 'ug_per_h',
  factorSource: CDC_PATCH,
});

export const MEDICAMENT_SEED: readonly MedicamentSeed[] = [
  { slug: 'morphine-tablets-5mg', ...MORPHINE, ...tablets(5), opioidClass: 'strong', ...perMg(1, CDC) },
  { slug: 'morphine-tablets-10mg', ...MORPHINE, ...tablets(10), opioidClass: 'strong', ...perMg(1, CDC) },
  { slug: 'morphine-prolonged-tablets-10mg', ...MORPHINE, ...prolonged(10), opioidClass: 'strong', ...perMg(1, CDC) },
  { slug: 'morphine-prolonged-tablets-30mg', ...MORPHINE, ...prolonged(30), opioidClass: 'strong', ...perMg(1, CDC) },
  { slug: 'morphine-prolonged-tablets-60mg', ...MORPHINE, ...prolonged(60), opioidClass: 'strong', ...perMg(1, CDC) },
  { slug: 'morphine-prolonged-tablets-100mg', ...MORPHINE, ...prolonged(100), opioidClass: 'strong', ...perMg(1, CDC) },
  {
    slug: 'morphine-injection-10mg-ml',
    ...MORPHINE,
    ...injection(10),
    opioidClass: 'strong',
    ...perMg(3, PARENTERAL_MORPHINE),
  },
  {
    slug: 'oxycodone-prolonged-tablets-10mg',
    innRu: 'Оксикодон',
    innLatin: 'Oxycodonum',
    tradeNames: [],
    atcCode: 'N02AA05',
    ...LIST_II,
    ...prolonged(10),
    opioidClass: 'strong',
    ...perMg(1.5, CDC),
  },
  {
    slug: 'oxycodone-naloxone-prolonged-tablets-10-5mg',
    innRu: 'Оксикодон + налоксон',
    innLatin: 'Oxycodonum + Naloxonum',
    tradeNames: ['Таргин'],
    atcCode: 'N02AA55',
    ...LIST_II,
    ...prolonged(10),
    strengthNote: 'оксикодон 10 мг + налоксон 5 мг; дозировка и коэффициент — по оксикодону',
    opioidClass: 'strong',
    ...perMg(1.5, CDC),
  },
  fentanylPatch(12, ['Дюрогезик Матрикс']),
  fentanylPatch(25, ['Дюрогезик Матрикс', 'Фендивия']),
  fentanylPatch(50, ['Дюрогезик Матрикс', 'Фендивия']),
  fentanylPatch(75, ['Дюрогезик Матрикс', 'Фендивия']),
  fentanylPatch(100, ['Дюрогезик Матрикс', 'Фендивия']),
  {
    slug: 'hydromorphone-prolonged-tablets-8mg',
    innRu: 'Гидроморфон',
    innLatin: 'Hydromorphonum',
    tradeNames: [],
    atcCode: 'N02AA03',
    ...LIST_II,
    ...prolonged(8),
    opioidClass: 'strong',
    ...perMg(5, CDC),
  },
  {
    slug: 'methadone-tablets-5mg',
    active: false,
    innRu: 'Метадон',
    innLatin: 'Methadonum',
    tradeNames: [],
    atcCode: 'N07BC02',
    narcotic: true,
    psychotropic: false,
    controlList: 'I',
    potent: false,
    ...tablets(5),
    opioidClass: 'strong',
    ...perMg(4.7, CDC + '; для метадона пересчёт условен: соотношение с морфином растёт с дозой'),
    note: 'В Российской Федерации метадон внесён в Список I (оборот запрещён), поэтому запись неактивна.',
  },
  {
    slug: 'tramadol-capsules-50mg',
    ...TRAMADOL,
    ...UNCONTROLLED,
    potent: true,
    ...tablets(50),
    form: 'capsule',
    opioidClass: 'weak',
    ...perMg(0.2, CDC),
  },
  {
    slug: 'tramadol-injection-50mg-ml',
    ...TRAMADOL,
    ...UNCONTROLLED,
    potent: true,
    ...injection(50),
    opioidClass: 'weak',
    ...noFactor('CDC 2022 даёт коэффициент трамадола только для приёма внутрь'),
  },
  {
    slug: 'codeine-paracetamol-tablets-8-500mg',
    innRu: 'Кодеин + парацетамол',
    innLatin: 'Codeinum + Paracetamolum',
    tradeNames: [],
    atcCode: 'N02AJ06',
    ...UNCONTROLLED,
    ...tablets(8),
    strengthNote: 'кодеин 8 мг + парацетамол 500 мг; дозировка и коэффициент — по кодеину',
    opioidClass: 'weak',
    ...perMg(0.15, CDC),
    note: 'Комбинированный препарат с малым количеством кодеина: в Списки I–III не входит, подлежит предметно-количественному учёту.',
  },
  {
    slug: 'tapentadol-prolonged-tablets-50mg',
    innRu: 'Тапентадол',
    innLatin: 'Tapentadolum',
    tradeNames: ['Палексия'],
    atcCode: 'N02AX06',
    ...LIST_II,
    ...prolonged(50),
    opioidClass: 'strong',
    ...perMg(0.4, CDC),
  },
  {
    slug: 'buprenorphine-patch-35ug-h',
    innRu: 'Бупренорфин',
    innLatin: 'Buprenorphinum',
    tradeNames: ['Транстек'],
    atcCode: 'N02AE01',
    ...LIST_II,
    ...patch(35),
    opioidClass: 'strong',
    ...noFactor('В таблице CDC 2022 нет коэффициента для бупренорфина'),
  },
  {
    slug: 'trimeperidine-injection-20mg-ml',
    innRu: 'Тримеперидин',
    innLatin: 'Trimeperidinum',
    tradeNames: ['Промедол'],
    // WHO gives trimeperidine no level-5 code; Russian registers file it under N01AH (opioid anaesthetics).
    atcCode: 'N01AH',
    ...LIST_II,
    ...injection(20),
    opioidClass: 'strong',
    ...noFactor('В таблице CDC 2022 нет коэффициента для тримеперидина'),
  },
  { slug: 'paracetamol-tablets-500mg', ...PARACETAMOL, tradeNames: ['Панадол'], ...tablets(500) },
  {
    slug: 'paracetamol-infusion-10mg-ml',
    ...PARACETAMOL,
    tradeNames: ['Перфалган'],
    ...injection(10),
    form: 'infusion',
    route: 'intravenous',
  },
  { slug: 'ketorolac-tablets-10mg', ...KETOROLAC, ...NON_OPIOID, ...tablets(10) },
  { slug: 'ketorolac-injection-30mg-ml', ...KETOROLAC, ...NON_OPIOID, ...injection(30) },
  { slug: 'dexamethasone-tablets-0-5mg', ...DEXAMETHASONE, ...NON_OPIOID, ...tablets(0.5) },
  { slug: 'dexamethasone-injection-4mg-ml', ...DEXAMETHASONE, ...NON_OPIOID, ...injection(4) },
  { slug: 'haloperidol-tablets-5mg', ...HALOPERIDOL, ...NON_OPIOID, ...tablets(5) },
  { slug: 'haloperidol-injection-5mg-ml', ...HALOPERIDOL, ...NON_OPIOID, ...injection(5) },
  { slug: 'metoclopramide-tablets-10mg', ...METOCLOPRAMIDE, ...NON_OPIOID, ...tablets(10) },
  { slug: 'metoclopramide-injection-5mg-ml', ...METOCLOPRAMIDE, ...NON_OPIOID, ...injection(5) },
  {
    slug: 'midazolam-injection-5mg-ml',
    innRu: 'Мидазолам',
    innLatin: 'Midazolamum',
    tradeNames: ['Дормикум'],
    atcCode: 'N05CD08',
    ...NON_OPIOID,
    psychotropic: true,
    controlList: 'III',
    ...injection(5),
  },
  {
    slug: 'lactulose-syrup-667mg-ml',
    innRu: 'Лактулоза',
    innLatin: 'Lactulosum',
    tradeNames: ['Дюфалак', 'Нормазе'],
    atcCode: 'A06AD11',
    ...NON_OPIOID,
    form: 'syrup',
    strength: 667,
    strengthUnit: 'mg_per_ml',
    route: 'oral',
  },
  {
    slug: 'omeprazole-capsules-20mg',
    innRu: 'Омепразол',
    innLatin: 'Omeprazolum',
    tradeNames: ['Омез'],
    atcCode: 'A02BC01',
    ...NON_OPIOID,
    ...tablets(20),
    form: 'capsule',
  },
  { slug: 'furosemide-tablets-40mg', ...FUROSEMIDE, ...NON_OPIOID, ...tablets(40) },
  { slug: 'furosemide-injection-10mg-ml', ...FUROSEMIDE, ...NON_OPIOID, ...injection(10) },
];
