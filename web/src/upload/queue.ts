// The upload queue: a few files at a time, each sent in order chunk by chunk
// (the local driver writes at increasing offsets), chunks retried with
// backoff across network drops, sessions remembered so that the same file
// picked again after a reload resumes where the server left off.
import { ApiError, NetworkError } from '../api/client';
import type { UploadSession } from '../api/types';
import { store, type Store } from '../lib/store';
import { childURI, parseURI, buildURI } from '../lib/uri';

export type UploadStatus = 'queued' | 'uploading' | 'paused' | 'retrying' | 'done' | 'error' | 'skipped';
export type ConflictChoice = 'overwrite' | 'rename' | 'skip';

export interface UploadTask {
  id: number;
  file: File;
  /** Folder URI the file goes into (after its relative folders are applied). */
  folder: string;
  name: string;
  status: UploadStatus;
  loaded: number;
  size: number;
  error?: string;
  /** Bytes per second over the last few seconds. */
  speed: number;
}

export interface Transport {
  createSession(body: { uri: string; size: number; last_modified: number; mime_type: string; entity_type?: string }): Promise<UploadSession>;
  sendChunk(session: UploadSession, index: number, chunk: Blob, onProgress: (loaded: number) => void, signal: AbortSignal): Promise<void>;
  createFolder(uri: string): Promise<void>;
  /** Deletes an upload session and its placeholder. */
  cancel?(sessionID: string, uri: string): Promise<void>;
}

export interface QueueOptions {
  transport: Transport;
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  concurrency?: number;
  /** Waits between retries; tests pass an instant one. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  retries?: number;
  onConflict?: (task: UploadTask) => Promise<ConflictChoice>;
  onFinished?: (task: UploadTask) => void;
  now?: () => number;
}

export interface Picked {
  file: File;
  /** Folders between the drop target and the file, e.g. ["photos", "2024"]. */
  dirs: string[];
}

interface Saved {
  session: UploadSession;
  next: number;
}

const SAVED_KEY = 'stratus.uploads';
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000];

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      removeEventListener('online', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    // Coming back online ends the wait at once.
    if (typeof addEventListener === 'function') addEventListener('online', done);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('aborted', 'AbortError'));
    });
  });

/** Errors worth retrying: the network, or the server failing on its side. */
export const retryable = (e: unknown) => e instanceof NetworkError || (e instanceof ApiError && (e.code >= 50000 || e.code === -1));

export function renamed(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

export class UploadQueue {
  readonly tasks: Store<UploadTask[]> = store<UploadTask[]>([]);
  private nextId = 1;
  private running = new Map<number, AbortController>();
  private readonly o: Required<Omit<QueueOptions, 'onConflict' | 'onFinished' | 'storage'>> & QueueOptions;
  private conflictAll: ConflictChoice | null = null;

  constructor(opt: QueueOptions) {
    this.o = { concurrency: 3, sleep: defaultSleep, retries: BACKOFF_MS.length, now: Date.now, ...opt };
  }

  /** Queues files for a folder; their folders are created first. */
  async add(picked: Picked[], target: string): Promise<void> {
    const folders = new Set<string>();
    for (const p of picked) for (let i = 1; i <= p.dirs.length; i++) folders.add(p.dirs.slice(0, i).join('/'));
    const base = parseURI(target);
    // Parents before children: sorting by depth keeps that order.
    for (const f of [...folders].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))) {
      await this.o.transport.createFolder(buildURI({ ...base, segments: [...base.segments, ...f.split('/')], query: '' }));
    }
    const added = picked.filter((p) => p.file).map<UploadTask>((p) => ({
      id: this.nextId++,
      file: p.file,
      folder: buildURI({ ...base, segments: [...base.segments, ...p.dirs], query: '' }),
      name: p.file.name,
      status: 'queued',
      loaded: 0,
      size: p.file.size,
      speed: 0,
    }));
    this.tasks.set((ts) => [...ts, ...added]);
    this.pump();
  }

  pause(id: number) {
    this.running.get(id)?.abort();
    this.update(id, { status: 'paused', speed: 0 });
  }

  resume(id: number) {
    const t = this.find(id);
    if (t && (t.status === 'paused' || t.status === 'error')) {
      this.update(id, { status: 'queued', error: undefined });
      this.pump();
    }
  }

  retryFailed() {
    for (const t of this.tasks.get()) if (t.status === 'error') this.update(t.id, { status: 'queued', error: undefined });
    this.pump();
  }

  cancel(id: number) {
    const t = this.find(id);
    this.running.get(id)?.abort();
    this.tasks.set((ts) => ts.filter((x) => x.id !== id));
    if (t && t.status !== 'done' && t.status !== 'skipped') {
      const uri = childURI(t.folder, t.name);
      void this.discard(uri, t.file.size, t.file.lastModified);
    }
  }

  clearFinished() {
    this.tasks.set((ts) => ts.filter((t) => t.status !== 'done' && t.status !== 'skipped'));
  }

  /**
   * Uploads left unfinished by an earlier page (remembered sessions that no
   * task of this queue is sending): picking the same file again resumes it.
   */
  unfinished(): { uri: string; name: string; size: number; lastModified: number; loaded: number }[] {
    const nowSec = this.o.now() / 1000;
    const active = new Set(this.tasks.get().filter((t) => t.status !== 'done').map((t) => this.savedKey(t, childURI(t.folder, t.name))));
    return Object.entries(this.loadSaved())
      .filter(([key, s]) => s.session.expires > nowSec && !active.has(key))
      .map(([key, s]) => {
        const [uri, size, lastModified] = key.split('|');
        const chunk = s.session.chunk_size || Number(size);
        return { uri, name: parseURI(uri).segments.at(-1) ?? uri, size: Number(size), lastModified: Number(lastModified),
          loaded: Math.min(Number(size), s.next * chunk) };
      });
  }

  /** Forgets an unfinished upload and cancels its session on the server. */
  async discard(uri: string, size: number, lastModified: number) {
    const key = `${uri}|${size}|${lastModified}`;
    const s = this.loadSaved()[key];
    this.save(key, null);
    this.tasks.set((ts) => [...ts]);
    if (s) await this.o.transport.cancel?.(s.session.session_id, s.session.uri).catch(() => undefined);
  }

  /** Totals over the tasks not skipped. */
  summary() {
    let loaded = 0, size = 0, speed = 0, active = 0, failed = 0;
    for (const t of this.tasks.get()) {
      if (t.status === 'skipped') continue;
      loaded += t.loaded;
      size += t.size;
      speed += t.speed;
      if (t.status === 'uploading' || t.status === 'queued' || t.status === 'retrying') active++;
      if (t.status === 'error') failed++;
    }
    return { loaded, size, speed, active, failed, eta: speed > 0 ? (size - loaded) / speed : Infinity };
  }

  private find(id: number) {
    return this.tasks.get().find((t) => t.id === id);
  }

  private update(id: number, patch: Partial<UploadTask>) {
    this.tasks.set((ts) => ts.map((t) => (t.id === id ? { ...t, ...patch } : t)));
  }

  private pump() {
    for (const t of this.tasks.get()) {
      if (this.running.size >= this.o.concurrency) return;
      if (t.status !== 'queued' || this.running.has(t.id)) continue;
      const ctl = new AbortController();
      this.running.set(t.id, ctl);
      this.update(t.id, { status: 'uploading' });
      this.run(t, ctl.signal)
        .catch((e) => {
          if (ctl.signal.aborted) return; // paused or cancelled: the caller set the status
          this.update(t.id, { status: 'error', error: e instanceof Error ? e.message : String(e), speed: 0 });
        })
        .finally(() => {
          this.running.delete(t.id);
          this.pump();
        });
    }
  }

  private savedKey(t: UploadTask, uri: string) {
    return `${uri}|${t.file.size}|${t.file.lastModified}`;
  }

  private loadSaved(): Record<string, Saved> {
    try {
      return JSON.parse(this.o.storage?.getItem(SAVED_KEY) || '{}');
    } catch {
      return {};
    }
  }

  private save(key: string, v: Saved | null) {
    if (!this.o.storage) return;
    const all = this.loadSaved();
    const nowSec = this.o.now() / 1000;
    for (const [k, s] of Object.entries(all)) if (s.session.expires < nowSec) delete all[k];
    if (v) all[key] = v;
    else delete all[key];
    this.o.storage.setItem(SAVED_KEY, JSON.stringify(all));
  }

  /** Opens (or finds a remembered) upload session, asking about name conflicts. */
  private async session(t: UploadTask): Promise<{ key: string; saved: Saved } | null> {
    let name = t.name;
    let entity_type: string | undefined;
    for (let attempt = 1; ; attempt++) {
      const uri = childURI(t.folder, name);
      const key = this.savedKey(t, uri);
      const remembered = this.loadSaved()[key];
      if (remembered && remembered.session.expires > this.o.now() / 1000 + 60) return { key, saved: remembered };
      try {
        const s = await this.o.transport.createSession({
          uri, size: t.file.size, last_modified: t.file.lastModified, mime_type: t.file.type, entity_type,
        });
        const saved = { session: s, next: 0 };
        this.save(key, saved);
        if (name !== t.name) this.update(t.id, { name });
        return { key, saved };
      } catch (e) {
        if (!(e instanceof ApiError) || e.code !== 40004 || entity_type) throw e;
        const choice = this.conflictAll ?? (this.o.onConflict ? await this.o.onConflict(t) : 'skip');
        if (choice === 'skip') return null;
        if (choice === 'overwrite') entity_type = 'version';
        else name = renamed(t.name, attempt);
      }
    }
  }

  /** Makes later conflicts in this queue take the same answer. */
  applyToAll(choice: ConflictChoice | null) {
    this.conflictAll = choice;
  }

  private async run(t: UploadTask, signal: AbortSignal) {
    let opened = await this.withRetry(t, signal, () => this.session(t));
    if (!opened) {
      this.update(t.id, { status: 'skipped', speed: 0 });
      return;
    }
    const { key } = opened;
    let { session, next } = opened.saved;
    const chunk = session.chunk_size > 0 ? session.chunk_size : Math.max(t.file.size, 1);
    const count = Math.max(1, Math.ceil(t.file.size / chunk));
    let windowStart = this.o.now(), windowBytes = 0;
    for (let i = next; i < count; i++) {
      const start = i * chunk;
      const blob = t.file.slice(start, Math.min(start + chunk, t.file.size));
      let last = 0;
      try {
        await this.withRetry(t, signal, () =>
          this.o.transport.sendChunk(session, i, blob, (loaded) => {
            windowBytes += loaded - last;
            last = loaded;
            const elapsed = (this.o.now() - windowStart) / 1000;
            const speed = elapsed > 0.5 ? windowBytes / elapsed : this.find(t.id)?.speed ?? 0;
            if (elapsed > 3) { windowStart = this.o.now(); windowBytes = 0; }
            this.update(t.id, { loaded: start + loaded, speed });
          }, signal),
          () => { last = 0; },
        );
      } catch (e) {
        if (e instanceof ApiError && e.code === 40011) this.save(key, null); // session gone: start over next time
        throw e;
      }
      this.save(key, { session, next: i + 1 });
      this.update(t.id, { loaded: Math.min(start + chunk, t.file.size) });
    }
    this.save(key, null);
    const done = { status: 'done' as const, loaded: t.file.size, speed: 0 };
    this.update(t.id, done);
    this.o.onFinished?.({ ...t, ...done });
  }

  private async withRetry<R>(t: UploadTask, signal: AbortSignal, fn: () => Promise<R>, beforeRetry?: () => void): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await fn();
        if (this.find(t.id)?.status === 'retrying') this.update(t.id, { status: 'uploading', error: undefined });
        return r;
      } catch (e) {
        if (signal.aborted || !retryable(e) || attempt >= this.o.retries) throw e;
        this.update(t.id, { status: 'retrying', error: e instanceof Error ? e.message : String(e), speed: 0 });
        await this.o.sleep(BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)], signal);
        beforeRetry?.();
      }
    }
  }
}
