function (newDoc, oldDoc, userCtx) {
  // audit: the server's own audit of administrative and gateway events. Written only by the server (server admin),
  // append-only: an event, once written, is never changed or deleted.
  var roles = userCtx.roles || [];
  if (roles.indexOf('_admin') === -1) {
    throw { forbidden: 'The audit trail is written by the server only.' };
  }
  if (newDoc._id.indexOf('_design/') === 0) return;
  if (oldDoc) {
    throw { forbidden: 'Audit events cannot be changed or deleted.' };
  }
  if (newDoc._deleted) {
    throw { forbidden: 'Audit events cannot be changed or deleted.' };
  }
  if (newDoc.type !== 'audit' || newDoc._id.indexOf('audit:') !== 0) {
    throw { forbidden: 'Only audit events ("audit:…", type "audit") belong here.' };
  }
  if (typeof newDoc.at !== 'string' || typeof newDoc.event !== 'string') {
    throw { forbidden: 'An audit event needs "event" and "at".' };
  }
}
