/**
 * The administration API at `/api/admin`: facilities, staff accounts, the server's audit trail and the audit events
 * devices write into the facility databases. Every route needs a session of an account with the `admin` role;
 * handlers parse the input (400 naming the field), call an action, and send JSON. Each action writes an audit event.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { StoreClient } from '../store-client.ts';
import type { SessionResolver } from '../gateway/session-resolver.ts';
import type { SessionLocals } from '../gateway/gateway.ts';
import { ForbiddenError } from '../errors.ts';
import { can } from '../../common/roles.ts';
import { parseFacilityChanges, parseNewFacility } from './facilities.ts';
import { createFacility, listFacilities, updateFacility } from './facility-actions.ts';
import { parseAccountChanges, parseEnrolment, parseNewAccount, parseStaffFilter } from './staff.ts';
import { createAccount, disableAccount, enrolAccount, listStaff, updateAccount } from './staff-actions.ts';
import type { StaffContext } from './staff-actions.ts';
import { parseAuditFilter, readAuditEvents } from './audit.ts';
import { parseDeviceAuditFilter, readDeviceAuditEvents } from './device-audit.ts';
import { issueKeyCopies, listPendingConfirmations, parseKeyCopies } from './key-confirmations.ts';
import { parseFacilityId, parseLogin } from './validation.ts';
import { keyRecipients, parseCustody, parseNewEpoch, startEpoch, takeCustody } from './epochs.ts';

type Handler = (req: Request, res: Response) => Promise<void>;

/** Passes a rejected promise to the error handler. */
function route(handler: Handler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };
}

function adminOf(res: Response): string {
  return (res.locals.session as SessionLocals).user.name;
}

function requireAdministrator(_req: Request, res: Response, next: NextFunction): void {
  const { user } = res.locals.session as SessionLocals;
  next(
    can(user.roles, 'manage-administration')
      ? undefined
      : new ForbiddenError('Only administrators may manage facilities, accounts and the audit trail.'),
  );
}

export function createAdminRoutes(store: StoreClient, resolver: SessionResolver, session: RequestHandler): Router {
  const router = express.Router();
  router.use(session, requireAdministrator, express.json({ limit: '512kb' }));
  const staffContext = (res: Response): StaffContext => ({ store, resolver, by: adminOf(res) });

  router.get(
    '/facilities',
    route(async (_req, res) => {
      res.json({ facilities: await listFacilities(store) });
    }),
  );

  router.post(
    '/facilities',
    route(async (req, res) => {
      const facility = await createFacility(store, adminOf(res), parseNewFacility(req.body));
      res.status(201).json({ ok: true, facility });
    }),
  );

  router.patch(
    '/facilities/:id',
    route(async (req, res) => {
      const id = parseFacilityId(req.params.id, 'id');
      const facility = await updateFacility(store, adminOf(res), id, parseFacilityChanges(req.body));
      res.json({ ok: true, facility });
    }),
  );

  router.get(
    '/facilities/:id/key-recipients',
    route(async (req, res) => {
      res.json(await keyRecipients(store, parseFacilityId(req.params.id, 'id')));
    }),
  );

  router.post(
    '/facilities/:id/epochs',
    route(async (req, res) => {
      const id = parseFacilityId(req.params.id, 'id');
      const started = await startEpoch(store, adminOf(res), id, parseNewEpoch(req.body));
      res.status(201).json({ ok: true, ...started });
    }),
  );

  router.post(
    '/facilities/:id/custody',
    route(async (req, res) => {
      const id = parseFacilityId(req.params.id, 'id');
      res.json({ ok: true, ...(await takeCustody(store, adminOf(res), id, parseCustody(req.body))) });
    }),
  );

  router.get(
    '/staff',
    route(async (req, res) => {
      res.json({ staff: await listStaff(store, parseStaffFilter(req.query)) });
    }),
  );

  router.post(
    '/staff',
    route(async (req, res) => {
      const staff = await createAccount(staffContext(res), parseNewAccount(req.body, Date.now()));
      res.status(201).json({ ok: true, staff });
    }),
  );

  router.patch(
    '/staff/:login',
    route(async (req, res) => {
      const login = parseLogin(req.params.login, 'login');
      const staff = await updateAccount(staffContext(res), login, parseAccountChanges(req.body));
      res.json({ ok: true, staff });
    }),
  );

  router.post(
    '/staff/:login/disable',
    route(async (req, res) => {
      const staff = await disableAccount(staffContext(res), parseLogin(req.params.login, 'login'));
      res.json({ ok: true, staff });
    }),
  );

  for (const kind of ['enable', 'reset'] as const) {
    router.post(
      `/staff/:login/${kind}`,
      route(async (req, res) => {
        const login = parseLogin(req.params.login, 'login');
        const staff = await enrolAccount(staffContext(res), login, parseEnrolment(req.body, Date.now()), kind);
        res.json({ ok: true, staff });
      }),
    );
  }

  router.get(
    '/key-confirmations',
    route(async (_req, res) => {
      res.json({ pending: await listPendingConfirmations(store) });
    }),
  );

  router.post(
    '/staff/:login/key-copies',
    route(async (req, res) => {
      const login = parseLogin(req.params.login, 'login');
      const { stored } = await issueKeyCopies(store, adminOf(res), login, parseKeyCopies(req.body));
      res.json({ ok: true, stored });
    }),
  );

  router.get(
    '/audit',
    route(async (req, res) => {
      res.json({ events: await readAuditEvents(store, parseAuditFilter(req.query)) });
    }),
  );

  // Events the devices wrote into the facility databases (opening a passport, printing, changes, conflicts).
  router.get(
    '/device-audit',
    route(async (req, res) => {
      res.json(await readDeviceAuditEvents(store, parseDeviceAuditFilter(req.query)));
    }),
  );

  return router;
}
