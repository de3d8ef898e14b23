import type { Bundle, OperationOutcome } from 'fhir/r4';
import { startFhirServer, type RunningFhirServer } from '../../src/fhir-server';
import { generateCensus } from '../../src/synthetic';
import { NOW } from '../builders/fhir-builders';
import { entryRefs, query, request, search, searchAllPages } from './fhir-test-client';

const DEFAULT_PAGE = 25;
const MAX_PAGE = 60;

describe('searchset paging', () => {
  let fhir: RunningFhirServer;
  const census = generateCensus({ seed: 11, now: NOW, count: 3, observationTarget: 90 });
  const firstPatient = String(census[0]?.entry?.[0]?.resource?.id);

  beforeAll(async () => {
    fhir = await startFhirServer({ defaultPageSize: DEFAULT_PAGE, maxPageSize: MAX_PAGE });
    await fhir.load(census);
  });
  afterAll(() => fhir.close());

  /** Every entry of a search in one request: the reference the paged walks are checked against. */
  async function everything(params: Record<string, string>): Promise<string[]> {
    const refs: string[] = [];
    for (const page of await searchAllPages(
      `${fhir.url}/Observation?${query({ ...params, _count: String(MAX_PAGE) })}`,
    )) {
      refs.push(...entryRefs(page));
    }
    return refs;
  }

  it.each([
    ['one patient', { patient: firstPatient }],
    ['one patient, sorted by date', { patient: firstPatient, _sort: 'date' }],
    ['every patient', {}],
    ['every patient, newest first', { _sort: '-date' }],
  ])(
    'collects every entry of %s exactly once by following next links',
    async (_name, params: Record<string, string>) => {
      const pages = await searchAllPages(
        `${fhir.url}/Observation?${query({ ...params, _count: '7' })}`,
      );
      const refs = entryRefs(...pages);
      const total = pages[0]?.total ?? -1;
      expect(pages.length).toBe(Math.ceil(total / 7));
      expect(refs).toHaveLength(total);
      expect(new Set(refs).size).toBe(total);
      expect(pages.every((p) => p.total === total)).toBe(true);
      if (params._sort) expect(refs).toEqual(await everything(params));
      else expect([...refs].sort()).toEqual([...(await everything(params))].sort());
    },
  );

  it('gives absolute self and next links on this server, and none past the last page', async () => {
    const pages = await searchAllPages(
      `${fhir.url}/Observation?${query({ patient: firstPatient, _count: '50' })}`,
    );
    for (const page of pages) {
      for (const link of page.link ?? [])
        expect(link.url.startsWith(`${fhir.url}/Observation?`)).toBe(true);
      expect(page.link?.find((l) => l.relation === 'self')).toBeDefined();
      for (const entry of page.entry ?? []) {
        expect(entry.fullUrl).toBe(`${fhir.url}/Observation/${entry.resource?.id}`);
      }
    }
    expect(pages.at(-1)?.link?.some((l) => l.relation === 'next')).toBe(false);
  });

  it('pages by the default page size when no _count is given', async () => {
    const page = await search(`${fhir.url}/Observation?${query({ patient: firstPatient })}`);
    expect(page.entry).toHaveLength(DEFAULT_PAGE);
    expect(page.link?.some((l) => l.relation === 'next')).toBe(true);
  });

  it('lowers a _count above the maximum page size, and says so in the self link', async () => {
    const page = await search(`${fhir.url}/Observation?_count=5000`);
    expect(page.entry).toHaveLength(MAX_PAGE);
    const self = new URL(page.link?.find((l) => l.relation === 'self')?.url ?? '');
    expect(self.searchParams.get('_count')).toBe(String(MAX_PAGE));
  });

  it('gives only the total for _summary=count', async () => {
    const all = await searchAllPages(`${fhir.url}/Condition?_count=50`);
    const counted = await search(`${fhir.url}/Condition?_summary=count`);
    expect(counted.entry).toBeUndefined();
    expect(counted.total).toBe(entryRefs(...all).length);
  });

  it.each(['-1', 'many'])('rejects _count=%s with 400', async (count) => {
    const answer = await request<OperationOutcome>(`${fhir.url}/Observation?_count=${count}`);
    expect(answer.status).toBe(400);
    expect(answer.body.resourceType).toBe('OperationOutcome');
  });

  it('answers an empty search with total 0, a self link and no entries', async () => {
    const answer = await request<Bundle>(`${fhir.url}/Observation?patient=nobody`);
    expect(answer.status).toBe(200);
    expect(answer.body.total).toBe(0);
    expect(answer.body.entry).toBeUndefined();
    expect(answer.body.link?.map((l) => l.relation)).toContain('self');
  });
});
