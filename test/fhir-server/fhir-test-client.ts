import type { Bundle, FhirResource, OperationOutcome } from 'fhir/r4';

/** A FHIR answer: status, media type and parsed JSON body. */
export interface FhirAnswer<T = FhirResource> {
  status: number;
  contentType: string | null;
  headers: Headers;
  body: T;
}

/** Sends a request with Node's fetch and parses the JSON answer. */
export async function request<T = FhirResource>(
  url: string,
  init: RequestInit = {},
): Promise<FhirAnswer<T>> {
  const res = await fetch(url, {
    ...init,
    headers: { accept: 'application/fhir+json', ...(init.headers ?? {}) },
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    headers: res.headers,
    body: JSON.parse(text) as T,
  };
}

/** GET a searchset Bundle, failing the test on any other answer. */
export async function search(url: string): Promise<Bundle> {
  const answer = await request<Bundle>(url);
  if (answer.status !== 200 || answer.body.type !== 'searchset') {
    throw new Error(
      `expected a searchset from ${url}, got ${answer.status} ${JSON.stringify(answer.body)}`,
    );
  }
  return answer.body;
}

/** Every page of a search, following `next` links; returns the pages. */
export async function searchAllPages(url: string): Promise<Bundle[]> {
  const pages: Bundle[] = [];
  let next: string | undefined = url;
  while (next) {
    const page = await search(next);
    pages.push(page);
    next = page.link?.find((l) => l.relation === 'next')?.url;
    if (pages.length > 1000) throw new Error('more than 1000 pages: the next links loop');
  }
  return pages;
}

/** `Type/id` of every entry of the pages, in order. */
export function entryRefs(...pages: Bundle[]): string[] {
  return pages.flatMap((p) =>
    (p.entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`),
  );
}

/** Search query string built the way clients are told to (URLSearchParams). */
export function query(params: Record<string, string | string[]>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) q.append(k, x);
  return q.toString();
}

/** The message of an OperationOutcome's first issue. */
export function outcomeText(outcome: OperationOutcome): string {
  const issue = outcome.issue[0];
  return `${issue?.details?.text ?? ''} ${issue?.diagnostics ?? ''}`.trim();
}

/** POST or PUT a resource as FHIR JSON. */
export function send<T = FhirResource>(
  method: 'POST' | 'PUT',
  url: string,
  resource: unknown,
): Promise<FhirAnswer<T>> {
  return request<T>(url, {
    method,
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify(resource),
  });
}
