/**
 * The device audit events as the administration API answers them (`GET /api/admin/device-audit`, built in
 * server/admin/device-audit.ts, read by the audit page). The server rebuilds every event field by field from what a
 * device wrote into a facility database, so this shape is all an administrator's browser ever receives: ids,
 * revisions, flags — and of a losing version kept in a `conflict-resolved` event only its field names.
 */

/** What is said of a losing revision kept in a `conflict-resolved` event: never its content. */
export interface LosingSummary {
  type?: string;
  rev?: string;
  /** The names of its top-level fields, sorted. */
  fields: string[];
}

export interface DeviceAuditEvent {
  _id: string;
  facilityId: string;
  action: string;
  login: string;
  at: string;
  device?: string;
  docId?: string;
  rev?: string;
  details?: Record<string, string | number | boolean | null>;
  losing?: LosingSummary;
  /** The store holds conflicting revisions of this event: someone changed an append-only record. */
  tampered?: true;
}

export interface DeviceAuditPage {
  events: DeviceAuditEvent[];
  /** The offset of the next page, or null when this page is the last. */
  nextOffset: number | null;
}
