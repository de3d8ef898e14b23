import { randomUUID } from 'node:crypto';
import { signCdsClientJwt, type CdsClientKey } from '../../auth';
import type {
  CdsDiscoveryResponse,
  CdsFeedbackItem,
  CdsHookRequest,
  CdsServiceResponse,
} from '../../cds/cds-hooks-types';

/** A CDS Hooks call that did not answer 200, with what the service said. */
export class CdsCallError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'CdsCallError';
    this.status = status;
  }
}

export interface CdsClientOptions {
  /** The CDS service's base URL (before `/cds-services`). */
  serviceBase: string;
  /** This EHR's issuer id (`iss` of its JWTs; listed in the service's trusted issuers). */
  issuer: string;
  key: CdsClientKey;
  /** Discovery is cached this long, ms (EHRs re-read it now and then, not per chart). */
  discoveryTtlMs?: number;
}

/**
 * The EHR side of CDS Hooks 2.0, server to server as a real EHR calls it: discovery, service
 * calls and feedback, each with a fresh JWT signed with the EHR's key (`aud` = the URL called).
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
export class CdsClient {
  readonly #options: CdsClientOptions;
  #discovery: { value: CdsDiscoveryResponse; at: number } | undefined;

  constructor(options: CdsClientOptions) {
    this.#options = { ...options, serviceBase: options.serviceBase.replace(/\/+$/, '') };
  }

  async #call(path: string, init: { method: string; body?: unknown; signal?: AbortSignal }) {
    const url = `${this.#options.serviceBase}${path}`;
    const token = signCdsClientJwt(this.#options.key, {
      iss: this.#options.issuer,
      aud: url,
      jti: randomUUID(),
    });
    const res = await fetch(url, {
      method: init.method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const text = await res.text();
    if (!res.ok) {
      let detail = text.slice(0, 300);
      try {
        const outcome = JSON.parse(text) as { issue?: { diagnostics?: string }[] };
        detail = outcome.issue?.[0]?.diagnostics ?? detail;
      } catch {
        // not JSON: keep the text
      }
      throw new CdsCallError(
        res.status,
        `${init.method} ${path} answered ${res.status}: ${detail}`,
      );
    }
    return text === '' ? {} : (JSON.parse(text) as unknown);
  }

  /** The services on offer (cached for `discoveryTtlMs`, default a minute). */
  async discover(): Promise<CdsDiscoveryResponse> {
    const ttl = this.#options.discoveryTtlMs ?? 60_000;
    if (this.#discovery && Date.now() - this.#discovery.at < ttl) return this.#discovery.value;
    const value = (await this.#call('/cds-services', { method: 'GET' })) as CdsDiscoveryResponse;
    this.#discovery = { value, at: Date.now() };
    return value;
  }

  async callService(
    serviceId: string,
    request: CdsHookRequest,
    signal?: AbortSignal,
  ): Promise<CdsServiceResponse> {
    return (await this.#call(`/cds-services/${encodeURIComponent(serviceId)}`, {
      method: 'POST',
      body: request,
      ...(signal ? { signal } : {}),
    })) as CdsServiceResponse;
  }

  async sendFeedback(serviceId: string, feedback: CdsFeedbackItem[]): Promise<void> {
    await this.#call(`/cds-services/${encodeURIComponent(serviceId)}/feedback`, {
      method: 'POST',
      body: { feedback },
    });
  }
}
