import { describe, expect, it } from 'vitest';
import { auditKeyRange, parseAuditFilter, selectAuditEvents, toAuditEvent, type AuditEvent } from './audit.ts';

function event(login: string, name: string, at: string): AuditEvent {
  return { _id: `audit:${login}:${at}:u`, type: 'audit', login, event: name, at };
}

const EVENTS = [
  event('admin', 'account-created', '2026-01-02T00:00:00.000Z'),
  event('nina', 'login', '2026-01-03T00:00:00.000Z'),
  event('admin', 'facility-created', '2026-01-01T00:00:00.000Z'),
];

describe('reading the audit trail', () => {
  it('reads one login’s period as a key range, and everything otherwise', () => {
    const filter = parseAuditFilter({ login: 'Admin', from: '2026-01-01T03:00:00+03:00', to: '2026-01-02T00:00:00Z' });
    expect(auditKeyRange(filter)).toEqual({
      startkey: 'audit:admin:2026-01-01T00:00:00.000Z',
      endkey: 'audit:admin:2026-01-02T00:00:00.000Z\ufff0',
    });
    expect(auditKeyRange(parseAuditFilter({}))).toEqual({ startkey: 'audit:', endkey: 'audit:\ufff0' });
  });

  it('lists newest first, filtered, at most the limit', () => {
    expect(selectAuditEvents(EVENTS, parseAuditFilter({})).map((e) => e.event)).toEqual([
      'login',
      'account-created',
      'facility-created',
    ]);
    expect(selectAuditEvents(EVENTS, parseAuditFilter({ login: 'admin', limit: '1' })).map((e) => e.event)).toEqual([
      'account-created',
    ]);
    expect(selectAuditEvents(EVENTS, parseAuditFilter({ to: '2026-01-01T00:00:00Z' })).map((e) => e.event)).toEqual([
      'facility-created',
    ]);
  });

  it('shows a stored event without its revision and ignores other documents', () => {
    const doc = { _id: 'audit:a:t:u', _rev: '1-x', type: 'audit', event: 'login', login: 'a', at: 't', address: '::1' };
    expect(toAuditEvent(doc)).toEqual({
      _id: 'audit:a:t:u',
      type: 'audit',
      event: 'login',
      login: 'a',
      at: 't',
      address: '::1',
    });
    expect(toAuditEvent({ _id: '_design/register', language: 'javascript' })).toBeNull();
  });

  it('refuses a period that ends before it starts, naming "to"', () => {
    expect(() => parseAuditFilter({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })).toThrow(/"to"/);
  });
});
