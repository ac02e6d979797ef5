function (doc) {
  // The rows of the summary report (server/reports), one view for three kinds of document: the embedded store builds
  // each view of a design document in a pass of its own over the whole database, so one view is built three times
  // faster than three. Keys are [kind, date] so that a report reads, per kind, one key range bounded by its period:
  // - ['patient', d]: d is the last date anything in the record happens once the patient has left the register for
  //   good, or '9999-12-31' while the last status keeps them on it; records closed before the period — which grow
  //   without end — are never read. The value is the record without diagnoses or sealed notes.
  // - ['visit', date]: the visit's type.
  // - ['prescription', d]: d is the end date, or the day of cancellation when that comes first, or '9999-12-31'. The
  //   service works out the exact days in force and the morphine equivalent from the current reference book, so
  //   nothing derived is fixed in the index.
  // The patient is in the row's id; nothing sealed is emitted.
  if (typeof doc._id !== 'string') return;
  var kind = doc._id.split(':')[0];
  if (kind !== doc.type) return;
  var i;
  if (kind === 'patient') {
    var statuses = Array.isArray(doc.statusHistory) ? doc.statusHistory : [];
    var cares = Array.isArray(doc.careSettingHistory) ? doc.careSettingHistory : [];
    var needs = Array.isArray(doc.needsHistory) ? doc.needsHistory : [];
    var latest = typeof doc.inclusionDate === 'string' ? doc.inclusionDate : '';
    var later = function (date) {
      if (typeof date === 'string' && date > latest) latest = date;
    };
    var status = [];
    var care = [];
    var need = [];
    for (i = 0; i < statuses.length; i++) {
      var entry = statuses[i] || {};
      var death = entry.death || null;
      later(entry.from);
      if (death) later(death.date);
      status.push([entry.from, entry.status, entry.reason || null, death ? death.date : null, death ? death.place : null]);
    }
    for (i = 0; i < cares.length; i++) {
      var setting = cares[i] || {};
      later(setting.from);
      care.push([setting.from, setting.setting]);
    }
    for (i = 0; i < needs.length; i++) {
      var state = needs[i] || {};
      var listed = {};
      var all = state.needs || {};
      later(state.from);
      for (var name in all) {
        if (all[name]) listed[name] = [all[name].needed === true, all[name].met === true];
      }
      need.push([state.from, listed]);
    }
    var last = statuses.length > 0 ? (statuses[statuses.length - 1] || {}).status : null;
    var open = last === 'active' || last === 'pending' || last === null;
    emit(['patient', open ? '9999-12-31' : latest], {
      sex: doc.sex,
      birthYear: doc.birthYear,
      diseaseGroup: doc.diseaseGroup,
      inclusionDate: doc.inclusionDate,
      status: status,
      care: care,
      needs: need,
    });
  } else if (kind === 'visit') {
    if (typeof doc.date === 'string') emit(['visit', doc.date], doc.visitType);
  } else if (kind === 'prescription') {
    var until = typeof doc.end === 'string' ? doc.end : '9999-12-31';
    var cancelledOn = null;
    if (doc.status === 'cancelled') {
      cancelledOn = doc.cancellation && typeof doc.cancellation.at === 'string' ? doc.cancellation.at.slice(0, 10) : '';
      if (cancelledOn < until) until = cancelledOn;
    }
    emit(['prescription', until], {
      medicamentId: doc.medicamentId,
      dose: doc.dose,
      doseUnit: doc.doseUnit,
      timesPerDay: doc.timesPerDay === undefined ? null : doc.timesPerDay,
      intervalHours: doc.intervalHours === undefined ? null : doc.intervalHours,
      regimen: doc.regimen,
      maxDailyDose: doc.maxDailyDose === undefined ? null : doc.maxDailyDose,
      start: doc.start,
      end: doc.end === undefined ? null : doc.end,
      cancelledOn: cancelledOn,
    });
  }
}
