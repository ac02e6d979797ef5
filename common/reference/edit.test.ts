import { describe, expect, it } from 'vitest';
import { createEntry, editEntry, setDiagnosisEntry, setEntryActive } from './edit.ts';
import { chunksFromEntries } from './icd10-chunks.ts';
import { MEDICAMENT_SEED } from './medicaments-seed.ts';
import { starterDistricts, starterMedicaments } from './starter-docs.ts';
import type { District, Medicament } from './types.ts';

const created = { by: 'admin', at: '2026-01-10T09:00:00.000Z' };
const edited = { by: 'olga', at: '2026-02-01T12:00:00.000Z' };
const morphine = { ...(starterMedicaments(created)[1] as Medicament), _rev: '1-a' };
const district = starterDistricts(created)[0] as District;

describe('editing reference entries', () => {
  it('creates an active entry stamped with its author', () => {
    const result = createEntry<District>(
      'district',
      'test-okrug',
      {
        name: 'Тестовый муниципальный округ',
        kind: 'municipal-okrug',
        centre: 'Тестово',
        region: 'Республика Карелия',
      },
      created,
    );
    expect(result).toEqual({
      ok: true,
      doc: expect.objectContaining({
        _id: 'district:test-okrug',
        type: 'district',
        active: true,
        createdBy: 'admin',
        updatedAt: created.at,
      }),
    });
  });

  it('refuses to create an invalid entry, naming its fields', () => {
    const { slug, ...fields } = MEDICAMENT_SEED[1] ?? { slug: '' };
    expect(createEntry<Medicament>('medicament', slug, fields as never, created).ok).toBe(true);
    const result = createEntry<Medicament>('medicament', 'Морфин', { ...fields, strength: -1 } as never, created);
    expect(result.ok ? [] : result.errors.map((error) => error.field)).toEqual(['_id', 'strength']);
  });

  it('edits fields, keeping id, type, revision, state and creation stamp', () => {
    const sneaky = {
      tradeNames: ['Морфин МЭЗ'],
      _id: 'medicament:other',
      createdBy: 'mallory',
      active: false,
    } as never;
    const result = editEntry(morphine, sneaky, edited);
    expect(result).toEqual({
      ok: true,
      doc: { ...morphine, tradeNames: ['Морфин МЭЗ'], updatedBy: 'olga', updatedAt: edited.at },
    });
  });

  it('refuses an edit that breaks the document, naming the field and the reason', () => {
    expect(editEntry(morphine, { morphineFactor: 0 }, edited)).toEqual({
      ok: false,
      errors: [{ field: 'morphineFactor', message: 'Коэффициент — положительное число или «нет коэффициента».' }],
    });
  });

  it('deactivates and reactivates instead of deleting', () => {
    const off = setEntryActive(district, false, edited);
    expect(off).toMatchObject({ ok: true, doc: { _id: district._id, active: false, updatedBy: 'olga' } });
    if (off.ok) expect(setEntryActive(off.doc, true, created)).toMatchObject({ ok: true, doc: { active: true } });
  });

  it('adds, renames and takes out of force an ICD-10 code inside its chunk, never removing it', () => {
    const [chunk] = chunksFromEntries(
      [{ code: 'C34', name: 'Злокачественное новообразование бронхов и легкого', actual: true }],
      created,
    );
    if (!chunk) throw new Error('no chunk');
    const added = setDiagnosisEntry(
      chunk,
      { code: 'C34.9', name: 'Неуточненной локализации', parent: 'C34', actual: true },
      edited,
    );
    if (!added.ok) throw new Error('refused');
    const retired = setDiagnosisEntry(
      added.doc,
      { code: 'C34.9', name: 'Неуточненной локализации', parent: 'C34', actual: false },
      edited,
    );
    expect(retired.ok && retired.doc.entries.map((entry) => [entry.code, entry.actual])).toEqual([
      ['C34', true],
      ['C34.9', false],
    ]);
    expect(setDiagnosisEntry(chunk, { code: 'D48', name: 'x', actual: true }, edited)).toEqual({
      ok: false,
      errors: [{ field: 'entries[1].code', message: 'Код D48 не относится к части «C».' }],
    });
  });
});
