// Turns what the user picked or dropped into files with their folder path,
// walking dropped folders through the File System entries API.
import type { Picked } from './queue';

export function pickedFromInput(list: FileList, keepFolders: boolean): Picked[] {
  return [...list].map((file) => {
    const rel = keepFolders && file.webkitRelativePath ? file.webkitRelativePath.split('/').slice(0, -1) : [];
    return { file, dirs: rel };
  });
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const out: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(out);
        out.push(...batch);
        next(); // readEntries returns at most 100 entries per call
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, dirs: string[], out: Picked[]) {
  if (entry.isFile) {
    const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
    out.push({ file, dirs });
  } else if (entry.isDirectory) {
    const children = await readAll((entry as FileSystemDirectoryEntry).createReader());
    const path = [...dirs, entry.name];
    if (children.length === 0) out.push({ file: null as unknown as File, dirs: path });
    for (const c of children) await walk(c, path, out);
  }
}

export async function pickedFromDrop(dt: DataTransfer): Promise<Picked[]> {
  const entries = [...dt.items].map((i) => (i.kind === 'file' ? i.webkitGetAsEntry?.() : null));
  if (entries.some((e) => e)) {
    const out: Picked[] = [];
    for (const e of entries) if (e) await walk(e, [], out);
    return out;
  }
  return [...dt.files].map((file) => ({ file, dirs: [] }));
}
