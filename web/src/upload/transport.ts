// Sends chunks to the master with XMLHttpRequest, the one browser API that
// reports upload progress.
import { ApiError, Client, NetworkError } from '../api/client';
import type { Transport } from './queue';
import { files } from '../api';

export function xhrTransport(client: Client): Transport {
  const post = (url: string, token: string | undefined, chunk: Blob, onProgress: (n: number) => void, signal: AbortSignal) =>
    new Promise<{ status: number; code: number; msg: string }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      if (token) xhr.setRequestHeader('Authorization', 'Bearer ' + token);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.upload.onprogress = (e) => onProgress(e.loaded);
      xhr.onload = () => {
        if (xhr.status === 401) return resolve({ status: 401, code: 401, msg: 'Login required' });
        try {
          const env = JSON.parse(xhr.responseText);
          resolve({ status: xhr.status, code: env.code, msg: env.msg ?? '' });
        } catch {
          resolve({ status: xhr.status, code: xhr.status >= 500 ? 50001 : -1, msg: xhr.statusText });
        }
      };
      xhr.onerror = () => reject(new NetworkError('upload interrupted'));
      xhr.ontimeout = xhr.onerror;
      xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
      signal.addEventListener('abort', () => xhr.abort());
      xhr.send(chunk);
    });

  return {
    createSession: (body) => files.createUpload(body),
    cancel: (id, uri) => files.cancelUpload(id, uri),
    createFolder: async (uri) => {
      await files.create(uri, 'folder', false);
    },
    async sendChunk(session, index, chunk, onProgress, signal) {
      const p = session.storage_policy;
      if (p.type !== 'local' && !p.relay) throw new ApiError(40006, `Uploads to “${p.type}” storage are not supported by this app yet`);
      const url = client.url(`/file/upload/${encodeURIComponent(session.session_id)}/${index}`);
      let token = await client.freshToken();
      let res = await post(url, token?.access_token, chunk, onProgress, signal);
      if (res.code === 401) {
        token = await client.refresh(token?.access_token);
        res = await post(url, token?.access_token, chunk, onProgress, signal);
      }
      if (res.code !== 0) throw new ApiError(res.code, res.msg);
    },
  };
}
