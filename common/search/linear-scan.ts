/**
 * The plain alternative to the index: every patient scored against the query with the same rules (matching.ts).
 * It is the reference the index is tested against, and the baseline the benchmark compares it with.
 */
import { type PatientHit, type PreparedPatient, evaluatePatient, scorePatient, wordMatchScore } from './matching.ts';
import { type QueryTerm, parsePatientQuery } from './query.ts';
import { TopHits } from './ranking.ts';

const baseScore = (term: QueryTerm, token: string): number =>
  term.kind === 'word' ? wordMatchScore(term.text, token) : 0;

/** The hits of `query` among `patients` (prepared with `preparePatient`), best first, at most `limit`. */
export function scanPatients(patients: Iterable<PreparedPatient>, query: string, limit = 50): PatientHit[] {
  const { terms, impossible } = parsePatientQuery(query);
  if (impossible || terms.length === 0 || !(limit > 0)) return [];
  const top = new TopHits(Math.floor(limit));
  for (const patient of patients) {
    const score = scorePatient(patient, terms, baseScore);
    if (score > 0) top.offer(score, patient);
  }
  return top.ranked().flatMap(({ patient }) => evaluatePatient(patient, terms, baseScore) ?? []);
}
