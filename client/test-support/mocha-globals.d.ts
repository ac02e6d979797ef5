/**
 * The mocha globals the browser tests use (web-test-runner runs mocha; @types/mocha is not a dependency, and
 * the root tsconfig lists its type packages explicitly).
 */
type MochaDone = (error?: unknown) => void;
type MochaTest = (this: unknown, done: MochaDone) => void | Promise<unknown>;

declare function describe(title: string, suite: () => void): void;
declare function it(title: string, test: MochaTest | (() => void | Promise<unknown>)): void;
declare function before(hook: () => void | Promise<unknown>): void;
declare function after(hook: () => void | Promise<unknown>): void;
declare function beforeEach(hook: () => void | Promise<unknown>): void;
declare function afterEach(hook: () => void | Promise<unknown>): void;
