/**
 * A ReactiveController that takes a service from a context and re-renders its host whenever the service
 * dispatches `change`. Services are plain EventTargets holding state; elements only render it.
 */
import { ContextConsumer, type Context } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { I18n, MessageKey, MessageParams, PluralKey } from '../i18n/i18n.ts';
import { i18nContext } from './contexts.ts';

type Host = ReactiveControllerHost & HTMLElement;

export class ServiceController<T extends EventTarget> implements ReactiveController {
  #value: T | undefined;
  #listening = false;
  readonly #host: Host;
  readonly #onChange = (): void => this.#host.requestUpdate();

  constructor(host: Host, context: Context<unknown, T>) {
    this.#host = host;
    host.addController(this);
    new ContextConsumer(host, { context, subscribe: true, callback: (value) => this.#attach(value) });
  }

  /** The service, or undefined until a provider above the host answers. */
  get value(): T | undefined {
    return this.#value;
  }

  hostConnected(): void {
    this.#listen();
  }

  hostDisconnected(): void {
    if (this.#value && this.#listening) this.#value.removeEventListener('change', this.#onChange);
    this.#listening = false;
  }

  #attach(value: T): void {
    if (value === this.#value) return;
    this.hostDisconnected();
    this.#value = value;
    this.#listen();
    this.#host.requestUpdate();
  }

  #listen(): void {
    if (!this.#value || this.#listening || !this.#host.isConnected) return;
    this.#value.addEventListener('change', this.#onChange);
    this.#listening = true;
  }
}

/** The I18n service with shortcuts; renders keys as-is until a provider answers (never in the app itself). */
export class I18nController extends ServiceController<I18n> {
  constructor(host: Host) {
    super(host, i18nContext);
  }

  t(key: MessageKey, params?: MessageParams): string {
    return this.value ? this.value.t(key, params) : key;
  }

  plural(base: PluralKey, count: number, params?: MessageParams): string {
    return this.value ? this.value.plural(base, count, params) : base;
  }
}
