/**
 * `npm start`: reads the configuration, starts the register and prints where it runs and how the first
 * administrator logs in. A configuration that cannot work ends start-up with one clear line.
 */
import { readConfig } from './config.ts';
import { startRegister } from './register.ts';
import { ConfigError } from './errors.ts';

async function main(): Promise<void> {
  const config = readConfig();
  const register = await startRegister(config);
  const mode = config.couchUrl ? `external CouchDB at ${config.couchUrl}` : `embedded store, data in ${config.dataDir}`;
  const lines = [`Register of Palliative Patients is running at ${register.url}  (${mode})`];
  if (register.provisioned.oneTimePassword) {
    lines.push(
      `First administrator: login "${config.adminUsername}", one-time password ${register.provisioned.oneTimePassword}`,
    );
    lines.push('  It is shown only this once; you will choose your own password at first login.');
  } else if (register.provisioned.adminCreated) {
    lines.push(
      `First administrator: login "${config.adminUsername}", password from ADMIN_PASSWORD (change it after the first login).`,
    );
  } else {
    lines.push(`Administrator login: "${config.adminUsername}" (already set up).`);
  }
  console.log(lines.join('\n'));
  const shutdown = (): void => {
    register.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`Cannot start: ${error.message}`);
  else console.error(`Cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
