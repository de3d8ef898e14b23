import { randomUUID } from 'node:crypto';
import {
  badRequest,
  deepClone,
  matchesSearchRequest,
  notFound,
  OperationOutcomeError,
  preconditionFailed,
  validateResource,
  type SearchRequest,
  type WithId,
} from '@medplum/core';
import type { Bundle, BundleLink, OperationOutcome, Reference, Resource } from '@medplum/fhirtypes';
import {
  FhirRepository,
  type CreateResourceOptions,
  type MemoryRepository,
  type UpdateResourceOptions,
} from '@medplum/fhir-router';
import { Partition } from './partition';
import { partitionKeyOf, SHARED_PARTITION } from './patient-partition';
import { checkSearchRequest, type PagePolicy } from './search-request-check';
import { pagingLinks } from './paging-links';
import { orderForMatching, routedPatientIds } from './search-plan';
import { sortResources } from './search-sort';

type JsonPatch = Parameters<MemoryRepository['patchResource']>[2];

/** Options of {@link PartitionedRepository}. */
export interface PartitionedRepositoryOptions extends PagePolicy {
  /** Told about every unexpected error before it is answered as a 500 OperationOutcome. */
  onInternalError?: (error: unknown) => void;
}

const INTERNAL_ERROR: OperationOutcome = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'exception', details: { text: 'Internal server error' } }],
};

/**
 * A medplum `FhirRepository` that keeps each patient's resources in a `MemoryRepository` of
 * their own (see `partitionKeyOf`), so a search scoped to one patient scans only that patient's
 * resources, and a search without a patient scans every partition and merges. Matching is
 * medplum's `matchesSearchRequest`, the function `MemoryRepository.search` uses; sorting and
 * paging happen once, on the merged matches.
 *
 * Departures from `MemoryRepository`, on purpose: a create ignores the id the client sent (FHIR
 * says the server assigns it) unless the router asks to keep it (batch); creates and updates are
 * validated with medplum's `validateResource` (structure only, not code bindings); unexpected
 * errors become 500 OperationOutcomes, where medplum's router would answer them with 400.
 */
export class PartitionedRepository extends FhirRepository<undefined> {
  private readonly partitions = new Map<string, Partition>();
  /** `Type/id` -> key of the partition holding it. */
  private readonly locations = new Map<string, string>();

  constructor(private readonly options: PartitionedRepositoryOptions) {
    super();
  }

  setMode(): void {
    // One in-memory store: nothing to switch between readers and writers.
  }

  generateId(): string {
    return randomUUID();
  }

  /**
   * Stores a resource as it is, without validation (loading): keeping its id (or giving it one)
   * and any `meta.versionId` and `meta.lastUpdated` it carries. Takes ownership of `resource`.
   */
  async putResource(resource: Resource): Promise<void> {
    const withId = { ...resource, id: resource.id ?? this.generateId() } as WithId<Resource>;
    await this.commit(withId, (p) => p.repo.createResource(withId));
  }

  /** True when a resource of this type and id is stored. */
  hasResource(resourceType: string, id: string): boolean {
    return this.locations.has(`${resourceType}/${id}`);
  }

  /** Number of patient partitions (the shared one not counted). */
  patientPartitionCount(): number {
    return [...this.partitions.keys()].filter((key) => key !== SHARED_PARTITION).length;
  }

  createResource<T extends Resource>(
    resource: T,
    options?: CreateResourceOptions,
  ): Promise<WithId<T>> {
    return this.guard(async () => {
      const id = options?.assignedId && resource.id ? resource.id : this.generateId();
      const toCreate = { ...resource, id } as WithId<T>;
      validateResource(toCreate);
      return deepClone(await this.commit(toCreate, (p) => p.repo.createResource(toCreate)));
    });
  }

  updateResource<T extends Resource>(
    resource: T,
    options?: UpdateResourceOptions,
  ): Promise<WithId<T>> {
    return this.guard(async () => {
      const id = resource.id;
      if (!id) throw new OperationOutcomeError(badRequest('Missing id'));
      if (options?.ifMatch !== undefined) {
        const existing = await this.readResource(resource.resourceType, id);
        if (existing.meta?.versionId !== options.ifMatch) {
          throw new OperationOutcomeError(preconditionFailed);
        }
      }
      validateResource(resource);
      const toUpdate = resource as WithId<T>;
      return deepClone(await this.commit(toUpdate, (p) => p.repo.updateResource(toUpdate)));
    });
  }

  patchResource<T extends Resource>(
    resourceType: T['resourceType'],
    id: string,
    patch: JsonPatch,
  ): Promise<WithId<T>> {
    return this.guard(async () => {
      const partition = this.partitionOf(resourceType, id);
      const patched = await partition.repo.patchResource<T>(resourceType, id, patch);
      return deepClone(await this.settle(patched, partition));
    });
  }

  readResource<T extends Resource>(resourceType: string, id: string): Promise<WithId<T>> {
    return this.guard(() =>
      this.partitionOf(resourceType, id).repo.readResource<WithId<T>>(resourceType, id),
    );
  }

  readReference<T extends Resource>(reference: Reference<T>): Promise<WithId<T>> {
    const [resourceType, id, ...rest] = reference.reference?.split('/') ?? [];
    if (!resourceType || !id || rest.length > 0) {
      return Promise.reject(new OperationOutcomeError(badRequest('Invalid reference')));
    }
    return this.readResource<T>(resourceType, id);
  }

  readReferences<T extends Resource>(references: readonly Reference<T>[]): Promise<(T | Error)[]> {
    return Promise.all(
      references.map((r) => this.readReference<T>(r).catch((err: unknown) => toError(err))),
    );
  }

  readHistory<T extends Resource>(resourceType: string, id: string): Promise<Bundle<WithId<T>>> {
    return this.guard(
      async () =>
        (await this.partitionOf(resourceType, id).repo.readHistory<T>(resourceType, id)) as Bundle<
          WithId<T>
        >,
    );
  }

  readVersion<T extends Resource>(
    resourceType: string,
    id: string,
    versionId: string,
  ): Promise<WithId<T>> {
    return this.guard(() =>
      this.partitionOf(resourceType, id).repo.readVersion<WithId<T>>(resourceType, id, versionId),
    );
  }

  deleteResource(resourceType: string, id: string): Promise<void> {
    return this.guard(async () => {
      const partition = this.partitionOf(resourceType, id);
      await partition.repo.deleteResource(resourceType, id);
      partition.remove(resourceType, id);
      this.locations.delete(`${resourceType}/${id}`);
    });
  }

  search<T extends Resource>(searchRequest: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    return this.guard(async () => {
      const request = checkSearchRequest(searchRequest, this.options);
      const { resourceType } = request;
      const filters = request.filters ?? [];
      const matchOnly: SearchRequest = { resourceType, filters: orderForMatching(request) };
      let matches: WithId<Resource>[] = [];
      for (const partition of this.partitionsFor(request)) {
        for (const resource of partition.candidates(resourceType, filters)) {
          if (matchesSearchRequest(resource, matchOnly)) matches.push(resource);
        }
      }
      if (request.sortRules?.length) {
        matches = sortResources(matches, resourceType, request.sortRules);
      }
      const page = matches.slice(request.offset, request.offset + request.count);
      const link: BundleLink[] = pagingLinks(request, matches.length);
      return {
        resourceType: 'Bundle',
        type: 'searchset',
        total: matches.length,
        link,
        ...(page.length > 0
          ? {
              entry: page.map((resource) => ({
                resource: deepClone(resource) as WithId<T>,
                search: { mode: 'match' as const },
              })),
            }
          : {}),
      };
    });
  }

  async searchByReference<T extends Resource>(
    searchRequest: SearchRequest<T>,
    referenceField: string,
    references: string[],
  ): Promise<Record<string, WithId<T>[]>> {
    const results: Record<string, WithId<T>[]> = {};
    for (const reference of references) {
      const bundle = await this.search<T>({
        ...searchRequest,
        filters: [
          ...(searchRequest.filters ?? []),
          { code: referenceField, operator: 'eq', value: reference },
        ],
      });
      results[reference] = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
    }
    return results;
  }

  withTransaction<TResult>(callback: (client: undefined) => Promise<TResult>): Promise<TResult> {
    return callback(undefined);
  }

  /** The partitions a search must look in (see {@link routedPatientIds}). */
  private partitionsFor(request: SearchRequest): Partition[] {
    const ids = routedPatientIds(request);
    if (!ids) return [...this.partitions.values()];
    const keys = new Set([...ids, SHARED_PARTITION]);
    return [...keys].flatMap((key) => this.partitions.get(key) ?? []);
  }

  private snapshotKey(resourceType: string, id: string): string | undefined {
    return this.locations.get(`${resourceType}/${id}`);
  }

  private partitionOf(resourceType: string, id: string): Partition {
    const key = this.snapshotKey(resourceType, id);
    const partition = key === undefined ? undefined : this.partitions.get(key);
    if (!partition) throw new OperationOutcomeError(notFound);
    return partition;
  }

  private partition(key: string): Partition {
    let partition = this.partitions.get(key);
    if (!partition) this.partitions.set(key, (partition = new Partition()));
    return partition;
  }

  /**
   * Writes a resource in the partition that holds it (its own, when new), then re-homes it.
   * Returns the stored copy itself: callers clone it before handing it out.
   */
  private async commit<T extends Resource>(
    resource: WithId<T>,
    write: (partition: Partition) => Promise<WithId<T>>,
  ): Promise<WithId<T>> {
    const key = this.snapshotKey(resource.resourceType, resource.id) ?? partitionKeyOf(resource);
    const home = this.partition(key);
    return this.settle(await write(home), home);
  }

  /**
   * Records a written resource; when a write changed the patient it belongs to, moves it to that
   * patient's partition (its history there starts at the moved version).
   */
  private async settle<T extends Resource>(
    written: WithId<T>,
    home: Partition,
  ): Promise<WithId<T>> {
    const key = partitionKeyOf(written);
    let stored = written;
    if (this.partitions.get(key) === home) {
      home.put(written);
    } else {
      const destination = this.partition(key);
      stored = await destination.repo.createResource(written);
      destination.put(stored);
      await home.repo.deleteResource(written.resourceType, written.id);
      home.remove(written.resourceType, written.id);
    }
    this.locations.set(`${written.resourceType}/${written.id}`, key);
    return stored;
  }

  private async guard<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (err) {
      if (err instanceof OperationOutcomeError) throw err;
      this.options.onInternalError?.(err);
      throw new OperationOutcomeError(INTERNAL_ERROR, err);
    }
  }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
