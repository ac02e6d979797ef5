function (newDoc, oldDoc, userCtx) {
  // reference: medicaments, ICD-10 chunks, districts, facilities, staff directory. Readable by all staff,
  // writable by administrators only. Ids start with the type ("medicament:…"), so a type is a key range.
  var roles = userCtx.roles || [];
  if (roles.indexOf('_admin') === -1 && roles.indexOf('admin') === -1) {
    throw { forbidden: 'Only administrators may change reference books.' };
  }
  if (newDoc._id.indexOf('_design/') === 0) {
    if (roles.indexOf('_admin') === -1) throw { forbidden: 'Design documents are written by the server only.' };
    return;
  }
  if (newDoc._deleted) {
    // Records refer to reference entries: they are deactivated ("active": false), never deleted.
    if (roles.indexOf('_admin') === -1) throw { forbidden: 'Reference entries are deactivated, not deleted.' };
    return;
  }
  var type = newDoc._id.split(':')[0];
  if (newDoc._id.indexOf(':') < 1 || newDoc._id.length === type.length + 1) {
    throw { forbidden: 'A reference document id must be "<type>:<key>".' };
  }
  if (newDoc.type !== type) {
    throw { forbidden: 'Field "type" must be "' + type + '", as the document id says.' };
  }
}
