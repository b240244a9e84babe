// Metadata of one item as the info panel shows and edits it: tags are
// `tag:<name>` keys whose value is a colour or empty; `sys:` keys belong to
// the server and are only ever shown read-only.
import type { MetadataPatch } from '../api/types';

export const TAG_PREFIX = 'tag:';

export interface SplitMetadata {
  tags: { name: string; color: string }[];
  others: { key: string; value: string; editable: boolean }[];
}

export function splitMetadata(meta: Record<string, string> | null | undefined): SplitMetadata {
  const out: SplitMetadata = { tags: [], others: [] };
  for (const key of Object.keys(meta ?? {}).sort()) {
    const value = meta![key];
    if (key.startsWith(TAG_PREFIX)) out.tags.push({ name: key.slice(TAG_PREFIX.length), color: value });
    else out.others.push({ key, value, editable: key.startsWith('customize:') || key.startsWith('dav:') });
  }
  return out;
}

// addTag returns the patch adding a tag, or null when the name is blank.
export function addTag(name: string, color = ''): MetadataPatch | null {
  const trimmed = name.trim();
  if (!trimmed) return null;
  return { key: TAG_PREFIX + trimmed, value: color.trim() };
}

export function removeKey(key: string): MetadataPatch {
  return { key, remove: true };
}
