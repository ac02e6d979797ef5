/**
 * The pseudonymous half of a synthetic patient: disease group, ICD-10 diagnoses from the starter list
 * (common/reference/icd10-starter.ts), the basis of eligibility that goes with them, care setting, needs and
 * caregivers. Mixes follow what palliative registers report: most patients have cancer, a few terminal HIV, the
 * rest organ failure, neurodegenerative disease or dementia; children are there with cerebral palsy.
 */
import type {
  CareSetting,
  CaregiverAvailability,
  Diagnosis,
  DiseaseGroup,
  EligibilityBasis,
  Need,
  NeedState,
  Sex,
} from '../../common/records/types.ts';
import { addDays, between, chance, pick, pickSome, weighted, type Random } from './random.ts';

export interface Condition {
  diseaseGroup: DiseaseGroup;
  eligibility: EligibilityBasis;
  diagnoses: Diagnosis[];
  /** What drives the medicines: cancer pain, breathlessness, heart failure… */
  kind: 'cancer' | 'hiv' | 'heart' | 'lung' | 'liver' | 'kidney' | 'neuro' | 'dementia' | 'frailty' | 'child';
}

const CANCERS: Readonly<Record<string, Sex | 'any'>> = {
  C15: 'any',
  C16: 'any',
  C18: 'any',
  C20: 'any',
  C22: 'any',
  C25: 'any',
  C32: 'male',
  C34: 'any',
  C43: 'any',
  C50: 'female',
  C53: 'female',
  C54: 'female',
  C56: 'female',
  C61: 'male',
  C64: 'any',
  C67: 'any',
  C71: 'any',
  C85: 'any',
  C90: 'any',
  C92: 'any',
};

const OTHERS: readonly { code: string; kind: Condition['kind']; eligibility: EligibilityBasis }[] = [
  { code: 'I50', kind: 'heart', eligibility: 'organ-failure' },
  { code: 'J44', kind: 'lung', eligibility: 'organ-failure' },
  { code: 'J84.1', kind: 'lung', eligibility: 'chronic-progressive' },
  { code: 'K74.6', kind: 'liver', eligibility: 'organ-failure' },
  { code: 'N18.5', kind: 'kidney', eligibility: 'organ-failure' },
  { code: 'G12.2', kind: 'neuro', eligibility: 'neurodegenerative' },
  { code: 'G20', kind: 'neuro', eligibility: 'neurodegenerative' },
  { code: 'G35', kind: 'neuro', eligibility: 'neurodegenerative' },
  { code: 'G30', kind: 'dementia', eligibility: 'severe-dementia' },
  { code: 'F01', kind: 'dementia', eligibility: 'severe-dementia' },
  { code: 'F03', kind: 'dementia', eligibility: 'severe-dementia' },
  { code: 'I69', kind: 'frailty', eligibility: 'severe-injury-consequences' },
  { code: 'R54', kind: 'frailty', eligibility: 'other' },
];

function since(random: Random, inclusion: string, maxMonths: number): string {
  return addDays(inclusion, -between(random, 14, maxMonths * 30));
}

/** Diagnoses with their roles; `inclusion` bounds their dates. */
export function conditionFor(random: Random, sex: Sex, age: number, inclusion: string): Condition {
  if (age < 18) {
    const diagnoses: Diagnosis[] = [{ code: 'G80', role: 'main', since: since(random, inclusion, age * 12 + 1) }];
    return { diseaseGroup: 'other-progressive', eligibility: 'congenital-or-perinatal', diagnoses, kind: 'child' };
  }
  const group = weighted(random, { cancer: 78, 'hiv-terminal': 3, 'other-progressive': 19 });
  if (group === 'cancer') {
    const codes = Object.keys(CANCERS).filter((code) => CANCERS[code] === 'any' || CANCERS[code] === sex);
    const main = pick(random, codes);
    const diagnoses: Diagnosis[] = [{ code: main, role: 'main', since: since(random, inclusion, 30) }];
    const spread = pickSome(random, ['C77', 'C78', 'C79'], chance(random, 0.7) ? between(random, 1, 2) : 0);
    for (const code of spread) diagnoses.push({ code, role: 'secondary', since: since(random, inclusion, 6) });
    if (chance(random, 0.3)) diagnoses.push({ code: 'R64', role: 'complication' });
    return { diseaseGroup: 'cancer', eligibility: 'incurable-cancer', diagnoses, kind: 'cancer' };
  }
  if (group === 'hiv-terminal') {
    const main = pick(random, ['B20', 'B22', 'B23', 'B24']);
    const diagnoses: Diagnosis[] = [{ code: main, role: 'main', since: since(random, inclusion, 120) }];
    if (chance(random, 0.4)) diagnoses.push({ code: 'R64', role: 'complication' });
    return { diseaseGroup: 'hiv-terminal', eligibility: 'terminal-hiv', diagnoses, kind: 'hiv' };
  }
  const other = pick(random, OTHERS);
  const diagnoses: Diagnosis[] = [{ code: other.code, role: 'main', since: since(random, inclusion, 96) }];
  if (other.kind === 'lung' && chance(random, 0.5)) diagnoses.push({ code: 'J96.1', role: 'complication' });
  if (other.kind === 'heart' && chance(random, 0.3)) diagnoses.push({ code: 'N18.5', role: 'secondary' });
  return { diseaseGroup: 'other-progressive', eligibility: other.eligibility, diagnoses, kind: other.kind };
}

export function careSettingFor(random: Random, condition: Condition): CareSetting {
  if (condition.kind === 'dementia' && chance(random, 0.3)) return 'care-home';
  return weighted(random, {
    home: 70,
    hospice: 12,
    'palliative-ward': 8,
    'care-home': 4,
    'other-hospital': 3,
    'day-care': 3,
  });
}

const NEEDS_BY_KIND: Readonly<Record<Condition['kind'], readonly Need[]>> = {
  cancer: ['functional-bed', 'anti-decubitus-mattress', 'wheelchair', 'commode-chair', 'stoma-care', 'pain-pump'],
  hiv: ['functional-bed', 'anti-decubitus-mattress', 'wheelchair', 'tube-feeding'],
  heart: ['oxygen-concentrator', 'functional-bed', 'walker', 'commode-chair'],
  lung: ['oxygen-concentrator', 'respiratory-support', 'functional-bed', 'suction-device'],
  liver: ['functional-bed', 'anti-decubitus-mattress', 'commode-chair'],
  kidney: ['functional-bed', 'catheter-care', 'walker'],
  neuro: ['respiratory-support', 'tube-feeding', 'suction-device', 'wheelchair', 'functional-bed', 'catheter-care'],
  dementia: ['functional-bed', 'anti-decubitus-mattress', 'tube-feeding', 'catheter-care'],
  frailty: ['walker', 'wheelchair', 'functional-bed', 'commode-chair'],
  child: ['respiratory-support', 'tube-feeding', 'wheelchair', 'suction-device'],
};

export function needsFor(random: Random, condition: Condition): Partial<Record<Need, NeedState>> {
  const needs: Partial<Record<Need, NeedState>> = {};
  for (const need of pickSome(random, NEEDS_BY_KIND[condition.kind], between(random, 0, 3))) {
    needs[need] = { needed: true, met: chance(random, 0.6) };
  }
  return needs;
}

export function caregiverFor(random: Random): CaregiverAvailability {
  return weighted(random, { available: 55, partial: 30, none: 15 });
}
