/** `Type/id` of a resource; a missing or malformed id reads "(no id)" rather than throwing. */
export function referenceOf(type: string, resource: { id?: unknown }): string {
  return `${type}/${typeof resource.id === 'string' ? resource.id : '(no id)'}`;
}
