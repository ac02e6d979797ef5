import { describe, expect, it } from 'vitest';
import { DEFAULT_TODAY } from './generate.ts';
import { DEFAULTS, UsageError, parseDemoArgs } from './main.ts';

const ENV = { ADMIN_PASSWORD: 'secret-admin-pass' };
const NOW = new Date('2026-11-29T12:00:00Z');

describe('npm run demo arguments', () => {
  it('take the register of npm start and small defaults', () => {
    const options = parseDemoArgs([], { ...ENV, PORT: '9090', HOST: '0.0.0.0' }, NOW);
    expect(options).toMatchObject({
      baseUrl: 'http://127.0.0.1:9090',
      facilities: DEFAULTS.facilities,
      patients: DEFAULTS.patients,
      seed: DEFAULTS.seed,
      adminUsername: 'admin',
      adminPassword: 'secret-admin-pass',
      today: DEFAULT_TODAY,
      force: false,
    });
  });

  it('read facilities, patients, seed, today and force, with or without "="', () => {
    const options = parseDemoArgs(
      ['--facilities', '3', '--patients=200', '--seed', '9', '--today', '2026-06-30', '--force'],
      { ...ENV, DEMO_PASSWORD: 'staff-password-long', ADMIN_USERNAME: 'chief' },
      NOW,
    );
    expect(options).toMatchObject({ facilities: 3, patients: 200, seed: 9, today: '2026-06-30', force: true });
    expect(options.demoPassword).toBe('staff-password-long');
    expect(options.adminUsername).toBe('chief');
  });

  it.each([
    [['--patients', 'many'], '--patients'],
    [['--facilities', '0'], '--facilities'],
    [['--today', '2030-01-01'], 'future'],
    [['--bogus'], 'Unknown argument'],
  ])('refuse %j with a message naming the problem', (argv, message) => {
    expect(() => parseDemoArgs(argv, ENV, NOW)).toThrow(UsageError);
    expect(() => parseDemoArgs(argv, ENV, NOW)).toThrow(message);
  });

  it('need the administrator password', () => {
    expect(() => parseDemoArgs([], {}, NOW)).toThrow('ADMIN_PASSWORD');
  });
});
