import { randomBytes } from 'node:crypto';

/** What an EHR launch hands the app: the patient in context, and the card's appContext. */
export interface LaunchContext {
  patient: string;
  appContext?: string;
  encounter?: string;
}

interface Entry extends LaunchContext {
  expiresAt: number;
}

/**
 * Launch ids the EHR registered before opening an app, each usable once, for a few minutes: a
 * launch id in a URL that leaked (history, a screenshot) must not open the record later.
 */
export class LaunchContextStore {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? 10 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** Registers a context and returns its opaque launch id. */
  register(context: LaunchContext): string {
    this.#sweep();
    const id = randomBytes(18).toString('base64url');
    this.#entries.set(id, { ...context, expiresAt: this.#now() + this.#ttlMs });
    return id;
  }

  /** The context of a launch id, removing it (single use); undefined if unknown or expired. */
  take(id: string): LaunchContext | undefined {
    const entry = this.#entries.get(id);
    this.#entries.delete(id);
    if (!entry || entry.expiresAt <= this.#now()) return undefined;
    const { expiresAt: _expiresAt, ...context } = entry;
    return context;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, e] of this.#entries) if (e.expiresAt <= now) this.#entries.delete(id);
  }
}
