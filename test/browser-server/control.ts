/**
 * TEST-ONLY control API of the browser tests' register, on its own loopback port (never part of the production
 * server): creates accounts, changes a password or disables an account behind the client's back, reads a user
 * document, and writes reference documents — all through the server admin connection, the way the server and
 * provisioning write them. The web-test-runner config forwards the browser's `/__test__/*` requests here.
 *
 *   POST /__test__/accounts                  {name, password, roles, displayName, mustChangePassword} → 201
 *   GET  /__test__/accounts/<name>           → the `_users` document
 *   POST /__test__/accounts/<name>/password  {password} → 200
 *   POST /__test__/accounts/<name>/disable   → 200
 *   POST /__test__/accounts/<name>/fields    {keyCopies?, publicKey?, encryptedPrivateKey?, enrolmentPins?} → 200 (as
 *                                            given, unchecked: what a store operator or a restored backup could do)
 *   POST /__test__/facilities                {id} → 201 (database, `_security`, design document)
 *   POST /__test__/reference                 {_id: "<type>:<key>", type, …} → 200
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { deriveAuthKey, normalizeUsername } from '../../common/auth-derivation.ts';
import { REFERENCE_DB, USERS_DB, provisionFacilityDatabase, userDocId, type UserDoc } from '../../couch/provision.ts';
import { isFacilityId } from '../../common/roles.ts';
import type { RunningRegister } from '../../server/register.ts';

interface NewAccount {
  name: string;
  password: string;
  roles: string[];
  displayName: string;
  mustChangePassword: boolean;
}

/** Thrown for a malformed control request; answered as 400 with the message. */
class BadControlRequest extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function parseNewAccount(body: unknown): NewAccount {
  if (!isRecord(body)) throw new BadControlRequest('the body must be a JSON object');
  const { name, password, roles, displayName, mustChangePassword } = body;
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9._-]{1,63}$/.test(normalizeUsername(name))) {
    throw new BadControlRequest('"name" must be 2–64 letters, digits, ".", "_" or "-"');
  }
  if (typeof password !== 'string' || password === '') throw new BadControlRequest('"password" must be a string');
  if (!isStringArray(roles)) throw new BadControlRequest('"roles" must be a list of strings');
  if (displayName !== undefined && typeof displayName !== 'string') throw new BadControlRequest('"displayName"');
  if (mustChangePassword !== undefined && typeof mustChangePassword !== 'boolean') {
    throw new BadControlRequest('"mustChangePassword" must be a boolean');
  }
  return {
    name: normalizeUsername(name),
    password,
    roles,
    displayName: displayName ?? name,
    mustChangePassword: mustChangePassword ?? false,
  };
}

function parseReferenceDoc(body: unknown): { _id: string; [field: string]: unknown } {
  if (!isRecord(body) || typeof body._id !== 'string' || !/^[a-z][a-z-]*:./.test(body._id)) {
    throw new BadControlRequest('the body must be a reference document with an "_id" such as "district:test"');
  }
  return { ...body, _id: body._id };
}

/** Changes an account as the server's own code does: read, change, write, then drop its cached sessions. */
async function changeAccount(
  register: RunningRegister,
  name: string,
  change: (doc: UserDoc) => UserDoc,
): Promise<boolean> {
  const id = userDocId(name);
  let found = false;
  await register.store.upsert<UserDoc>(USERS_DB, id, (current) => {
    found = current !== null;
    return current ? change(current) : null;
  });
  register.resolver.invalidateUser(normalizeUsername(name));
  return found;
}

type Handler = (req: Request, res: Response) => Promise<void>;

/** Express 4 does not pass a rejected promise on to the error handler by itself. */
function handle(handler: Handler) {
  return (req: Request, res: Response, next: NextFunction): void => {
    handler(req, res).catch(next);
  };
}

export function createControlApp(register: RunningRegister, deploymentId: string): Express {
  const app = express();
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));

  router.post(
    '/accounts',
    handle(async (req, res) => {
      const account = parseNewAccount(req.body);
      const authKey = await deriveAuthKey(deploymentId, account.name, account.password);
      const doc: UserDoc = {
        _id: userDocId(account.name),
        name: account.name,
        type: 'user',
        roles: account.roles,
        password: authKey,
        displayName: account.displayName,
        status: 'active',
        mustChangePassword: account.mustChangePassword,
        createdAt: new Date().toISOString(),
      };
      const created = await register.store.upsert<UserDoc>(USERS_DB, doc._id, (current) => (current ? null : doc));
      if (!created) {
        res.status(409).json({ error: 'conflict', reason: `the account ${account.name} already exists` });
        return;
      }
      res.status(201).json({ ok: true, name: account.name });
    }),
  );

  router.get(
    '/accounts/:name',
    handle(async (req, res) => {
      const doc = await register.store.getDoc<UserDoc>(USERS_DB, userDocId(req.params.name ?? ''));
      if (!doc) res.status(404).json({ error: 'not_found', reason: 'no such account' });
      else res.json(doc);
    }),
  );

  router.post(
    '/accounts/:name/password',
    handle(async (req, res) => {
      const name = normalizeUsername(req.params.name ?? '');
      const password: unknown = isRecord(req.body) ? req.body.password : undefined;
      if (typeof password !== 'string' || password === '') throw new BadControlRequest('"password" must be a string');
      const authKey = await deriveAuthKey(deploymentId, name, password);
      const found = await changeAccount(register, name, (doc) => ({
        ...doc,
        password: authKey,
        passwordChangedAt: new Date().toISOString(),
      }));
      res.status(found ? 200 : 404).json(found ? { ok: true } : { error: 'not_found', reason: 'no such account' });
    }),
  );

  router.post(
    '/accounts/:name/disable',
    handle(async (req, res) => {
      const found = await changeAccount(register, req.params.name ?? '', (doc) => ({ ...doc, status: 'disabled' }));
      res.status(found ? 200 : 404).json(found ? { ok: true } : { error: 'not_found', reason: 'no such account' });
    }),
  );

  router.post(
    '/accounts/:name/fields',
    handle(async (req, res) => {
      if (!isRecord(req.body)) throw new BadControlRequest('the body must be a JSON object');
      const allowed = ['keyCopies', 'publicKey', 'encryptedPrivateKey', 'enrolmentPins'];
      const unknown = Object.keys(req.body).filter((field) => !allowed.includes(field));
      if (unknown.length > 0) throw new BadControlRequest(`only ${allowed.join(', ')} may be written`);
      const fields = req.body;
      const found = await changeAccount(register, req.params.name ?? '', (doc) => ({ ...doc, ...fields }));
      res.status(found ? 200 : 404).json(found ? { ok: true } : { error: 'not_found', reason: 'no such account' });
    }),
  );

  router.post(
    '/facilities',
    handle(async (req, res) => {
      const id = isRecord(req.body) ? req.body.id : undefined;
      if (!isFacilityId(id)) throw new BadControlRequest('"id" must be a facility id');
      await provisionFacilityDatabase(register.store, id);
      res.status(201).json({ ok: true, db: `facility-${id}` });
    }),
  );

  router.post(
    '/reference',
    handle(async (req, res) => {
      const doc = parseReferenceDoc(req.body);
      await register.store.upsert(REFERENCE_DB, doc._id, () => doc);
      res.json({ ok: true, id: doc._id });
    }),
  );

  app.use('/__test__', router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', reason: 'no such control endpoint' });
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const bad = error instanceof BadControlRequest;
    if (!bad)
      console.error(`browser-server control: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    res.status(bad ? 400 : 500).json({ error: bad ? 'bad_request' : 'internal', reason: String(error) });
  });
  return app;
}
