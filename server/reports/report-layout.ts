/**
 * The lines of the summary report, in order, with their Russian labels, and the sums that tie lines together
 * (`relations`): a breakdown adds up to its total, so complementary suppression (suppression.ts) knows which cells
 * a reader could subtract. The layout is fixed for every report, so CSV, JSON and PDF always have the same lines
 * and a zero is shown as 0, not left out; only the medicines of the next period depend on the data.
 */
import {
  CARE_SETTINGS,
  DEATH_PLACES,
  DISEASE_GROUPS,
  EXCLUSION_REASONS,
  NEEDS,
  PATIENT_STATUSES,
  SEXES,
} from '../../common/records/types.ts';

export type LineKind = 'count' | 'sum';

export interface LineSpec {
  key: string;
  label: string;
  /** `count`: patients; `sum`: a total built from patients (visits, mg, pieces), hidden when they are fewer than 5. */
  kind: LineKind;
  unit: string;
  /** Indentation in print: 0 a heading figure, 1 its breakdown, 2 a breakdown of that. */
  level: number;
}

export interface SectionSpec {
  key: string;
  title: string;
  lines: LineSpec[];
}

/** `total` is the sum of `parts`, in every column. */
export interface Relation {
  total: string;
  parts: string[];
}

export const AGE_GROUPS = [
  { key: '0-17', label: '0–17 лет', min: 0, max: 17 },
  { key: '18-39', label: '18–39 лет', min: 18, max: 39 },
  { key: '40-59', label: '40–59 лет', min: 40, max: 59 },
  { key: '60-74', label: '60–74 лет', min: 60, max: 74 },
  { key: '75+', label: '75 лет и старше', min: 75, max: Infinity },
] as const;

/** Bands of the oral-morphine equivalent per day of regular opioid doses on the last day of the period, mg. */
export const OME_BANDS = [
  { key: 'as-needed-only', label: 'только по требованию' },
  { key: '<30', label: 'менее 30 мг/сут', min: 0, max: 30 },
  { key: '30-59', label: '30–59 мг/сут', min: 30, max: 60 },
  { key: '60-119', label: '60–119 мг/сут', min: 60, max: 120 },
  { key: '120-199', label: '120–199 мг/сут', min: 120, max: 200 },
  { key: '200+', label: '200 мг/сут и более', min: 200, max: Infinity },
  { key: 'no-factor', label: 'препарат без коэффициента пересчёта' },
  { key: 'invalid', label: 'дозу нельзя пересчитать' },
] as const;
export type OmeBand = (typeof OME_BANDS)[number]['key'];

const STATUS_LABELS: Record<string, string> = { active: 'под наблюдением', pending: 'ожидают подтверждения врача' };
const SEX_LABELS: Record<string, string> = { male: 'мужчины', female: 'женщины' };
const DISEASE_LABELS: Record<string, string> = {
  cancer: 'злокачественные новообразования',
  'hiv-terminal': 'ВИЧ-инфекция в терминальной стадии',
  'other-progressive': 'другие прогрессирующие заболевания',
};
const REASON_LABELS: Record<string, string> = {
  'condition-improved': 'улучшение состояния',
  'criteria-not-met': 'не соответствует критериям',
  'refused-care': 'отказ от помощи',
  'moved-away': 'выбыл',
  'lost-to-follow-up': 'утрачена связь',
  'entered-in-error': 'внесён ошибочно',
  other: 'другая причина',
};
const PLACE_LABELS: Record<string, string> = {
  home: 'дома',
  hospice: 'в хосписе',
  hospital: 'в больнице',
  other: 'в другом месте',
};
const CARE_LABELS: Record<string, string> = {
  home: 'на дому',
  hospice: 'в хосписе',
  'palliative-ward': 'в паллиативном отделении',
  'other-hospital': 'в другом стационаре',
  'care-home': 'в доме-интернате',
  'day-care': 'в дневном стационаре',
  unknown: 'не указано',
};
export const NEED_LABELS: Record<string, string> = {
  'respiratory-support': 'респираторная поддержка',
  'oxygen-concentrator': 'кислородный концентратор',
  'functional-bed': 'функциональная кровать',
  'anti-decubitus-mattress': 'противопролежневый матрас',
  wheelchair: 'кресло-коляска',
  walker: 'ходунки',
  'commode-chair': 'кресло-туалет',
  'suction-device': 'аспиратор',
  'tube-feeding': 'зондовое питание',
  'stoma-care': 'уход за стомой',
  'catheter-care': 'уход за катетером',
  'pain-pump': 'помпа для обезболивания',
};

/** The statuses that keep a patient on the register. */
export const ON_REGISTER: readonly string[] = ['active', 'pending'];

const count = (key: string, label: string, level = 1): LineSpec => ({ key, label, kind: 'count', unit: 'чел.', level });
const sum = (key: string, label: string, unit: string, level = 1): LineSpec => ({
  key,
  label,
  kind: 'sum',
  unit,
  level,
});

/** The fixed sections, and the medicines section with the given lines (`medicine:<medicamentId>`). */
export function reportSections(nextDays: number, medicines: LineSpec[]): SectionSpec[] {
  const onRegister = PATIENT_STATUSES.filter((status) => ON_REGISTER.includes(status));
  return [
    {
      key: 'register',
      title: 'Пациенты в регистре на конец периода',
      lines: [
        count('registered', 'Состоят в регистре на конец периода, всего', 0),
        ...onRegister.map((status) => count(`status:${status}`, `из них ${STATUS_LABELS[status]}`)),
        ...DISEASE_GROUPS.map((group) => count(`disease:${group}`, DISEASE_LABELS[group] ?? group)),
        count('adults', 'взрослые (18 лет и старше)'),
        count('children', 'дети (до 18 лет)'),
        ...AGE_GROUPS.map((group) => count(`age:${group.key}`, group.label)),
        ...SEXES.flatMap((sex) => [
          count(`sex:${sex}`, SEX_LABELS[sex] ?? sex),
          ...AGE_GROUPS.map((group) => count(`sex-age:${sex}:${group.key}`, `${SEX_LABELS[sex]}, ${group.label}`, 2)),
        ]),
      ],
    },
    {
      key: 'movement',
      title: 'Движение за период',
      lines: [
        count('included', 'Включены в регистр за период', 0),
        count('excluded', 'Исключены из регистра за период, всего', 0),
        ...EXCLUSION_REASONS.map((reason) => count(`excluded:${reason}`, REASON_LABELS[reason] ?? reason)),
        count('deaths', 'Умерли за период, всего', 0),
        ...DEATH_PLACES.map((place) => count(`death:${place}`, PLACE_LABELS[place] ?? place)),
      ],
    },
    {
      key: 'care',
      title: 'Помощь',
      lines: [
        ...[...CARE_SETTINGS, 'unknown'].map((setting) =>
          count(`care:${setting}`, `Получают помощь ${CARE_LABELS[setting] ?? setting} (на конец периода)`, 0),
        ),
        sum('home-visits', 'Посещения на дому за период', 'посещ.', 0),
        count('home-visit-patients', 'Пациенты, посещённые на дому за период', 0),
        count('first-visit-48h', 'Первый визит в течение 48 часов после включения (из включённых за период)', 0),
      ],
    },
    {
      key: 'needs',
      title: 'Потребности на конец периода',
      lines: [
        count('respiratory-home-needed', 'Нуждаются в респираторной поддержке на дому', 0),
        count('respiratory-home-met', 'из них получают её', 1),
        ...NEEDS.flatMap((need) => [
          count(`need:${need}:needed`, `${NEED_LABELS[need] ?? need}: нуждаются`, 0),
          count(`need:${need}:met`, 'из них обеспечены', 1),
        ]),
      ],
    },
    {
      key: 'opioids',
      title: 'Обезболивание опиоидами',
      lines: [
        count('opioid-weak', 'Получали слабые опиоиды за период', 0),
        count('opioid-strong', 'Получали сильные опиоиды за период', 0),
        count('opioid-end', 'Получают опиоиды на конец периода, всего', 0),
        ...OME_BANDS.map((band) => count(`band:${band.key}`, `пероральный морфиновый эквивалент: ${band.label}`)),
        sum('ome-regular', 'Назначено за период в пересчёте на пероральный морфин: регулярный приём', 'мг', 0),
        sum(
          'ome-as-needed',
          'Назначено за период в пересчёте на пероральный морфин: по требованию (максимум)',
          'мг',
          0,
        ),
        count(
          'ome-no-factor',
          'Пациенты с опиоидом без коэффициента пересчёта («нет коэффициента», в сумму не входят)',
          0,
        ),
        count('ome-invalid', 'Пациенты с опиоидом, дозу которого нельзя пересчитать (в сумму не входят)', 0),
      ],
    },
    {
      key: 'medicines',
      title: `Потребность в лекарственных препаратах на следующие ${nextDays} дн.`,
      lines: medicines,
    },
  ];
}

/** Which lines add up to which, in every column. */
export function reportRelations(): Relation[] {
  const ages = AGE_GROUPS.map((group) => group.key);
  return [
    { total: 'registered', parts: PATIENT_STATUSES.filter((s) => ON_REGISTER.includes(s)).map((s) => `status:${s}`) },
    { total: 'registered', parts: DISEASE_GROUPS.map((group) => `disease:${group}`) },
    { total: 'registered', parts: ['adults', 'children'] },
    { total: 'registered', parts: ages.map((age) => `age:${age}`) },
    { total: 'registered', parts: SEXES.map((sex) => `sex:${sex}`) },
    { total: 'registered', parts: [...CARE_SETTINGS, 'unknown'].map((setting) => `care:${setting}`) },
    { total: 'children', parts: ['age:0-17'] },
    { total: 'adults', parts: ages.filter((age) => age !== '0-17').map((age) => `age:${age}`) },
    ...SEXES.map((sex) => ({ total: `sex:${sex}`, parts: ages.map((age) => `sex-age:${sex}:${age}`) })),
    ...ages.map((age) => ({ total: `age:${age}`, parts: SEXES.map((sex) => `sex-age:${sex}:${age}`) })),
    { total: 'excluded', parts: EXCLUSION_REASONS.map((reason) => `excluded:${reason}`) },
    { total: 'deaths', parts: DEATH_PLACES.map((place) => `death:${place}`) },
    { total: 'opioid-end', parts: OME_BANDS.map((band) => `band:${band.key}`) },
  ];
}
