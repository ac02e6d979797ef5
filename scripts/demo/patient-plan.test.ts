import { describe, expect, it } from 'vitest';
import { newPatientRecord, newPrescription, newVisit } from '../../client/records/record-documents.ts';
import { validatePassportData } from '../../common/records/passport.ts';
import { validatePatientRecord } from '../../common/records/patient.ts';
import { dailyMorphineEquivalent, validatePrescription } from '../../common/records/prescription.ts';
import { validateVisit } from '../../common/records/visit.ts';
import { starterMedicaments } from '../../common/reference/starter-docs.ts';
import { DEFAULT_TODAY } from './generate.ts';
import { planPatient, type PatientPlan, type PlanStep } from './patient-plan.ts';
import { patientRandom } from './random.ts';

const PATIENT = '3f0c6a52-8d1e-4b7a-9c2f-5e6d7a8b9c0d';
const DOC = '9b2e4c1a-0f3d-4e5b-8a6c-7d8e9f0a1b2c';
const SEALED = { v: 1 as const, kid: 'demo-1:1', iv: 'AAECAwQFBgcICQoL', ct: 'Y2lwaGVydGV4dA' };
const WRITER = { login: 'doctor-demo-1', at: '2026-10-01T08:00:00.000Z' };
const MEDICAMENTS = new Map(starterMedicaments({ by: 'admin', at: WRITER.at }).map((m) => [m._id, m]));

function plans(count: number, seed = 7, facilityId = 'demo-1'): PatientPlan[] {
  return Array.from({ length: count }, (_, index) =>
    planPatient(patientRandom(seed, facilityId, index), DEFAULT_TODAY, true),
  );
}

function created(plan: PatientPlan): Extract<PlanStep, { kind: 'create' }> {
  const step = plan.steps[0];
  if (step?.kind !== 'create') throw new Error('a plan starts with the registration');
  return step;
}

const PLANS = plans(400);

// Hundreds of plans per test: a machine shared with other work needs more than the default five seconds.
describe('synthetic patient plans', { timeout: 60_000 }, () => {
  it('are the same for the same seed, facility and number, and differ otherwise', () => {
    expect(plans(20)).toEqual(plans(20));
    expect(plans(20, 8)).not.toEqual(plans(20));
    expect(plans(20, 7, 'demo-2')).not.toEqual(plans(20));
  });

  it('register patients with passports and records the forms would accept', () => {
    for (const plan of PLANS) {
      const { input, on, by } = created(plan);
      expect(validatePassportData({ ...input.passport, patientId: PATIENT }, on)).toEqual([]);
      const record = newPatientRecord(PATIENT, input, by === 'doctor', WRITER);
      expect(validatePatientRecord(record, on)).toEqual([]);
      expect(input.passport.sex).toBe(input.record.sex);
      expect(input.record.inclusionDate).toBe(on);
    }
  });

  it('put every step in date order, from the inclusion to at most today, and nothing after a death', () => {
    for (const plan of PLANS) {
      const dates = plan.steps.map((step) => step.on);
      expect(dates).toEqual([...dates].sort());
      expect(dates[0]).toBe(created(plan).input.record.inclusionDate);
      expect(dates.every((date) => date <= DEFAULT_TODAY)).toBe(true);
      const death = plan.steps.find((step) => step.kind === 'status' && step.change.status === 'deceased');
      if (death?.kind === 'status' && death.change.status === 'deceased') {
        expect(death.change.death.date >= created(plan).on).toBe(true);
        const after = plan.steps.filter((step) => step.on > death.on);
        expect(after.every((step) => step.kind === 'cancel')).toBe(true);
      }
      for (const step of plan.steps) {
        if (step.kind === 'visit') {
          const visit = newVisit(`visit:${PATIENT}:${DOC}`, step.input, undefined, WRITER);
          expect(validateVisit(visit, step.on)).toEqual([]);
          expect(step.input.performerRole).toBe(step.by);
        }
      }
      if (plan.outcome === 'pending') {
        expect(plan.creator).toBe('nurse');
        expect(plan.steps.every((step) => step.by === 'nurse')).toBe(true);
      }
    }
  });

  it('write prescriptions whose doses the validators and the morphine conversion accept', () => {
    for (const plan of PLANS) {
      const written = new Map<number, string>();
      for (const step of plan.steps) {
        if (step.kind === 'prescribe') {
          const { number, ...rest } = step.input;
          const prescription = newPrescription(
            `prescription:${PATIENT}:${DOC}`,
            rest,
            number ? SEALED : undefined,
            WRITER,
          );
          const medicament = MEDICAMENTS.get(step.input.medicamentId);
          expect(medicament, step.input.medicamentId).toBeDefined();
          expect(validatePrescription(prescription, { medicamentExists: (id) => MEDICAMENTS.has(id) })).toEqual([]);
          if (medicament && medicament.opioidClass !== 'none') {
            expect(dailyMorphineEquivalent(prescription, medicament).kind).not.toBe('invalid');
          }
          expect(step.on).toBe(step.input.start);
          written.set(step.key, step.input.start);
        } else if (step.kind === 'cancel') {
          expect((written.get(step.key) ?? '9999') <= step.on).toBe(true);
          expect(step.reason.trim()).not.toBe('');
        }
      }
    }
  });

  it('mix outcomes, opioid courses and visits about as the register expects', () => {
    const many = plans(1000, 11);
    const outcomes = new Map<string, number>();
    let visits = 0;
    let prescriptions = 0;
    const medicines = new Set<string>();
    for (const plan of many) {
      outcomes.set(plan.outcome, (outcomes.get(plan.outcome) ?? 0) + 1);
      // The statuses a doctor records follow one another, and a death is the last of them.
      const statuses = plan.steps.flatMap((step) => (step.kind === 'status' ? [step.change] : []));
      expect(statuses.map((change) => change.from)).toEqual(statuses.map((change) => change.from).sort());
      expect(statuses.slice(0, -1).some((change) => change.status === 'deceased')).toBe(false);
      for (const step of plan.steps) {
        if (step.kind === 'visit') visits += 1;
        if (step.kind === 'prescribe') {
          prescriptions += 1;
          medicines.add(`${step.input.medicamentId}|${step.input.regimen}|${step.input.doseUnit}`);
        }
      }
    }
    expect(visits / many.length).toBeGreaterThan(6);
    expect(visits / many.length).toBeLessThan(10);
    expect(prescriptions / many.length).toBeGreaterThan(7);
    expect(prescriptions / many.length).toBeLessThan(13);
    for (const outcome of ['active', 'pending', 'deceased', 'excluded'])
      expect(outcomes.get(outcome) ?? 0).toBeGreaterThan(5);
    const all = [...medicines].join(' ');
    expect(all).toContain('fentanyl-patch');
    expect(all).toContain('as-needed');
    expect(all).toContain('morphine-prolonged');
  });
});
