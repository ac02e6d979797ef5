/**
 * The embedded store runs as a supervised child process: when it dies — killed, or crashed by a request the
 * gateway would never have let through — it is started again and the gateway serves as before.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useRegister } from '../helpers/start-register.ts';
import { eventually, send } from '../helpers/http.ts';
import {
  createFacility,
  createUser,
  logIn,
  storeSession,
  storeUrl,
  type Session,
  type TestUser,
} from '../helpers/users.ts';

const register = useRegister();
let nina: TestUser;
let member: Session;

beforeAll(async () => {
  await createFacility(register.current, 'a');
  await register.current.store.expect('PUT', '/facility-a/patient:p1', { type: 'patient', createdBy: 'nina' });
  nina = await createUser(register.current, {
    name: 'nina',
    password: 'nina-pass-2026',
    roles: ['nurse', 'facility:a'],
  });
  member = await logIn(register.current, nina);
});

function embedded(): NonNullable<typeof register.current.embedded> {
  const store = register.current.embedded;
  if (!store) throw new Error('no embedded store');
  return store;
}

async function storeAnswers(): Promise<boolean> {
  return fetch(storeUrl(register.current)).then(
    (response) => response.ok,
    () => false,
  );
}

/** Waits until the store has been restarted `count` times in all and the member can read through the gateway. */
async function servingAgainAfter(count: number): Promise<void> {
  await eventually(
    async () => embedded().restarts() >= count && (await member.get('/db/facility-a/patient:p1')).status === 200,
  );
}

describe('the supervised store', () => {
  it('is restarted after its process is killed, and the gateway serves again with the same session', async () => {
    const pid = embedded().pid();
    expect(pid).toEqual(expect.any(Number));
    process.kill(pid as number, 'SIGKILL');
    await servingAgainAfter(1);
    expect(embedded().restarts()).toBe(1);
    expect(embedded().pid()).not.toBe(pid);
  });

  it('answers 503 while the store is down, without ending a session that has not been checked yet', async () => {
    const fresh = await logIn(register.current, nina);
    const before = embedded().restarts();
    process.kill(embedded().pid() as number, 'SIGKILL');
    await eventually(async () => !(await storeAnswers()), 20_000, 10);
    const whileDown = await fresh.get('/db/facility-a/patient:p1');
    expect(whileDown.status).toBe(503);
    expect(whileDown.headers.getSetCookie()).toEqual([]);
    await eventually(async () => embedded().restarts() > before && (await storeAnswers()));
    expect((await fresh.get('/db/facility-a/patient:p1')).status).toBe(200);
  });

  it('keeps following _users after a restart, so disabling still ends sessions', async () => {
    const victor = await createUser(register.current, {
      name: 'victor',
      password: 'victor-pass-2026',
      roles: ['nurse', 'facility:a'],
    });
    const session = await logIn(register.current, victor);
    expect((await session.get('/db/facility-a')).status).toBe(200);
    await register.current.store.upsert('_users', 'org.couchdb.user:victor', (doc) =>
      doc ? { ...doc, status: 'disabled' } : null,
    );
    await eventually(async () => (await session.get('/db/facility-a')).status === 401);
  });

  it.each([
    ['a non-admin PUT /newdb', 'PUT', '/newdb', undefined],
    [
      'POST _changes?filter=_selector with the selector in the body',
      'POST',
      '/facility-a/_changes?filter=_selector',
      { selector: { type: 'patient' } },
    ],
    ['GET of a list function, _list/<list>/<view>', 'GET', '/facility-a/_design/register/_list/none/none', undefined],
  ])('the store alone dies on %s; the supervisor brings it back', async (_what, method, path, body) => {
    const before = embedded().restarts();
    const cookie = await storeSession(register.current, nina);
    await send(storeUrl(register.current), path, { method, body, cookie }).catch(() => null);
    await servingAgainAfter(before + 1);
    expect(embedded().restarts()).toBe(before + 1);
  });
});

describe('stopping the supervised store', () => {
  it('stops even while its child lies dead, killed by a signal, waiting to be restarted', async () => {
    process.kill(embedded().pid() as number, 'SIGKILL');
    await eventually(async () => !(await storeAnswers()), 20_000, 10);
    await embedded().stop(); // hung for ever when the dead child had a signal code but no exit code
    expect(embedded().pid()).toBeNull();
    expect(await storeAnswers()).toBe(false);
  });
});
