function (newDoc, oldDoc, userCtx) {
  // facility-<id>: one facility's patients. The generator (design-docs/index.ts) writes the facility id below,
  // because validate_doc_update cannot look anything up.
  var FACILITY_ID = '%FACILITY_ID%';
  var PASSPORT_FIELDS = ['_id', '_rev', '_revisions', '_deleted', 'type', 'v', 'kid', 'iv', 'ct'];
  var TYPES = ['passport', 'patient', 'prescription', 'visit', 'audit'];
  var roles = userCtx.roles || [];
  var serverAdmin = roles.indexOf('_admin') !== -1;

  function forbid(message) {
    throw { forbidden: message };
  }

  if (!serverAdmin && roles.indexOf('facility:' + FACILITY_ID) === -1) {
    forbid('Only members of this facility may write here.');
  }
  if (newDoc._id.indexOf('_design/') === 0) {
    if (!serverAdmin) forbid('Design documents are written by the server only.');
    return;
  }
  var type = newDoc._id.split(':')[0];
  if (type === 'audit' || (oldDoc && oldDoc.type === 'audit')) {
    if (oldDoc) forbid('Audit events cannot be changed or deleted.');
    if (newDoc._id.split(':')[1] !== userCtx.name && !serverAdmin) {
      forbid('An audit event may be written only by the login named in its id.');
    }
  }
  if (newDoc._deleted) return;
  if (TYPES.indexOf(type) === -1) forbid('Unknown document type "' + type + '".');
  if (newDoc.type !== type) forbid('Field "type" must be "' + type + '", as the document id says.');

  if (type === 'passport') {
    for (var key in newDoc) {
      if (PASSPORT_FIELDS.indexOf(key) === -1) {
        forbid('A passport carries only encrypted data; field "' + key + '" is not allowed.');
      }
    }
    if (typeof newDoc.v !== 'number' || typeof newDoc.kid !== 'string' || typeof newDoc.iv !== 'string' || typeof newDoc.ct !== 'string') {
      forbid('A passport needs "v" (number) and "kid", "iv", "ct" (strings).');
    }
    return;
  }
  if (serverAdmin) return;
  if (!oldDoc && newDoc.createdBy !== userCtx.name) forbid('"createdBy" must be the login that writes the document.');
  if (oldDoc && newDoc.createdBy !== oldDoc.createdBy) forbid('"createdBy" cannot be changed.');
  if (newDoc.updatedBy !== undefined && newDoc.updatedBy !== userCtx.name) {
    forbid('"updatedBy" must be the login that writes the document.');
  }
}
