/**
 * `npm run demo -- [--facilities F] [--patients N] [--seed S] [--today YYYY-MM-DD] [--force]`
 *
 * Against a running register (`npm start`, same `PORT`/`HOST`, or `DEMO_URL`), as its first administrator
 * (`ADMIN_USERNAME`, `ADMIN_PASSWORD`): makes facilities `demo-1` … `demo-F` with their keys, a doctor, a nurse and
 * an analyst for each (`doctor-demo-1` …; password `DEMO_PASSWORD`, or a strong one generated and printed once),
 * and N synthetic patients per facility written through the app's records layer, then prints what it made. The
 * same seed gives the same data (dated up to `--today`, by default a fixed day). It refuses to run beside real
 * data unless `--force` is given (store-check.ts).
 */
import { pathToFileURL } from 'node:url';
import { DEFAULT_TODAY } from './generate.ts';
import { runDemo, type DemoOptions, type DemoReport } from './run-demo.ts';

export const DEFAULTS = { facilities: 2, patients: 50, seed: 1 } as const;

/** Wrong command-line input: the message says what is expected. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function wholeNumber(flag: string, value: string | undefined, min: number, max: number): number {
  const number = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || number < min || number > max) {
    throw new UsageError(`${flag} expects a whole number from ${min} to ${max}.`);
  }
  return number;
}

/** The day the data ends on: the fixed default unless asked otherwise, and never after the real today. */
function todayOf(value: string | undefined, now: Date): string {
  const real = now.toISOString().slice(0, 10);
  if (value !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
      throw new UsageError('--today expects a date written YYYY-MM-DD.');
    }
    if (value > real) throw new UsageError('--today may not be in the future: the register refuses future dates.');
    return value;
  }
  return DEFAULT_TODAY < real ? DEFAULT_TODAY : real;
}

/** Options from the command line and the environment (the same variables as `npm start`). */
export function parseDemoArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  now = new Date(),
): DemoOptions {
  const values = new Map<string, string | undefined>();
  let force = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (flag === '--force') force = true;
    else if (['--facilities', '--patients', '--seed', '--today', '--batch'].includes(flag)) {
      values.set(flag, inline ?? argv[(i += 1)]);
    } else throw new UsageError(`Unknown argument "${arg}". ${USAGE}`);
  }
  const adminPassword = env.ADMIN_PASSWORD ?? '';
  if (adminPassword === '') {
    throw new UsageError(
      'ADMIN_PASSWORD не задан: укажите пароль первого администратора (npm start печатает одноразовый). · ' +
        "ADMIN_PASSWORD is not set: give the first administrator's password (npm start prints the one-time one).",
    );
  }
  const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
  return {
    baseUrl: env.DEMO_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${env.PORT ?? '8080'}`,
    facilities: values.has('--facilities')
      ? wholeNumber('--facilities', values.get('--facilities'), 1, 99)
      : DEFAULTS.facilities,
    patients: values.has('--patients')
      ? wholeNumber('--patients', values.get('--patients'), 0, 1_000_000)
      : DEFAULTS.patients,
    seed: values.has('--seed') ? wholeNumber('--seed', values.get('--seed'), 0, 2 ** 32 - 1) : DEFAULTS.seed,
    adminUsername: env.ADMIN_USERNAME ?? 'admin',
    adminPassword,
    ...(env.DEMO_PASSWORD ? { demoPassword: env.DEMO_PASSWORD } : {}),
    today: todayOf(values.get('--today'), now),
    force,
    ...(values.has('--batch') ? { batchSize: wholeNumber('--batch', values.get('--batch'), 1, 10_000) } : {}),
  };
}

export const USAGE =
  'Usage: npm run demo -- [--facilities F] [--patients N] [--seed S] [--today YYYY-MM-DD] [--batch B] [--force]';

/** The summary printed at the end: what was made, where, and how to log in. */
export function formatReport(report: DemoReport): string {
  const lines = [
    `Демо-данные готовы · Demo data ready: ${report.url} (данные по ${report.today} · dated up to ${report.today})`,
    '',
  ];
  for (const facility of report.facilities) {
    const counts = facility.counts;
    const made = counts
      ? `${counts.patients} patients (${counts.outcomes.active} active, ${counts.outcomes.pending} pending, ` +
        `${counts.outcomes.deceased} deceased, ${counts.outcomes.excluded} excluded), ${counts.visits} visits, ` +
        `${counts.prescriptions} prescriptions (${counts.cancelled} cancelled), ${counts.documents} documents`
      : `${facility.patients} patients already there, nothing added · пациенты уже есть, ничего не добавлено`;
    lines.push(`  ${facility.database}  «${facility.name}»: ${made}`);
  }
  lines.push('', 'Входы · Logins (role, login, password):');
  for (const login of report.logins) {
    const password = login.password ?? '(задан ранее · set by an earlier run)';
    lines.push(`  ${login.role.padEnd(8)} ${login.login.padEnd(22)} ${password}`);
  }
  const admin = report.administrator;
  lines.push(
    `  ${'admin'.padEnd(8)} ${admin.login.padEnd(22)} ${admin.newPassword ?? '(ADMIN_PASSWORD, без изменений · unchanged)'}`,
  );
  for (const note of admin.notes) lines.push(`  ${note}`);
  const codes = report.facilities.filter((facility) => facility.recoveryCode);
  if (codes.length > 0) {
    lines.push('', 'Коды восстановления ключей (хранить в сейфе) · Key recovery codes (keep them in a safe):');
    for (const facility of codes) lines.push(`  ${facility.id}: ${facility.recoveryCode ?? ''}`);
  }
  const { documents, generateMs, uploadMs } = report.timing;
  if (documents > 0) {
    const seconds = (generateMs + uploadMs) / 1000;
    lines.push(
      '',
      `Сгенерировано, зашифровано и загружено · generated, sealed and uploaded: ${documents} documents in ` +
        `${seconds.toFixed(1)} s (${Math.round(documents / Math.max(seconds, 0.001))} documents/s; ` +
        `waiting for the store ${(uploadMs / 1000).toFixed(1)} s).`,
    );
  }
  lines.push(`Пароли показаны один раз · Passwords are shown once.`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  let options: DemoOptions;
  try {
    options = parseDemoArgs(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
    return;
  }
  try {
    const report = await runDemo(options, (line) => console.error(line));
    console.log(formatReport(report));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unreachable = /fetch failed|ECONNREFUSED|cannot be reached/i.test(message);
    console.error(
      unreachable
        ? `Регистр не отвечает по ${options.baseUrl} (запустите npm start) · No register answers at ${options.baseUrl} (start it with npm start).`
        : message,
    );
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
