import type { ServiceDefinition } from '../config/service-definition';
import { prefetchTemplates, type DataPlan } from '../fhir/data-plan';
import type { CdsDiscoveryResponse } from './cds-hooks-types';

/**
 * The discovery document, generated from the service definition and the data plan so that
 * what the service says it needs and what it reads cannot drift apart. One entry per hook,
 * all with the same id (the spec allows one service on several hooks).
 * @see https://cds-hooks.hl7.org/2.0/#discovery
 */
export function buildDiscovery(
  definition: ServiceDefinition,
  plan: DataPlan,
): CdsDiscoveryResponse {
  const prefetch = prefetchTemplates(plan);
  return {
    services: definition.hooks.map((hook) => ({
      hook,
      id: definition.id,
      title: definition.title,
      description: definition.description,
      prefetch,
      ...(definition.usageRequirements ? { usageRequirements: definition.usageRequirements } : {}),
    })),
  };
}
