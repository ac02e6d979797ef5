import { describe, expect, it } from 'vitest';
import { parseDeviceAuditFilter, selectDeviceAuditEvents, toDeviceAuditEvent } from './device-audit.ts';

const ID = 'audit:nina:2026-11-29T09:00:00.000Z:9b2e4c1a-0f3d-4e5b-8a6c-7d8e9f0a1b2c';

describe('device audit events as administrators read them', () => {
  it('keeps ids, revisions and flat tokens, and summarises a losing version by its field names', () => {
    const stored = {
      _id: ID,
      _rev: '1-a',
      _conflicts: ['1-b'],
      type: 'audit',
      action: 'conflict-resolved',
      docId: 'patient:3f0c6a52',
      rev: '4-abc',
      at: '2026-11-29T09:00:00.000Z',
      device: 'tablet-7f3a',
      details: { kept: '4-abc', count: 2, note: 'Иванова Мария', nested: { a: 1 } },
      losing: { _id: 'patient:3f0c6a52', _rev: '4-def', type: 'patient', sex: 'female', careSettingHistory: [] },
      createdBy: 'nina',
      createdAt: '2026-11-29T09:00:00.000Z',
    };
    expect(toDeviceAuditEvent('a', stored)).toEqual({
      _id: ID,
      facilityId: 'a',
      action: 'conflict-resolved',
      login: 'nina',
      at: '2026-11-29T09:00:00.000Z',
      device: 'tablet-7f3a',
      docId: 'patient:3f0c6a52',
      rev: '4-abc',
      details: { kept: '4-abc', count: 2 },
      losing: { type: 'patient', rev: '4-def', fields: ['careSettingHistory', 'sex', 'type'] },
      tampered: true,
    });
  });

  it.each([
    ['a passport', { _id: 'passport:x', type: 'passport' }],
    ['an event without a login in its id', { _id: 'audit:x', type: 'audit', action: 'printed', at: 'x' }],
    ['something that is not a document', 'audit'],
  ])('skips %s', (_what, doc) => {
    expect(toDeviceAuditEvent('a', doc)).toBeNull();
  });

  it('orders newest first and pages without overlap', () => {
    const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T00:00:00.000Z`;
    const events = [3, 1, 2, 2].map((day, index) => ({
      _id: `audit:nina:${at(day)}:${index}`,
      facilityId: index === 3 ? 'b' : 'a',
      action: 'printed',
      login: 'nina',
      at: at(day),
    }));
    const first = selectDeviceAuditEvents(events, parseDeviceAuditFilter({ limit: '2' }));
    expect(first.events.map((e) => e._id)).toEqual([events[0]?._id, events[2]?._id]);
    expect(first.nextOffset).toBe(2);
    const rest = selectDeviceAuditEvents(events, parseDeviceAuditFilter({ limit: '2', offset: '2' }));
    expect(rest.events.map((e) => e._id)).toEqual([events[3]?._id, events[1]?._id]);
    expect(rest.nextOffset).toBeNull();
  });
});
