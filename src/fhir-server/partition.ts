import type { Filter, WithId } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { MemoryRepository } from '@medplum/fhir-router';
import { searchParameterOf } from './fhir-definitions';
import { buildTokenIndex, lookUpTokens, tokenLookupKeys, type TokenIndex } from './token-index';

/**
 * One patient's resources (or the shared ones): a medplum `MemoryRepository`, which stores them
 * with their versions and history and answers reads, plus a copy of each current version by type
 * for search, so a search only touches this partition's resources of the searched type.
 *
 * The copies are the objects the repository returned from its own writes: never handed out, and
 * replaced (not changed) on every write, so they always equal the repository's current versions.
 */
export class Partition {
  readonly repo = new MemoryRepository();
  private readonly byType = new Map<string, Map<string, WithId<Resource>>>();
  /** Token indexes by `type` then parameter code, built on first use, dropped on any write. */
  private readonly tokenIndexes = new Map<string, Map<string, TokenIndex>>();

  /** Records the current version of a resource after a write to {@link repo}. */
  put(resource: WithId<Resource>): void {
    let resources = this.byType.get(resource.resourceType);
    if (!resources) this.byType.set(resource.resourceType, (resources = new Map()));
    resources.set(resource.id, resource);
    this.tokenIndexes.delete(resource.resourceType);
  }

  /** Forgets a resource after it was deleted from {@link repo}. */
  remove(resourceType: string, id: string): void {
    this.byType.get(resourceType)?.delete(id);
    this.tokenIndexes.delete(resourceType);
  }

  /** Resource types with at least one resource here. */
  types(): string[] {
    return [...this.byType].filter(([, resources]) => resources.size > 0).map(([type]) => type);
  }

  /** How many resources of `resourceType` are here. */
  count(resourceType: string): number {
    return this.byType.get(resourceType)?.size ?? 0;
  }

  /**
   * The resources of `resourceType` that may match `filters`, in the order they were first
   * stored: all of them, or, when a token filter can use an index, only those the index gives
   * for the most selective such filter. Callers still match each candidate with medplum.
   */
  candidates(resourceType: string, filters: readonly Filter[]): WithId<Resource>[] {
    const resources = this.byType.get(resourceType);
    if (!resources || resources.size === 0) return [];
    let best: Set<Resource> | undefined;
    for (const filter of filters) {
      const keys = tokenLookupKeys(filter);
      const index = keys && this.tokenIndex(resourceType, filter.code);
      if (!keys || !index) continue;
      const found = lookUpTokens(index, keys);
      if (!best || found.size < best.size) best = found;
      if (best.size === 0) return [];
    }
    const all = [...resources.values()];
    const chosen = best;
    return chosen ? all.filter((resource) => chosen.has(resource)) : all;
  }

  private tokenIndex(resourceType: string, code: string): TokenIndex | undefined {
    const param = searchParameterOf(resourceType, code);
    if (param?.type !== 'token') return undefined;
    let byCode = this.tokenIndexes.get(resourceType);
    if (!byCode) this.tokenIndexes.set(resourceType, (byCode = new Map()));
    let index = byCode.get(code);
    if (!index) {
      index = buildTokenIndex(param, this.byType.get(resourceType)?.values() ?? []);
      byCode.set(code, index);
    }
    return index;
  }
}
