/**
 * One page of secrets, filtered and sorted: what ListSecrets asks of a
 * store. The team store answers it in SQL (10,000 secrets are not read to
 * show the first 100); the embedded store, which holds its records in
 * memory, with `applySecretQuery`. Both sort by code unit (SQL's "C"
 * collation), ties broken by id, so a paging token means the same in both.
 */
import type { SecretRecord } from './store';

export interface SecretQuery {
  namePrefix?: string;
  /** Case-insensitive substring of the description. */
  descriptionContains?: string;
  /** Case-insensitive substring of the name or of the description. */
  search?: string;
  tagKey?: string;
  /** A tag value, of any key (AWS's tag-value filter; independent of tagKey). */
  tagValue?: string;
  /** Include secrets scheduled for deletion (not yet due). */
  includePlannedDeletion?: boolean;
  /** Secrets whose deletion date is at or before this instant are gone and never listed. */
  now: string;
  sortBy: 'name' | 'createdAt' | 'updatedAt';
  sortOrder: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export interface SecretPage {
  secrets: SecretRecord[];
  /** True when there are more after this page. */
  more: boolean;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function applySecretQuery(all: Iterable<SecretRecord>, q: SecretQuery): SecretPage {
  const desc = q.descriptionContains?.toLowerCase();
  const search = q.search?.toLowerCase();
  const dir = q.sortOrder === 'desc' ? -1 : 1;
  const hits = [...all]
    .filter((s) => !(s.deletionDate && s.deletionDate <= q.now))
    .filter((s) => q.includePlannedDeletion || !s.deletionDate)
    .filter((s) => q.namePrefix === undefined || s.name.startsWith(q.namePrefix))
    .filter((s) => desc === undefined || s.description.toLowerCase().includes(desc))
    .filter((s) => search === undefined || s.name.toLowerCase().includes(search) || s.description.toLowerCase().includes(search))
    .filter((s) => q.tagKey === undefined || q.tagKey in s.tags)
    .filter((s) => q.tagValue === undefined || Object.values(s.tags).includes(q.tagValue))
    .sort((a, b) => dir * (cmp(a[q.sortBy], b[q.sortBy]) || cmp(a.id, b.id)));
  return { secrets: hits.slice(q.offset, q.offset + q.limit), more: q.offset + q.limit < hits.length };
}

/** Secrets whose deletion date is due (for housekeeping, which purges them). */
export function dueForDeletion(all: Iterable<SecretRecord>, now: string): SecretRecord[] {
  return [...all].filter((s) => s.deletionDate !== undefined && s.deletionDate <= now);
}
