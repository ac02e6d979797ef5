/**
 * The audit trail through the administration API: every administrative action leaves an event naming the
 * administrator and the target, listed newest first and filtered by login, event, period and count.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useRegister } from '../helpers/start-register.ts';
import { firstAdmin, logIn, type Session } from '../helpers/users.ts';

const register = useRegister();
let admin: Session;

interface Event {
  _id: string;
  event: string;
  login: string;
  at: string;
  target?: string;
}

async function events(query = ''): Promise<Event[]> {
  const answer = await admin.get(`/api/admin/audit${query}`);
  expect(answer.status).toBe(200);
  return (answer.json as { events: Event[] }).events;
}

beforeAll(async () => {
  admin = await logIn(register.current, await firstAdmin(register.current));
  const steps: [string, string, unknown][] = [
    ['POST', '/api/admin/facilities', { id: 'a', name: 'A' }],
    ['PATCH', '/api/admin/facilities/a', { shortName: 'A.' }],
    [
      'POST',
      '/api/admin/staff',
      { login: 'zoya', displayName: 'Зоя', roles: ['nurse'], facilities: ['a'], authKey: 'Z'.repeat(43) },
    ],
    ['PATCH', '/api/admin/staff/zoya', { roles: ['nurse', 'doctor'] }],
    ['POST', '/api/admin/staff/zoya/disable', {}],
    ['POST', '/api/admin/staff/zoya/enable', { authKey: 'Y'.repeat(43) }],
    ['POST', '/api/admin/staff/zoya/reset', { authKey: 'X'.repeat(43) }],
  ];
  for (const [method, path, body] of steps) {
    const answer = await admin.request(path, { method, body });
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
  }
});

describe('the audit trail', () => {
  it('holds one event per action, newest first, naming the administrator and the target', async () => {
    const listed = (await events('?login=admin')).filter((event) => event.event !== 'login');
    expect(listed.map((event) => [event.event, event.target])).toEqual([
      ['account-reset', 'zoya'],
      ['account-enabled', 'zoya'],
      ['account-disabled', 'zoya'],
      ['account-updated', 'zoya'],
      ['account-created', 'zoya'],
      ['facility-updated', 'a'],
      ['facility-created', 'a'],
      ['first-admin-created', undefined],
    ]);
    expect(listed.every((event) => event.login === 'admin' && event._id.startsWith('audit:admin:'))).toBe(true);
  });

  it('records what changed in an account', async () => {
    const [updated] = await events('?event=account-updated');
    expect(updated).toMatchObject({ target: 'zoya', roles: ['doctor', 'nurse'], previousRoles: ['nurse'] });
  });

  it.each([
    ['an event', '?event=account-disabled', ['account-disabled']],
    ['a login and an event', '?login=admin&event=facility-created', ['facility-created']],
    ['a login without events', '?login=nobody', []],
    ['a count', '?login=admin&limit=2', ['account-reset', 'account-enabled']],
    ['a period in the future', `?from=${encodeURIComponent('2999-01-01T00:00:00Z')}`, []],
    ['a period in the past', '?to=2000-01-01T00:00:00Z', []],
  ])('filters by %s', async (_what, query, expected) => {
    expect((await events(query)).map((event) => event.event)).toEqual(expected);
  });

  it('filters by a period taken from the events themselves', async () => {
    const all = (await events('?login=admin')).filter((event) => event.event.startsWith('account-'));
    const created = all.find((event) => event.event === 'account-created');
    const disabled = all.find((event) => event.event === 'account-disabled');
    if (!created || !disabled) throw new Error('events missing');
    for (const query of [
      `?login=admin&from=${created.at}&to=${disabled.at}`,
      `?from=${created.at}&to=${disabled.at}`,
    ]) {
      const inPeriod = (await events(query)).map((event) => event.event);
      expect(inPeriod).toEqual(expect.arrayContaining(['account-disabled', 'account-updated', 'account-created']));
      expect(inPeriod).not.toContain('account-enabled');
      expect(inPeriod).not.toContain('facility-created');
    }
  });

  it('also lists the gateway’s own events, such as logins', async () => {
    expect((await events('?event=login')).length).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['limit', '?limit=0'],
    ['limit', '?limit=501'],
    ['limit', '?limit=ten'],
    ['from', '?from=yesterday'],
    ['to', '?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'],
    ['login', '?login=A%20B'],
    ['event', '?event=DROP%20TABLE'],
  ])('refuses a %s that is not valid (%s)', async (field, query) => {
    const answer = await admin.get(`/api/admin/audit${query}`);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'bad_request', field });
  });
});
