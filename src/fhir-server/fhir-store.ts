import type { Resource } from '@medplum/fhirtypes';
import { FhirRouter } from '@medplum/fhir-router';
import { indexFhirDefinitions } from './fhir-definitions';
import { flattenLoadInput, type LoadInput } from './load-input';
import { PartitionedRepository } from './partitioned-repository';
import { rewriteReferences, type ReferenceContext } from './reference-rewrite';

/** Options of {@link createFhirStore}. */
export interface FhirStoreOptions {
  /** Entries per searchset page when the client sends no `_count` (default 100). */
  defaultPageSize?: number;
  /** The largest page; a larger `_count` is lowered to it (default 1000). */
  maxPageSize?: number;
  /**
   * Base URLs that mean "this server" in absolute references, besides the server's own URL and
   * the bases of the `fullUrl`s of Bundles loaded (`https://synthetic.stellar.example/fhir`).
   */
  localBaseUrls?: readonly string[];
  /** Told about every unexpected error before it is answered as a 500 OperationOutcome. */
  onInternalError?: (error: unknown) => void;
}

/** Defaults of {@link FhirStoreOptions}. */
export const DEFAULT_PAGE_SIZE = 100;
export const DEFAULT_MAX_PAGE_SIZE = 1000;

/**
 * The data of one FHIR server, without HTTP: medplum's `FhirRouter` over a patient-partitioned
 * repository, plus loading. The express app (`createFhirServerApp`) serves a store; the demo can
 * make one, load it, and mount the app.
 */
export interface FhirStore {
  readonly router: FhirRouter;
  readonly repository: PartitionedRepository;
  /**
   * Stores resources as they are, keeping their ids (an existing resource with the same type and
   * id is replaced by a new version), after rewriting references to resources on this server to
   * their relative form (see `localReference`). Not validated: loading is seeding the database,
   * not a client's write. Resolves to the number of resources stored.
   */
  load(input: LoadInput): Promise<number>;
  /** Adds a base URL that means "this server" to reference rewriting (`http://127.0.0.1:8080/fhir`). */
  addLocalBase(baseUrl: string): void;
  /** Rewrites, in place, a client-written resource's references to this server to relative ones. */
  localizeReferences(resource: Resource, requestBase: string): void;
}

function checkPageSizes(defaultPageSize: number, maxPageSize: number): void {
  if (!Number.isSafeInteger(maxPageSize) || maxPageSize < 1) {
    throw new RangeError(`maxPageSize must be a whole number >= 1, got ${maxPageSize}`);
  }
  if (
    !Number.isSafeInteger(defaultPageSize) ||
    defaultPageSize < 1 ||
    defaultPageSize > maxPageSize
  ) {
    throw new RangeError(
      `defaultPageSize must be a whole number from 1 to maxPageSize (${maxPageSize}), got ${defaultPageSize}`,
    );
  }
}

/**
 * Makes an empty store. Indexes medplum's FHIR definitions first if this process has not yet.
 * @throws RangeError on page sizes that are not whole numbers with 1 <= default <= max
 */
export function createFhirStore(options: FhirStoreOptions = {}): FhirStore {
  const defaultPageSize = options.defaultPageSize ?? DEFAULT_PAGE_SIZE;
  const maxPageSize = options.maxPageSize ?? Math.max(DEFAULT_MAX_PAGE_SIZE, defaultPageSize);
  checkPageSizes(defaultPageSize, maxPageSize);
  indexFhirDefinitions();
  const repository = new PartitionedRepository({
    defaultPageSize,
    maxPageSize,
    ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
  });
  const localBases = new Set<string>();
  const addLocalBase = (baseUrl: string) => void localBases.add(baseUrl.replace(/\/+$/, ''));
  for (const base of options.localBaseUrls ?? []) addLocalBase(base);

  return {
    router: new FhirRouter(),
    repository,
    addLocalBase,
    localizeReferences(resource, requestBase) {
      const context: ReferenceContext = {
        fullUrls: new Map(),
        localBases: new Set([...localBases, requestBase]),
      };
      rewriteReferences(resource, context);
    },
    async load(input) {
      const flat = flattenLoadInput(input, () => repository.generateId());
      for (const base of flat.bases) addLocalBase(base);
      const context: ReferenceContext = { fullUrls: flat.fullUrls, localBases };
      for (const resource of flat.resources) {
        rewriteReferences(resource, context);
        // fhir/r4 and @medplum/fhirtypes describe the same JSON with separately written types.
        await repository.putResource(resource as unknown as Resource);
      }
      return flat.resources.length;
    },
  };
}
