import { describe, it } from 'vitest';
import { referenceDesignDoc } from '../index.ts';
import { allowed, forbidden, loadValidator, type UserCtx } from '../../test/helpers/ddoc-sandbox.ts';

const validate = loadValidator(referenceDesignDoc().validate_doc_update);
const server: UserCtx = { name: null, roles: ['_admin'] };
const admin: UserCtx = { name: 'admin', roles: ['admin'] };
const nurse: UserCtx = { name: 'nina', roles: ['nurse', 'facility:a'] };
const medicament = { _id: 'medicament:morphine-10', type: 'medicament', name: 'Морфин 10 мг' };

describe('reference validate_doc_update', () => {
  it('lets an administrator add a reference document', () => {
    allowed(validate, medicament, null, admin);
  });

  it('lets an administrator change one', () => {
    allowed(validate, { ...medicament, name: 'Морфин 10 мг/мл', _rev: '1-a' }, medicament, admin);
  });

  it('refuses to delete an entry records may refer to, even for an administrator', () => {
    forbidden(
      validate,
      { _id: medicament._id, _rev: '2-b', _deleted: true },
      medicament,
      admin,
      'Reference entries are deactivated, not deleted.',
    );
  });

  it('lets the server write its design document', () => {
    allowed(validate, { _id: '_design/register' }, null, server);
  });

  it.each([
    ['a nurse', nurse],
    ['a doctor', { name: 'boris', roles: ['doctor'] }],
    ['an analyst', { name: 'ana', roles: ['analyst'] }],
    ['an anonymous caller', { name: null, roles: [] }],
  ])('refuses %s', (_who, userCtx) => {
    forbidden(validate, medicament, null, userCtx, 'Only administrators may change reference books.');
  });

  it('refuses a design document from an administrator of the application', () => {
    forbidden(
      validate,
      { _id: '_design/x', views: {} },
      null,
      admin,
      'Design documents are written by the server only.',
    );
  });

  it.each(['medicament', 'medicament:', ':x'])('refuses the id %j, which is not "<type>:<key>"', (id) => {
    forbidden(
      validate,
      { _id: id, type: 'medicament' },
      null,
      admin,
      'A reference document id must be "<type>:<key>".',
    );
  });

  it('refuses a "type" that disagrees with the id', () => {
    forbidden(
      validate,
      { ...medicament, type: 'district' },
      null,
      admin,
      'Field "type" must be "medicament", as the document id says.',
    );
  });
});
