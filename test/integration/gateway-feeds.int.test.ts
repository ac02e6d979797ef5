/**
 * `_changes` feeds through the gateway: continuous feeds stream uncompressed, longpoll honours its timeout, and
 * disabling an account closes its open feeds. (Feed shapes that crash the store: gateway-shapes.int.test.ts.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { visit, withFreshId } from '../../common/records/test-fixtures.ts';
import { useRegister } from '../helpers/start-register.ts';
import { eventually, openFeed } from '../helpers/http.ts';
import { changeUserDoc, createFacility, createUser, logIn, type Session } from '../helpers/users.ts';

const register = useRegister();
let member: Session;

beforeAll(async () => {
  await createFacility(register.current, 'a');
  const nina = await createUser(register.current, {
    name: 'nina',
    password: 'nina-pass-2026',
    roles: ['nurse', 'facility:a'],
  });
  member = await logIn(register.current, nina);
});

/** A valid visit written by the nurse (the facility's design document refuses made-up documents); its id. */
async function putVisit(session: Session): Promise<string> {
  const doc = withFreshId(visit());
  const answer = await session.put(`/db/facility-a/${encodeURIComponent(doc._id)}`, doc);
  expect(answer.status).toBe(201);
  return doc._id;
}

describe('feeds', () => {
  it('lets the _doc_ids filter through', async () => {
    const id = await putVisit(member);
    const answer = await member.post('/db/facility-a/_changes?filter=_doc_ids', { doc_ids: [id] });
    expect(answer.status).toBe(200);
    expect((answer.json as { results: { id: string }[] }).results.map((change) => change.id)).toEqual([id]);
  });

  it('streams a continuous feed, uncompressed, as changes happen', async () => {
    const feed = await openFeed(
      register.current.url,
      '/db/facility-a/_changes?feed=continuous&since=now&heartbeat=1000',
      member.cookie,
    );
    try {
      expect(feed.status).toBe(200);
      expect(feed.headers['content-encoding']).toBeUndefined();
      const id = await putVisit(member);
      const received = await feed.waitFor((text) => text.includes(`"${id}"`));
      expect(JSON.parse(received.split('\n').find((line) => line.includes(id)) ?? '')).toMatchObject({ id });
    } finally {
      feed.close();
    }
  });

  it('answers a longpoll with nothing new once its timeout runs out', async () => {
    const answer = await fetch(`${register.current.url}/db/facility-a/_changes?feed=longpoll&since=now&timeout=1000`, {
      headers: { cookie: member.cookie },
      signal: AbortSignal.timeout(20_000), // a hang guard: the embedded store alone would never answer
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ results: [], last_seq: expect.anything() });
  });

  it('answers a waiting longpoll with the change that ends the wait', async () => {
    const { update_seq: since } = (await member.get('/db/facility-a')).json as { update_seq: number };
    const waiting = member.get(`/db/facility-a/_changes?feed=longpoll&since=${since}&timeout=30000`);
    const id = await putVisit(member);
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect((answer.json as { results: { id: string }[] }).results.map((change) => change.id)).toEqual([id]);
  });

  it('answers a longpoll at once when there are changes since the given sequence', async () => {
    const answer = await member.get('/db/facility-a/_changes?feed=longpoll&since=0&timeout=1000');
    expect((answer.json as { results: unknown[] }).results.length).toBeGreaterThan(0);
  });
});

describe('disabling an account', () => {
  it('ends its session and closes its open feed', async () => {
    const victor = await createUser(register.current, {
      name: 'victor',
      password: 'victor-pass-2026',
      roles: ['nurse', 'facility:a'],
    });
    const session = await logIn(register.current, victor);
    const feed = await openFeed(
      register.current.url,
      '/db/facility-a/_changes?feed=continuous&since=now&heartbeat=1000',
      session.cookie,
    );
    let closed = false;
    void feed.ended.then(() => (closed = true));
    try {
      expect(feed.status).toBe(200);
      expect((await session.get('/db/facility-a')).status).toBe(200);
      await changeUserDoc(register.current, 'victor', (doc) => ({ ...doc, status: 'disabled' }));
      await eventually(async () => closed);
      const answer = await session.get('/db/facility-a');
      expect(answer.status).toBe(401);
      expect(answer.headers.getSetCookie().join()).toMatch(/rp_session=;.*Max-Age=0/);
    } finally {
      feed.close();
    }
  });

  it('leaves other users’ feeds open', async () => {
    const feed = await openFeed(
      register.current.url,
      '/db/facility-a/_changes?feed=continuous&since=now&heartbeat=1000',
      member.cookie,
    );
    try {
      await createUser(register.current, { name: 'walter', password: 'walter-pass-2026', roles: ['nurse'] });
      await changeUserDoc(register.current, 'walter', (doc) => ({ ...doc, status: 'disabled' }));
      const id = await putVisit(member);
      await feed.waitFor((text) => text.includes(`"${id}"`));
    } finally {
      feed.close();
    }
  });
});
