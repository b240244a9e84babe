import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../src/api/client';
import type { UploadSession } from '../src/api/types';
import { UploadQueue, renamed, type Transport } from '../src/upload/queue';

const session = (uri: string, chunk = 4): UploadSession => ({
  session_id: 'sess-' + uri, chunk_size: chunk, expires: 4_000_000_000, uri,
  storage_policy: { id: 'p', name: 'local', type: 'local', max_size: 0 },
});

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

function fakeTransport(opts: { failChunks?: Record<number, number>; conflict?: Set<string> } = {}) {
  const log: string[] = [];
  const received = new Map<string, string[]>();
  const failures = { ...(opts.failChunks ?? {}) };
  const t: Transport = {
    async createSession(b) {
      log.push(`session ${b.uri}${b.entity_type ? ' ' + b.entity_type : ''}`);
      if (opts.conflict?.has(b.uri) && !b.entity_type) throw new ApiError(40004, 'exists');
      return session(b.uri);
    },
    async sendChunk(s, index, chunk, onProgress) {
      if (failures[index]) {
        failures[index]--;
        throw new NetworkError('offline');
      }
      const text = await chunk.text();
      onProgress(chunk.size);
      received.set(s.uri, [...(received.get(s.uri) ?? []), `${index}:${text}`]);
    },
    async createFolder(uri) {
      log.push('folder ' + uri);
    },
  };
  return { t, log, received };
}

const file = (name: string, body: string) => new File([body], name, { lastModified: 1000 });
const instant = async () => undefined;

async function settle(q: UploadQueue) {
  for (let i = 0; i < 200; i++) {
    if (q.tasks.get().every((t) => ['done', 'error', 'skipped', 'paused'].includes(t.status))) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error('queue did not settle: ' + JSON.stringify(q.tasks.get().map((t) => t.status)));
}

describe('UploadQueue', () => {
  it('creates folders parents first, then sends every chunk in order', async () => {
    const { t, log, received } = fakeTransport();
    const q = new UploadQueue({ transport: t, sleep: instant });
    await q.add([
      { file: file('a.txt', 'abcdefghij'), dirs: ['photos', '2024'] },
      { file: file('b.txt', 'xy'), dirs: ['photos'] },
    ], 'cloudreve://my/up');
    await settle(q);
    expect(log.slice(0, 2)).toEqual(['folder cloudreve://my/up/photos', 'folder cloudreve://my/up/photos/2024']);
    expect(received.get('cloudreve://my/up/photos/2024/a.txt')).toEqual(['0:abcd', '1:efgh', '2:ij']);
    expect(q.tasks.get().map((x) => [x.status, x.loaded])).toEqual([['done', 10], ['done', 2]]);
    expect(q.summary()).toMatchObject({ loaded: 12, size: 12, active: 0 });
  });

  it('retries a chunk after a network drop and continues from it', async () => {
    const { t, received } = fakeTransport({ failChunks: { 1: 2 } });
    const q = new UploadQueue({ transport: t, sleep: instant });
    await q.add([{ file: file('a.txt', 'abcdefghij'), dirs: [] }], 'cloudreve://my');
    await settle(q);
    expect(q.tasks.get()[0].status).toBe('done');
    expect(received.get('cloudreve://my/a.txt')).toEqual(['0:abcd', '1:efgh', '2:ij']);
  });

  it('fails after the retries run out, and a retry resumes at the failed chunk', async () => {
    const { t, received } = fakeTransport({ failChunks: { 1: 3 } });
    const storage = memoryStorage();
    const q = new UploadQueue({ transport: t, sleep: instant, retries: 2, storage });
    await q.add([{ file: file('a.txt', 'abcdefghij'), dirs: [] }], 'cloudreve://my');
    await settle(q);
    expect(q.tasks.get()[0].status).toBe('error');
    q.retryFailed();
    await settle(q);
    expect(q.tasks.get()[0].status).toBe('done');
    expect(received.get('cloudreve://my/a.txt')).toEqual(['0:abcd', '1:efgh', '2:ij']);
  });

  it('resumes a remembered session after a reload instead of starting over', async () => {
    const storage = memoryStorage();
    const first = fakeTransport({ failChunks: { 2: 99 } });
    const q1 = new UploadQueue({ transport: first.t, sleep: instant, retries: 0, storage });
    const f = file('big.bin', 'abcdefghij');
    await q1.add([{ file: f, dirs: [] }], 'cloudreve://my');
    await settle(q1);
    expect(q1.tasks.get()[0].status).toBe('error');

    // A new page: a fresh queue, the same file picked again.
    const second = fakeTransport();
    const q2 = new UploadQueue({ transport: second.t, sleep: instant, storage });
    await q2.add([{ file: f, dirs: [] }], 'cloudreve://my');
    await settle(q2);
    expect(second.log).toEqual([]); // no new session
    expect(second.received.get('cloudreve://my/big.bin')).toEqual(['2:ij']);
    expect(JSON.parse(storage.m.get('stratus.uploads')!)).toEqual({});
  });

  it('asks about a name conflict: overwrite sends a new version, rename keeps both, skip skips', async () => {
    const { t, log } = fakeTransport({ conflict: new Set(['cloudreve://my/a.txt', 'cloudreve://my/b.txt', 'cloudreve://my/c.txt']) });
    const answers: Record<string, 'overwrite' | 'rename' | 'skip'> = { 'a.txt': 'overwrite', 'b.txt': 'rename', 'c.txt': 'skip' };
    const q = new UploadQueue({ transport: t, sleep: instant, concurrency: 1, onConflict: async (task) => answers[task.name] });
    await q.add(['a.txt', 'b.txt', 'c.txt'].map((n) => ({ file: file(n, 'x'), dirs: [] })), 'cloudreve://my');
    await settle(q);
    expect(log).toContain('session cloudreve://my/a.txt version');
    expect(log).toContain('session cloudreve://my/b%20(1).txt');
    expect(q.tasks.get().map((x) => [x.name, x.status])).toEqual([['a.txt', 'done'], ['b (1).txt', 'done'], ['c.txt', 'skipped']]);
  });

  it('does not retry errors the server gives for the request itself', async () => {
    const t: Transport = {
      createSession: async () => { throw new ApiError(40051, 'no space'); },
      sendChunk: async () => undefined,
      createFolder: async () => undefined,
    };
    let tries = 0;
    const q = new UploadQueue({ transport: t, sleep: async () => void tries++ });
    await q.add([{ file: file('a', 'x'), dirs: [] }], 'cloudreve://my');
    await settle(q);
    expect(q.tasks.get()[0]).toMatchObject({ status: 'error', error: 'no space' });
    expect(tries).toBe(0);
  });

  it('names copies like the desktop does', () => {
    expect(renamed('report.pdf', 1)).toBe('report (1).pdf');
    expect(renamed('Makefile', 2)).toBe('Makefile (2)');
    expect(renamed('.env', 1)).toBe('.env (1)');
  });
});

describe('UploadQueue across pages', () => {
  it('lists what an earlier page left unfinished, and cancelling discards the session', async () => {
    const storage = memoryStorage();
    const first = fakeTransport({ failChunks: { 1: 99 } });
    const q1 = new UploadQueue({ transport: first.t, sleep: instant, retries: 0, storage });
    const f = file('big.bin', 'abcdefghij');
    await q1.add([{ file: f, dirs: ['d'] }], 'cloudreve://my');
    await settle(q1);

    const cancelled: string[] = [];
    const second = fakeTransport();
    second.t.cancel = async (id) => void cancelled.push(id);
    const q2 = new UploadQueue({ transport: second.t, sleep: instant, storage });
    expect(q2.unfinished()).toEqual([{ uri: 'cloudreve://my/d/big.bin', name: 'big.bin', size: 10, lastModified: 1000, loaded: 4 }]);
    await q2.discard('cloudreve://my/d/big.bin', 10, 1000);
    expect(q2.unfinished()).toEqual([]);
    expect(cancelled).toEqual(['sess-cloudreve://my/d/big.bin']);
  });
});
