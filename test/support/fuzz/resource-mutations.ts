import fc from 'fast-check';
import { hostileInProcess, hostileJson } from './hostile-values';

type Json = Record<string, unknown>;

/**
 * One change to a list of FHIR resources. Targets and paths are plain numbers taken modulo what
 * exists, so fast-check can shrink a failure to the few changes that matter and the same seed
 * always gives the same records.
 */
export type ResourceMutation =
  /** Sets the value at one path (any depth) of a resource. */
  | { op: 'set'; target: number; path: number; value: unknown }
  /** Removes the value at one path (a required field gone, an array element gone). */
  | { op: 'delete'; target: number; path: number }
  /** Adds a changed copy of a resource with the same type and id (a duplicated id). */
  | { op: 'duplicate'; target: number; path: number; value: unknown }
  /** Gives a resource another resource type. */
  | { op: 'retype'; target: number; resourceType: string }
  /** Replaces a whole resource with a value. */
  | { op: 'replace'; target: number; value: unknown }
  /**
   * Contained resources that reference each other and their container (`#` and `#id`): circular
   * in FHIR's reference graph while the JSON stays a tree.
   */
  | { op: 'contain-cycle'; target: number }
  /**
   * In process only: makes the object graph itself circular (a resource contains itself, an
   * object at a path points back at its resource), as a parser that resolves references may.
   */
  | { op: 'object-cycle'; target: number; path: number };

const RESOURCE_TYPES = [
  'Patient',
  'Observation',
  'Condition',
  'Procedure',
  'Encounter',
  'DeviceUseStatement',
  'Device',
  'AllergyIntolerance',
  'Bundle',
  'OperationOutcome',
  'Basic',
  '__proto__',
  '',
];

function isObject(value: unknown): value is Json {
  return !!value && typeof value === 'object';
}

/** Every slot (container and key) of a value, breadth first, at most `limit`, cycles skipped. */
function slotsOf(root: unknown, limit = 5_000): [Json | unknown[], string | number][] {
  const slots: [Json | unknown[], string | number][] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [root];
  while (queue.length > 0 && slots.length < limit) {
    const node = queue.shift();
    if (!isObject(node) || seen.has(node)) continue;
    seen.add(node);
    const keys: (string | number)[] = Array.isArray(node)
      ? node.map((_, i) => i)
      : Object.keys(node);
    for (const key of keys) {
      slots.push([node as Json, key]);
      queue.push((node as Json)[key as string]);
    }
  }
  return slots;
}

function pick<T>(items: readonly T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}

/** A deep copy, or a shallow one when the value nests deeper than structuredClone's stack. */
function cloneOrShallowCopy(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return Array.isArray(value) ? [...value] : isObject(value) ? { ...value } : value;
  }
}

/**
 * A copy of a generated value to insert: fast-check hands out the same instance more than once
 * (constants, shrinking), and later mutations write inside what was inserted. An object without
 * a prototype keeps having none.
 */
export function freshCopy(value: unknown): unknown {
  if (isObject(value) && !Array.isArray(value) && Object.getPrototypeOf(value) === null) {
    return Object.assign(Object.create(null) as Json, cloneOrShallowCopy({ ...value }));
  }
  return cloneOrShallowCopy(value);
}

/**
 * Applies mutations to a deep copy of `resources` and returns the copy. `object-cycle`
 * mutations make the result circular: pass it only to in-process code.
 */
export function mutateResources(
  resources: readonly unknown[],
  mutations: readonly ResourceMutation[],
): unknown[] {
  const out = cloneOrShallowCopy(resources) as unknown[];
  for (const m of mutations) {
    if (out.length === 0) out.push({ resourceType: 'Observation' });
    const index = m.target % out.length;
    const resource = out[index];
    switch (m.op) {
      case 'set': {
        const slot = pick(slotsOf(resource), m.path);
        if (slot) (slot[0] as Json)[slot[1] as string] = freshCopy(m.value);
        else out[index] = freshCopy(m.value);
        break;
      }
      case 'delete': {
        const slot = pick(slotsOf(resource), m.path);
        if (!slot) break;
        const [container, key] = slot;
        if (Array.isArray(container)) container.splice(key as number, 1);
        else delete container[key as string];
        break;
      }
      case 'duplicate': {
        const copy: unknown = cloneOrShallowCopy(resource);
        const slot = pick(slotsOf(copy), m.path);
        if (slot && slot[1] !== 'id' && slot[1] !== 'resourceType') {
          (slot[0] as Json)[slot[1] as string] = freshCopy(m.value);
        }
        out.push(copy);
        break;
      }
      case 'retype':
        if (isObject(resource)) (resource as Json).resourceType = m.resourceType;
        break;
      case 'replace':
        out[index] = freshCopy(m.value);
        break;
      case 'contain-cycle': {
        if (!isObject(resource) || Array.isArray(resource)) break;
        const r = resource as Json;
        r.contained = [
          {
            resourceType: 'Device',
            id: 'a',
            parent: { reference: '#b' },
            patient: { reference: '#' },
          },
          { resourceType: 'Device', id: 'b', parent: { reference: '#a' } },
          { ...(cloneOrShallowCopy(r) as Json), id: 'self', contained: undefined },
        ];
        r.device = { reference: '#a' };
        r.hasMember = [{ reference: '#self' }, { reference: '#' }];
        r.derivedFrom = [{ reference: `${String(r.resourceType)}/${String(r.id)}` }];
        break;
      }
      case 'object-cycle': {
        if (!isObject(resource)) break;
        const slot = pick(slotsOf(resource), m.path);
        const holder =
          slot && isObject(slot[0][slot[1] as never]) ? slot[0][slot[1] as never] : resource;
        if (Array.isArray(holder)) holder.push(resource);
        else {
          (holder as Json).loop = resource;
          (resource as Json).contained = [resource, holder];
        }
        break;
      }
    }
  }
  return out;
}

const target = fc.nat({ max: 10_000 });
const path = fc.nat({ max: 100_000 });

/** Mutations whose result is still JSON (safe to send over HTTP). */
export function jsonMutation(): fc.Arbitrary<ResourceMutation> {
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({ op: fc.constant('set' as const), target, path, value: hostileJson }),
    },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), target, path }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('duplicate' as const),
        target,
        path,
        value: hostileJson,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('retype' as const),
        target,
        resourceType: fc.constantFrom(...RESOURCE_TYPES),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant('replace' as const), target, value: hostileJson }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('contain-cycle' as const), target }) },
  );
}

/** Mutations for in-process callers: JSON's, values JSON cannot carry, and circular graphs. */
export function inProcessMutation(): fc.Arbitrary<ResourceMutation> {
  return fc.oneof(
    { weight: 6, arbitrary: jsonMutation() },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('set' as const),
        target,
        path,
        value: hostileInProcess,
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('object-cycle' as const), target, path }) },
  );
}
