/**
 * The pure rules of the patient list and of dated histories: diagnosis filters by code and range, the latest scales
 * from visits, ages, and where a dated entry goes in a history.
 */
import { assert } from '@open-wc/testing';
import { ageOn, diagnosisMatches, withVisit } from './patient-listing.ts';
import { withHistoryEntry } from './record-documents.ts';

describe('patient listing rules', () => {
  const diagnosisCases: [string, string, boolean][] = [
    ['C34.1', 'C34', true],
    ['C34', 'C34', true],
    ['C34.1', 'c34.1', true],
    ['C340', 'C34.1', false],
    ['C35', 'C34', false],
    ['C34.1', 'C30-C39', true],
    ['C39', 'C30–C39', true],
    ['C39.8', 'C30-C39', true],
    ['C40', 'C30-C39', false],
    ['C29.9', 'C30-C39', false],
    ['D10', 'C00-D48', true],
  ];
  for (const [code, filter, expected] of diagnosisCases) {
    it(`${expected ? 'matches' : 'does not match'} ${code} with the filter "${filter}"`, () => {
      assert.equal(diagnosisMatches(code, filter), expected);
    });
  }

  it('keeps the most recent value of each scale, whichever visit recorded it', () => {
    let latest = withVisit(undefined, { date: '2026-11-01', ecog: 2, pps: 60, pain: 3 });
    latest = withVisit(latest, { date: '2026-11-10', pain: 7 });
    latest = withVisit(latest, { date: '2026-10-20', ecog: 1 });
    assert.deepEqual(latest, {
      lastVisit: '2026-11-10',
      ecog: { date: '2026-11-01', value: 2 },
      pps: { date: '2026-11-01', value: 60 },
      pain: { date: '2026-11-10', value: 7 },
    });
  });

  it('counts whole years of age', () => {
    assert.equal(ageOn('1950-03-12', '2026-03-11'), 75);
    assert.equal(ageOn('1950-03-12', '2026-03-12'), 76);
  });

  it('puts a dated entry in order, replacing one of the same date', () => {
    const history = [
      { from: '2026-11-01', setting: 'home' },
      { from: '2026-11-20', setting: 'hospice' },
    ];
    assert.deepEqual(
      withHistoryEntry(history, { from: '2026-11-25', setting: 'home' }).map((entry) => entry.from),
      ['2026-11-01', '2026-11-20', '2026-11-25'],
    );
    assert.deepEqual(withHistoryEntry(history, { from: '2026-11-10', setting: 'day-care' }), [
      { from: '2026-11-01', setting: 'home' },
      { from: '2026-11-10', setting: 'day-care' },
      { from: '2026-11-20', setting: 'hospice' },
    ]);
    assert.deepEqual(withHistoryEntry(history, { from: '2026-11-20', setting: 'day-care' }), [
      { from: '2026-11-01', setting: 'home' },
      { from: '2026-11-20', setting: 'day-care' },
    ]);
  });
});
