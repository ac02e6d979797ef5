import { describe, it } from 'vitest';
import { referenceDesignDoc } from '../index.ts';
import { allowed, forbidden, loadValidator, type Doc, type UserCtx } from '../../test/helpers/ddoc-sandbox.ts';
import { starterReferenceDocs } from '../../common/reference/starter-docs.ts';

const validate = loadValidator(referenceDesignDoc().validate_doc_update);
const server: UserCtx = { name: null, roles: ['_admin'] };
const admin: UserCtx = { name: 'admin', roles: ['admin'] };
const nurse: UserCtx = { name: 'nina', roles: ['nurse', 'facility:a'] };
const starter = JSON.parse(
  JSON.stringify(starterReferenceDocs({ by: 'admin', at: '2026-11-29T09:00:00.000Z' })),
) as Doc[];
const medicament = starter.find((doc) => doc.type === 'medicament') as Doc;

describe('reference validate_doc_update', () => {
  it('lets an administrator add a reference document', () => {
    allowed(validate, medicament, null, admin);
  });

  it('lets an administrator change one', () => {
    allowed(validate, { ...medicament, note: 'Только для стационара', _rev: '1-a' }, medicament, admin);
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
    forbidden(validate, { ...medicament, _id: id }, null, admin, 'A reference document id must be "<type>:<key>".');
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

describe('reference validate_doc_update: structure of reference books', () => {
  it('accepts every starter document: medicaments, ICD-10 chunks and edition, districts', () => {
    for (const doc of starter) allowed(validate, doc, null, admin);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a medicament without its Russian name', { innRu: '' }, 'innRu: Укажите МНН на русском языке.'],
    ['a negative strength', { strength: -1 }, 'strength: Дозировка должна быть положительным числом.'],
    [
      'a factor for a non-opioid',
      { opioidClass: 'none' },
      'morphineFactor: Коэффициент пересчёта задаётся только для опиоидов.',
    ],
  ])('refuses %s, naming the field', (_what, change, reason) => {
    const opioid = starter.find((doc) => doc.type === 'medicament' && doc.morphineFactor !== null) as Doc;
    forbidden(validate, { ...opioid, ...change }, null, admin, 'Invalid medicament document. ' + reason);
  });

  it('leaves the server’s own writes (seeding, restores) to its code', () => {
    allowed(validate, { ...medicament, strength: 0 }, null, server);
  });

  it.each(['facility:hospice-1', 'staff:nina', 'facility-keys:hospice-1'])(
    'leaves %j, which the server writes, to the id rules',
    (id) => {
      allowed(validate, { _id: id, type: id.split(':')[0], anything: true }, null, server);
    },
  );
});
