import { beforeEach, describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';

/** A clock the test moves by hand. */
class ManualClock {
  time = 1_790_000_000_000;
  readonly now = (): number => this.time;
  advanceSeconds(seconds: number): void {
    this.time += seconds * 1000;
  }
}

function fail(throttle: LoginThrottle, address: string, username: string, times: number): void {
  for (let i = 0; i < times; i += 1) throttle.recordFailure(address, username);
}

describe('login throttle', () => {
  let clock: ManualClock;
  let throttle: LoginThrottle;

  beforeEach(() => {
    clock = new ManualClock();
    throttle = new LoginThrottle(clock.now);
  });

  it('lets the first four failures of a pair through without waiting', () => {
    fail(throttle, '10.0.0.1', 'nina', 4);
    expect(throttle.retryAfter('10.0.0.1', 'nina')).toBe(0);
  });

  it.each([
    [5, 2],
    [6, 4],
    [7, 8],
    [10, 64],
    [20, 900],
  ])('after %i failures makes the pair wait %i seconds', (failures, seconds) => {
    fail(throttle, '10.0.0.1', 'nina', failures);
    expect(throttle.retryAfter('10.0.0.1', 'nina')).toBe(seconds);
  });

  it('counts the wait from the last failure, and lets the pair try again once it is over', () => {
    fail(throttle, '10.0.0.1', 'nina', 6);
    clock.advanceSeconds(3);
    expect(throttle.retryAfter('10.0.0.1', 'nina')).toBe(1);
    clock.advanceSeconds(1);
    expect(throttle.retryAfter('10.0.0.1', 'nina')).toBe(0);
  });

  it('does not slow the same user on another address, so a guesser cannot lock a nurse out', () => {
    fail(throttle, '203.0.113.9', 'nina', 12);
    expect(throttle.retryAfter('203.0.113.9', 'nina')).toBeGreaterThan(0);
    expect(throttle.retryAfter('10.0.0.1', 'nina')).toBe(0);
  });

  it('does not slow another user on the same address', () => {
    fail(throttle, '10.0.0.1', 'nina', 12);
    expect(throttle.retryAfter('10.0.0.1', 'boris')).toBe(0);
  });

  it('slows an address that sprays many usernames, for every username', () => {
    for (let i = 0; i < 30; i += 1) throttle.recordFailure('203.0.113.9', `user${i}`);
    expect(throttle.retryAfter('203.0.113.9', 'someone-new')).toBeGreaterThan(0);
    expect(throttle.retryAfter('10.0.0.1', 'someone-new')).toBe(0);
  });

  it('forgets failures older than fifteen minutes', () => {
    fail(throttle, '10.0.0.1', 'nina', 8);
    clock.advanceSeconds(15 * 60);
    expect(throttle.retryAfter('10.0.0.1', 'nina')).toBe(0);
    fail(throttle, '10.0.0.1', 'nina', 4);
    expect(throttle.retryAfter('10.0.0.1', 'nina')).toBe(0);
  });

  it('clears a pair’s failures when that pair logs in', () => {
    fail(throttle, '10.0.0.1', 'nina', 4);
    throttle.recordSuccess('10.0.0.1', 'nina');
    fail(throttle, '10.0.0.1', 'nina', 4);
    expect(throttle.retryAfter('10.0.0.1', 'nina')).toBe(0);
  });
});
