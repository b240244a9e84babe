/** Reads flag n of a Cloudreve boolset (standard Base64 of little-endian bits). */
export function hasBit(boolset: string | undefined | null, n: number): boolean {
  if (!boolset) return false;
  let bytes: string;
  try {
    bytes = atob(boolset);
  } catch {
    return false;
  }
  const byte = n >> 3;
  return byte < bytes.length && ((bytes.charCodeAt(byte) >> (n & 7)) & 1) === 1;
}

export const Cap = {
  create: 0, rename: 1, upload: 6, download: 7, metadata: 8, list: 9, thumb: 10, hardDelete: 14,
  softDelete: 16, restore: 17, share: 18, info: 19, versions: 20, enter: 23, props: 24,
} as const;

/** Group permission bits (conventions §8.1) the app looks at. */
export const Perm = { archiveDownload: 4 } as const;
