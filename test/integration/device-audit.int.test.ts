/**
 * The audit events devices write into facility databases, read by administrators through
 * `GET /api/admin/device-audit`: members write them through the gateway as a device's replication would, and an
 * administrator who belongs to neither facility lists them across facilities, filtered, page by page — with the
 * losing revision of a resolved conflict named by its fields only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useRegister } from '../helpers/start-register.ts';
import { createFacility, createUser, firstAdmin, logIn, type Session } from '../helpers/users.ts';
import { auditEvent, passportDoc, sealed } from '../../common/records/test-fixtures.ts';

const register = useRegister();
let admin: Session;
let nurse: Session;
let doctor: Session;

interface Listed {
  _id: string;
  facilityId: string;
  action: string;
  login: string;
  at: string;
  device?: string;
  docId?: string;
  rev?: string;
  details?: Record<string, unknown>;
  losing?: { type?: string; rev?: string; fields: string[] };
}

interface Page {
  events: Listed[];
  nextOffset: number | null;
}

/** A valid audit event by `login` at `at` (a passport opened, unless changed). */
function event(
  login: string,
  at: string,
  change: Record<string, unknown> = {},
): Record<string, unknown> & { _id: string } {
  return { ...auditEvent(login), _id: `audit:${login}:${at}:${crypto.randomUUID()}`, at, createdAt: at, ...change };
}

const SURNAME_CT = 'U2VjcmV0LXN1cm5hbWUtY2lwaGVydGV4dA';

async function write(session: Session, facilityId: string, doc: { _id: string }): Promise<void> {
  const answer = await session.put(`/db/facility-${facilityId}/${encodeURIComponent(doc._id)}`, doc);
  expect(answer.status, answer.text).toBe(201);
}

async function list(query = ''): Promise<Page> {
  const answer = await admin.get(`/api/admin/device-audit${query}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.json as Page;
}

beforeAll(async () => {
  const { current } = register;
  await createFacility(current, 'dev-a');
  await createFacility(current, 'dev-b');
  const nina = await createUser(current, { name: 'nina', password: 'n', roles: ['nurse', 'facility:dev-a'] });
  const olga = await createUser(current, {
    name: 'olga',
    password: 'o',
    roles: ['doctor', 'facility:dev-a', 'facility:dev-b'],
  });
  admin = await logIn(current, await firstAdmin(current));
  nurse = await logIn(current, nina);
  doctor = await logIn(current, olga);

  await write(nurse, 'dev-a', event('nina', '2026-11-20T08:00:00.000Z'));
  await write(nurse, 'dev-a', event('nina', '2026-11-21T08:00:00.000Z', { action: 'printed' }));
  await write(doctor, 'dev-a', event('olga', '2026-11-22T08:00:00.000Z', { action: 'created' }));
  await write(
    doctor,
    'dev-b',
    event('olga', '2026-11-23T08:00:00.000Z', { action: 'changed', rev: '2-abc', details: { fields: 2 } }),
  );
  // A resolved conflict over a passport: the losing version is sealed identity and must never leave the server.
  const passport = passportDoc();
  const losing = { ...passport, _rev: '3-def', ...sealed(1, 'dev-b'), ct: SURNAME_CT };
  await write(
    doctor,
    'dev-b',
    event('olga', '2026-11-24T08:00:00.000Z', {
      action: 'conflict-resolved',
      docId: passport._id,
      rev: '3-abc',
      details: { kept: '3-abc' },
      losing,
    }),
  );
});

describe('device audit events for administrators', () => {
  it('lists every facility’s events newest first, for an administrator who belongs to neither', async () => {
    const { events, nextOffset } = await list();
    expect(events.map((e) => [e.facilityId, e.login, e.action])).toEqual([
      ['dev-b', 'olga', 'conflict-resolved'],
      ['dev-b', 'olga', 'changed'],
      ['dev-a', 'olga', 'created'],
      ['dev-a', 'nina', 'printed'],
      ['dev-a', 'nina', 'passport-opened'],
    ]);
    expect(nextOffset).toBeNull();
    expect(events[1]).toMatchObject({ rev: '2-abc', details: { fields: 2 }, device: 'tablet-7f3a' });
  });

  it('names the fields of a losing version and nothing of its content', async () => {
    const answer = await admin.get('/api/admin/device-audit?action=conflict-resolved');
    expect(answer.status).toBe(200);
    const [resolved] = (answer.json as Page).events;
    expect(resolved?.losing).toEqual({ type: 'passport', rev: '3-def', fields: ['ct', 'iv', 'kid', 'type', 'v'] });
    expect(answer.text).not.toContain(SURNAME_CT);
    expect(answer.text).not.toContain('AAECAwQFBgcICQoL');
  });

  it.each([
    ['a facility', '?facility=dev-a', ['created', 'printed', 'passport-opened']],
    ['an action', '?action=printed', ['printed']],
    ['a login', '?login=nina', ['printed', 'passport-opened']],
    ['a login in one facility', '?login=olga&facility=dev-b', ['conflict-resolved', 'changed']],
    ['a period', '?from=2026-11-21T00:00:00Z&to=2026-11-23T00:00:00Z', ['created', 'printed']],
    ['a login and a period', '?login=olga&from=2026-11-23T00:00:00Z', ['conflict-resolved', 'changed']],
    ['a login without events', '?login=nobody', []],
  ])('filters by %s', async (_what, query, expected) => {
    expect((await list(query)).events.map((e) => e.action)).toEqual(expected);
  });

  it('pages through the list without overlap', async () => {
    const first = await list('?limit=2');
    expect(first.nextOffset).toBe(2);
    const second = await list('?limit=2&offset=2');
    expect(second.nextOffset).toBe(4);
    const last = await list('?limit=2&offset=4');
    expect(last.nextOffset).toBeNull();
    const ids = [...first.events, ...second.events, ...last.events].map((e) => e._id);
    expect(new Set(ids).size).toBe(5);
    expect(ids).toEqual((await list()).events.map((e) => e._id));
  });

  it.each([
    ['facility', '?facility=Dev%20A'],
    ['facility', '?facility=nowhere'],
    ['action', '?action=deleted'],
    ['login', '?login=A%20B'],
    ['from', '?from=yesterday'],
    ['to', '?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'],
    ['limit', '?limit=0'],
    ['limit', '?limit=501'],
    ['offset', '?offset=-1'],
    ['offset', '?offset=many'],
    ['sort', '?sort=at'],
  ])('refuses a %s that is not valid (%s)', async (field, query) => {
    const answer = await admin.get(`/api/admin/device-audit${query}`);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'bad_request', field });
  });

  it('is for administrators only, members of the facility included', async () => {
    for (const session of [nurse, doctor]) {
      const answer = await session.get('/api/admin/device-audit');
      expect(answer.status).toBe(403);
      expect(answer.text).not.toContain('passport-opened');
    }
  });
});
