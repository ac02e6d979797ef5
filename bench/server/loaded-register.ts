/**
 * A register of its own (a child process, bench/load/register-process.ts) with the benchmark facilities, their
 * doctor and nurse, and an analyst, loaded with a generated data set through the gateway — what the server
 * benchmarks and the soak both start from. Loading is measured here, facility by facility, each with one of the
 * batch sizes tried, so that every batch size is measured on several facilities and the data is loaded once.
 */
import { facilityDatabase } from '../../common/roles.ts';
import { startRegisterProcess, type RegisterProcess } from '../load/register-process.ts';
import { ensureAccount, ensureFacility, ensureMember, logInAt, type BenchAccount } from '../load/setup.ts';
import { uploadPhases, type UploadResult } from './bulk-load.ts';
import {
  BENCH_DOCTOR,
  BENCH_NURSE,
  prepareDataSet,
  readFacilityPhases,
  totalDocuments,
  type DataSet,
  type DataSetSpec,
} from './data-set.ts';

export interface LoadedRegister {
  register: RegisterProcess;
  data: DataSet;
  facilityIds: string[];
  analyst: BenchAccount;
  /** Per facility: the batch size it was loaded with and how it went. */
  uploads: { facilityId: string; batchSize: number; result: UploadResult }[];
}

export async function startLoadedRegister(
  spec: DataSetSpec,
  batchSizes: readonly number[],
  log: (line: string) => void,
): Promise<LoadedRegister> {
  const data = await prepareDataSet(spec, log);
  log(
    data.generationMs === null
      ? `data: ${totalDocuments(data).toLocaleString('en-US')} documents from the cache ${data.dir} (${data.generator})`
      : `data: generated ${totalDocuments(data).toLocaleString('en-US')} documents in ${(data.generationMs / 1000).toFixed(1)} s (${data.generator}), cached in ${data.dir}`,
  );
  const register = await startRegisterProcess();
  try {
    const facilityIds = data.facilities.map((facility) => facility.facilityId);
    for (const id of facilityIds) await ensureFacility(register.store, id, `Учреждение ${id}`);
    const writers = [
      await ensureMember(register.store, BENCH_DOCTOR, 'doctor', facilityIds),
      await ensureMember(register.store, BENCH_NURSE, 'nurse', facilityIds),
    ];
    const analyst = await ensureAccount(register.store, 'bench-analyst', ['analyst']);
    const cookies = new Map<string, string>();
    for (const writer of writers) cookies.set(writer.login, await logInAt(register.url, writer));
    const uploads: LoadedRegister['uploads'] = [];
    for (const [index, facility] of data.facilities.entries()) {
      const batchSize = batchSizes[index % batchSizes.length] as number;
      const phases = await readFacilityPhases(facility.file);
      const result = await uploadPhases(
        register.url,
        cookies,
        facilityDatabase(facility.facilityId),
        phases,
        batchSize,
      );
      uploads.push({ facilityId: facility.facilityId, batchSize, result });
      log(
        `  loaded ${facility.facilityId}: ${result.documents} documents in ${(result.ms / 1000).toFixed(1)} s ` +
          `(batch ${batchSize}, ${Math.round(result.documents / (result.ms / 1000))} documents/s` +
          (result.refusedCount > 0 ? `, ${result.refusedCount} refused: ${result.refused[0] ?? ''}` : '') +
          ')',
      );
    }
    return { register, data, facilityIds, analyst, uploads };
  } catch (error) {
    log(register.output().slice(-3000));
    await register.stop();
    throw error;
  }
}
