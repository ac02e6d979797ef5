/**
 * The report's arithmetic alone at the benchmark's scale, without a store: generated documents are turned into
 * rows the way the cache does it (the report view's map function), held in the cache's compact form, and a summary
 * of 20 facilities is built from them. Shows what a warm report costs once the rows are in memory, and the memory
 * the rows take. `node --expose-gc --import tsx bench/report-cache/figures-in-memory.ts [patientsPerFacility]`
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { buildSummaryReport } from '../../server/reports/build-report.ts';
import { documentRow } from '../../server/reports/cache/document-row.ts';
import { FacilityRowStore } from '../../server/reports/cache/facility-rows.ts';
import type { ReportMedicament } from '../../server/reports/figures.ts';
import { generateRegister } from '../../server/reports/testing/generated-register.ts';
import { MEDICAMENT_SEED } from '../../common/reference/medicaments-seed.ts';

const perFacility = Number(process.argv[2] ?? 5000);
const facilities = Array.from({ length: 20 }, (_, n) => `bench-${String(n + 1).padStart(2, '0')}`);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const heap = (): number => (gc(), process.memoryUsage().heapUsed / 2 ** 20);

const before = heap();
const stores = new Map<string, FacilityRowStore>();
let prescriptions = 0;
for (const [index, id] of facilities.entries()) {
  // One facility at a time, so the generated documents do not all sit in memory together.
  const generated = generateRegister({
    seed: 1000 + index,
    facilities: [id, facilities[(index + 1) % facilities.length] ?? id],
    patientsPerFacility: perFacility / 2,
    firstDay: '2023-01-01',
    lastDay: '2026-10-31',
    prescriptionsPerPatient: [6, 14],
  });
  for (const [facilityId, docs] of generated.byFacility) {
    const store = stores.get(facilityId) ?? new FacilityRowStore(facilityId);
    stores.set(facilityId, store);
    for (const doc of docs) {
      store.apply(doc._id, documentRow(doc));
      if (doc.type === 'prescription') prescriptions += 1;
    }
  }
}
const held = heap() - before;
const medicaments = new Map(
  MEDICAMENT_SEED.map((m) => [`medicament:${m.slug}`, { ...m, _id: `medicament:${m.slug}` } as ReportMedicament]),
);
console.log(`rows of ${prescriptions} prescriptions held: ${held.toFixed(0)} MiB of heap`);
// PROFILE=file.cpuprofile records the reports alone (not the generation) for a profiler.
const profiler = process.env.PROFILE ? new Session() : null;
if (profiler) {
  profiler.connect();
  await new Promise((resolve) => profiler.post('Profiler.enable', () => profiler.post('Profiler.start', resolve)));
}
for (const [from, to] of [
  ['2026-01-01', '2026-06-30'],
  ['2025-01-01', '2025-12-31'],
  ['2026-10-01', '2026-10-31'],
]) {
  const period = { from: from ?? '', to: to ?? '', nextDays: 30 };
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const rows = facilities.map((id) => stores.get(id)?.rowsFor(period));
    const selected = performance.now();
    buildSummaryReport({
      period,
      facilities: facilities.map((id, n) => ({
        id,
        name: id,
        rows: rows[n] ?? { facilityId: id, patients: [], visits: [], prescriptions: [], skipped: 0 },
      })),
      medicaments,
      suppressed: true,
    });
    const done = performance.now();
    const used = process.cpuUsage(cpu);
    const count = rows.reduce((sum, r) => sum + (r?.prescriptions.length ?? 0), 0);
    console.log(
      `${from}…${to}: ${count} prescriptions selected in ${(selected - started).toFixed(0)} ms, ` +
        `report ${(done - selected).toFixed(0)} ms; CPU ${((used.user + used.system) / 1000).toFixed(0)} ms in all`,
    );
  }
}
if (profiler) {
  profiler.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(process.env.PROFILE ?? '', JSON.stringify(result.profile));
  });
}
