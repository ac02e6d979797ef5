import { describe, expect, it } from 'vitest';
import { patientIdOf, validateVisit } from './visit.ts';
import { PATIENT_ID, TODAY, changed, visit } from './test-fixtures.ts';
import type { Visit } from './types.ts';

const fields = (errors: { field: string }[]) => errors.map((error) => error.field);
type Change = (doc: Visit & Record<string, unknown>) => void;

describe('visit', () => {
  it('accepts a complete visit', () => {
    expect(validateVisit(visit(), TODAY)).toEqual([]);
  });

  it.each<[string, Change]>([
    [
      'a phone call with no scales',
      (v) => {
        v.visitType = 'phone';
        delete v.ecog;
        delete v.karnofsky;
        delete v.pps;
        delete v.pain;
        delete v.esas;
        delete v.note;
      },
    ],
    ['the extremes of every scale', (v) => Object.assign(v, { ecog: 4, karnofsky: 0, pps: 100, pain: 10 })],
    [
      'all nine ESAS-r items',
      (v) =>
        (v.esas = {
          pain: 0,
          tiredness: 1,
          drowsiness: 2,
          nausea: 3,
          lackOfAppetite: 4,
          shortnessOfBreath: 5,
          depression: 6,
          anxiety: 7,
          wellbeing: 10,
        }),
    ],
    ['a visit today', (v) => (v.date = TODAY)],
  ])('accepts %s', (_what, change) => {
    expect(validateVisit(changed(visit(), change), TODAY)).toEqual([]);
  });

  it.each<[string, Change, string[]]>([
    ['a visit tomorrow', (v) => (v.date = '2026-11-30'), ['date']],
    ['an unknown visit type', (v) => (v.visitType = 'video' as 'phone'), ['visitType']],
    ['no performer', (v) => (v.performer = ''), ['performer']],
    ['a performer role that does not visit', (v) => (v.performerRole = 'analyst' as 'nurse'), ['performerRole']],
    ['ECOG 5', (v) => (v.ecog = 5), ['ecog']],
    ['ECOG 2.5', (v) => (v.ecog = 2.5), ['ecog']],
    ['Karnofsky 45', (v) => (v.karnofsky = 45), ['karnofsky']],
    ['Karnofsky 110', (v) => (v.karnofsky = 110), ['karnofsky']],
    ['PPS -10', (v) => (v.pps = -10), ['pps']],
    ['pain 11', (v) => (v.pain = 11), ['pain']],
    ['pain as text', (v) => ((v as Record<string, unknown>).pain = '5'), ['pain']],
    ['an ESAS-r item above 10', (v) => (v.esas = { nausea: 11 }), ['esas.nausea']],
    ['an unknown ESAS-r item', (v) => ((v.esas as Record<string, unknown>).itch = 3), ['esas.itch']],
    ['an unknown syndrome', (v) => (v.syndromes as string[]).push('sadness'), ['syndromes[2]']],
    ['a syndrome twice', (v) => v.syndromes.push('pain'), ['syndromes[2]']],
    ['needs as text', (v) => ((v as Record<string, unknown>).needsNoticed = 'bed'), ['needsNoticed']],
    ['a plaintext note', (v) => ((v as Record<string, unknown>).note = 'Дочь просила перезвонить'), ['note']],
    [
      'a note with a field beside the envelope',
      (v) => ((v.note as unknown as Record<string, unknown>).text = 'x'),
      ['note'],
    ],
    ['an id without its patient', (v) => (v._id = 'visit:9b2e4c1a-0f3d-4e5b-8a6c-7d8e9f0a1b2c'), ['_id']],
    ['a field the visit does not have', (v) => (v.comment = 'x'), ['comment']],
  ])('refuses %s', (_what, change, expected) => {
    expect(fields(validateVisit(changed(visit(), change), TODAY))).toEqual(expected);
  });

  it('tells the patient of a visit or prescription from its id', () => {
    expect(patientIdOf(visit()._id)).toBe(PATIENT_ID);
    expect(patientIdOf('visit:x:y')).toBeNull();
  });
});
