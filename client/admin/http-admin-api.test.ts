import { assert } from '@open-wc/testing';
import { FieldError, HttpAdminApi } from './http-admin-api.ts';
import { ApiError } from '../http/api-errors.ts';

/** The fetch stand-in answers with a real Response, as the gateway would; nothing else is replaced. */
function answering(status: number, body: unknown, seen: { url: string; init?: RequestInit }[] = []): typeof fetch {
  return (input, init) => {
    seen.push({ url: String(input), ...(init ? { init } : {}) });
    return Promise.resolve(
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
    );
  };
}

describe('HttpAdminApi', () => {
  it('turns a 400 naming a field into a FieldError for that field', async () => {
    const api = new HttpAdminApi(answering(400, { error: 'bad_request', reason: '"login" is taken.', field: 'login' }));
    try {
      await api.createStaff({
        login: 'x',
        displayName: 'X',
        roles: ['admin'],
        facilities: [],
        authKey: 'A'.repeat(43),
      });
      assert.fail('the request was accepted');
    } catch (error) {
      assert.instanceOf(error, FieldError);
      assert.equal((error as FieldError).field, 'login');
      assert.equal((error as FieldError).status, 400);
    }
  });

  it('keeps other refusals as ApiError', async () => {
    const api = new HttpAdminApi(answering(409, { error: 'conflict', reason: 'exists' }));
    const error = await api.disableStaff('x').catch((caught: unknown) => caught);
    assert.instanceOf(error, ApiError);
    assert.notInstanceOf(error, FieldError);
  });

  it('sends the staff filter as query parameters and drops staff entries of the wrong shape', async () => {
    const seen: { url: string }[] = [];
    const member = {
      login: 'ivanova',
      displayName: 'Иванова',
      roles: ['nurse'],
      facilities: ['crb'],
      status: 'active',
      mustChangePassword: true,
      hasKeys: false,
      createdAt: '2026-11-29T08:00:00.000Z',
    };
    const api = new HttpAdminApi(answering(200, { staff: [member, { login: 'broken' }] }, seen));
    const staff = await api.listStaff({ q: 'ива', role: 'nurse', facility: '', status: 'active' });
    assert.deepEqual(staff, [member]);
    assert.equal(seen[0]?.url, '/api/admin/staff?q=%D0%B8%D0%B2%D0%B0&role=nurse&status=active');
  });
});
