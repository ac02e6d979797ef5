/**
 * One synthetic patient's story as the steps staff would take in the app, each on its day: registration (by the
 * doctor, or by a nurse as "pending" until the doctor confirms), visits with scales, prescriptions and their
 * cancellations, and the end of care — death with its place, or exclusion with its reason. Pure: the plan is drawn
 * from the patient's own random stream and carries only what the forms take; generate.ts plays it through the
 * records layer. Inclusions spread over the year before `today`; survival is drawn per disease, so deaths, the
 * patients still in care and their visits and prescriptions spread over months.
 */
import type { PatientInput, PrescriptionInput, StatusChange, VisitInput } from '../../client/records/records-api.ts';
import type { DeathPlace, EsasItem, ExclusionReason, Need, Syndrome, VisitType } from '../../common/records/types.ts';
import { ESAS_ITEMS } from '../../common/records/types.ts';
import { careSettingFor, caregiverFor, conditionFor, needsFor, type Condition } from './clinical.ts';
import { prescriptionsFor } from './medication.ts';
import { passportInput } from './people.ts';
import { addDays, between, chance, daysBetween, minDate, pick, pickSome, weighted, type Random } from './random.ts';

export type Actor = 'doctor' | 'nurse';

export type PlanStep =
  | { kind: 'create'; by: Actor; on: string; input: PatientInput }
  | { kind: 'status'; by: 'doctor'; on: string; change: StatusChange }
  | { kind: 'visit'; by: Actor; on: string; input: VisitInput }
  | { kind: 'prescribe'; by: 'doctor'; on: string; key: number; input: PrescriptionInput }
  | { kind: 'cancel'; by: 'doctor'; on: string; key: number; reason: string };

export type Outcome = 'active' | 'pending' | 'deceased' | 'excluded';

export interface PatientPlan {
  creator: Actor;
  outcome: Outcome;
  /** In the order they happen (by day, then as staff would do them that day). */
  steps: PlanStep[];
}

const STEP_ORDER: Readonly<Record<PlanStep['kind'], number>> = {
  create: 0,
  prescribe: 1,
  cancel: 2,
  visit: 3,
  status: 4,
};

const VISIT_NOTES = [
  'Состояние стабильное, боль контролируется. Родственники обучены уходу.',
  'Жалобы на слабость, аппетит снижен. Рекомендовано дробное питание.',
  'Боль усилилась к вечеру, принимает дозу по требованию два раза в сутки.',
  'Проведена обработка пролежня, даны рекомендации по смене положения.',
  'Одышка при минимальной нагрузке, кислородный концентратор используется по ночам.',
  'Запор на фоне опиоидов, скорректирована доза лактулозы.',
  'Беседа с семьёй о плане помощи, вопросы по оформлению инвалидности.',
  'Сон нарушен, тревожность. Консультация психолога запрошена.',
];

const EXCLUSION_NOTES: Partial<Record<ExclusionReason, string>> = {
  'moved-away': 'Переехал к родственникам в другой регион.',
  'refused-care': 'Письменный отказ от паллиативной помощи.',
  'condition-improved': 'Состояние улучшилось после лечения, критерии не выполняются.',
};

const SYNDROMES_BY_KIND: Readonly<Record<Condition['kind'], readonly Syndrome[]>> = {
  cancer: ['cachexia', 'nausea-vomiting', 'constipation', 'fatigue', 'ascites', 'anxiety-depression', 'insomnia'],
  hiv: ['cachexia', 'fatigue', 'nausea-vomiting', 'delirium', 'anxiety-depression'],
  heart: ['dyspnoea', 'oedema', 'fatigue', 'insomnia'],
  lung: ['dyspnoea', 'fatigue', 'anxiety-depression', 'insomnia'],
  liver: ['ascites', 'oedema', 'fatigue', 'bleeding'],
  kidney: ['oedema', 'nausea-vomiting', 'fatigue'],
  neuro: ['dysphagia', 'pressure-ulcers', 'constipation', 'fatigue'],
  dementia: ['delirium', 'pressure-ulcers', 'dysphagia', 'insomnia'],
  frailty: ['fatigue', 'pressure-ulcers', 'constipation'],
  child: ['dysphagia', 'constipation', 'pressure-ulcers'],
};

/** Median survival after inclusion, days, by what the patient has. */
function survivalDays(random: Random, condition: Condition): number {
  const median = condition.kind === 'cancer' || condition.kind === 'hiv' ? 120 : 540;
  return Math.max(1, Math.round(-median * Math.log2(1 - random())));
}

const KARNOFSKY_BY_ECOG = [90, 70, 50, 40, 20];

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function visitInput(
  random: Random,
  on: string,
  by: Actor,
  progress: number,
  relieved: boolean,
  condition: Condition,
  setting: string,
): VisitInput {
  const inpatient = setting === 'hospice' || setting === 'palliative-ward' || setting === 'other-hospital';
  const visitType: VisitType = inpatient
    ? 'inpatient'
    : by === 'nurse'
      ? weighted(random, { home: 9, phone: 1 })
      : weighted(random, { home: 5, office: 2, phone: 3 });
  const ecog = clamp(Math.round(2 + 2 * progress + (random() - 0.5)), 0, 4);
  const pain = relieved ? between(random, 0, 4) : between(random, 3, 8);
  const esas: Partial<Record<EsasItem, number>> = {};
  for (const item of ESAS_ITEMS) esas[item] = item === 'pain' ? pain : clamp(between(random, 1, 5) + ecog - 2, 0, 10);
  const syndromes: Syndrome[] = [
    ...(pain >= 4 ? (['pain'] as Syndrome[]) : []),
    ...pickSome(random, SYNDROMES_BY_KIND[condition.kind], between(random, 0, 2)),
  ];
  const noticed: Need[] = chance(random, 0.1)
    ? [pick(random, ['functional-bed', 'wheelchair', 'commode-chair'] as const)]
    : [];
  const scales =
    visitType === 'phone'
      ? {}
      : {
          ecog,
          karnofsky: clamp((KARNOFSKY_BY_ECOG[ecog] ?? 50) + 10 * between(random, -1, 1), 10, 100),
          pps: clamp((KARNOFSKY_BY_ECOG[ecog] ?? 50) + 10 * between(random, -1, 0), 10, 100),
        };
  return {
    date: on,
    visitType,
    performerRole: by,
    ...scales,
    pain,
    esas,
    syndromes,
    needsNoticed: noticed,
    ...(chance(random, 0.25) ? { note: pick(random, VISIT_NOTES) } : {}),
  };
}

function deathPlace(random: Random, setting: string): DeathPlace {
  if (setting === 'hospice') return weighted(random, { hospice: 85, hospital: 10, other: 5 });
  if (setting === 'home') return weighted(random, { home: 60, hospital: 25, hospice: 12, other: 3 });
  return weighted(random, { hospital: 60, hospice: 25, home: 10, other: 5 });
}

/** The plan of one patient. `nurses`: whether a nurse works in the facility (else the doctor does everything). */
export function planPatient(random: Random, today: string, nurses: boolean): PatientPlan {
  const inclusion = addDays(today, -between(random, 0, 364));
  const { passport, districtId } = passportInput(random, inclusion);
  const age = Number(inclusion.slice(0, 4)) - Number(passport.birthDate.slice(0, 4));
  const condition = conditionFor(random, passport.sex, age, inclusion);
  const careSetting = careSettingFor(random, condition);
  const input: PatientInput = {
    passport,
    record: {
      sex: passport.sex,
      districtId,
      diseaseGroup: condition.diseaseGroup,
      diagnoses: condition.diagnoses,
      eligibility: condition.eligibility,
      inclusionDate: inclusion,
      careSetting,
      needs: needsFor(random, condition),
      caregiver: caregiverFor(random),
    },
  };
  const creator: Actor = nurses && chance(random, 0.2) ? 'nurse' : 'doctor';
  const steps: PlanStep[] = [{ kind: 'create', by: creator, on: inclusion, input }];
  let from = inclusion;
  let outcome: Outcome = 'active';
  if (creator === 'nurse') {
    const confirmed = addDays(inclusion, between(random, 1, 4));
    if (confirmed > today || (daysBetween(inclusion, today) < 21 && chance(random, 0.6))) outcome = 'pending';
    else {
      from = confirmed;
      steps.push({ kind: 'status', by: 'doctor', on: confirmed, change: { status: 'active', from: confirmed } });
    }
  }
  const death = addDays(from, survivalDays(random, condition));
  let to = minDate(death, today);
  if (outcome === 'active' && death <= today) outcome = 'deceased';
  if (outcome !== 'pending' && chance(random, 0.07) && daysBetween(from, to) > 14) {
    to = addDays(from, between(random, 7, daysBetween(from, to) - 1));
    outcome = 'excluded';
  }
  const ending = outcome === 'deceased' || outcome === 'excluded' ? outcome : null;
  const inpatient = careSetting !== 'home' && careSetting !== 'day-care' && careSetting !== 'care-home';
  const prescriptions =
    outcome === 'pending' ? [] : prescriptionsFor(random, condition, { from, to, ending, inpatient, today });
  prescriptions.forEach(({ input: prescription, cancel }, key) => {
    steps.push({ kind: 'prescribe', by: 'doctor', on: prescription.start, key, input: prescription });
    if (cancel) steps.push({ kind: 'cancel', by: 'doctor', on: cancel.on, key, reason: cancel.reason });
  });
  const painRelief = prescriptions.find(
    (p) => p.input.medicamentId.includes('morphine') || p.input.doseUnit === 'ug_per_h',
  );
  const span = Math.max(1, daysBetween(inclusion, death));
  for (let day = addDays(inclusion, between(random, 0, 2)); day <= to; day = addDays(day, between(random, 6, 22))) {
    const by: Actor =
      outcome === 'pending' || (nurses && chance(random, 0.65)) ? (nurses ? 'nurse' : 'doctor') : 'doctor';
    const visitor: Actor = by === 'doctor' && day < from ? (nurses ? 'nurse' : 'doctor') : by;
    const relieved = painRelief !== undefined && painRelief.input.start <= day;
    const progress = Math.min(1, daysBetween(inclusion, day) / span);
    steps.push({
      kind: 'visit',
      by: visitor,
      on: day,
      input: visitInput(random, day, visitor, progress, relieved, condition, careSetting),
    });
  }
  if (outcome === 'deceased') {
    const mainCode = condition.diagnoses[0]?.code;
    const change: StatusChange = {
      status: 'deceased',
      from: death,
      death: { date: death, ...(mainCode ? { causeCode: mainCode } : {}), place: deathPlace(random, careSetting) },
    };
    steps.push({ kind: 'status', by: 'doctor', on: death, change });
  } else if (outcome === 'excluded') {
    const reason: ExclusionReason = weighted(random, {
      'moved-away': 25,
      'refused-care': 20,
      'condition-improved': 20,
      'lost-to-follow-up': 15,
      'criteria-not-met': 10,
      other: 10,
    });
    const note = EXCLUSION_NOTES[reason];
    steps.push({
      kind: 'status',
      by: 'doctor',
      on: to,
      change: { status: 'excluded', from: to, reason, ...(note ? { note } : {}) },
    });
  }
  // A confirmation comes first on its day: the doctor confirms the patient, then prescribes.
  const order = (step: PlanStep): number =>
    step.kind === 'status' && step.change.status === 'active' ? -1 : STEP_ORDER[step.kind];
  steps.sort((a, b) => a.on.localeCompare(b.on) || order(a) - order(b));
  return { creator, outcome, steps };
}
