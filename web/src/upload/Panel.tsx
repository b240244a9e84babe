// The upload queue, bottom right: collapsible, per-file and total progress,
// speed and time left, pause/resume/retry.
import { useState } from 'preact/hooks';
import { Icon } from '../components/Icon';
import { t } from '../i18n';
import { formatDuration, formatSize } from '../lib/format';
import { useStore } from '../lib/store';
import { queue } from '.';
import type { UploadTask } from './queue';
import { parentURI } from '../lib/uri';
import { toast } from '../state';

export function UploadPanel() {
  const tasks = useStore(queue.tasks);
  const [open, setOpen] = useState(true);
  const left = queue.unfinished();
  if (tasks.length === 0 && left.length === 0) return null;
  if (tasks.length === 0) return <Unfinished left={left} />;
  const s = queue.summary();
  const pct = s.size > 0 ? Math.floor((s.loaded / s.size) * 100) : 100;
  const title = s.active > 0 ? t('upload.progress', { n: s.active, pct }) : s.failed > 0 ? t('upload.failed', { n: s.failed }) : t('upload.done');
  return (
    <section class={'uploads' + (open ? ' open' : '')} aria-label={t('upload.queue')}>
      <header>
        <button class="uploads-title" aria-expanded={open} onClick={() => setOpen(!open)}>
          <Icon name={open ? 'down' : 'up'} size={18} />
          <span>{title}</span>
        </button>
        {s.active > 0 && <small class="muted">{formatSize(s.speed)}/s · {formatDuration(s.eta)}</small>}
        {s.failed > 0 && <button class="icon-btn" aria-label={t('upload.retryAll')} title={t('upload.retryAll')} onClick={() => queue.retryFailed()}><Icon name="retry" size={18} /></button>}
        {s.active === 0 && <button class="icon-btn" aria-label={t('upload.clear')} title={t('upload.clear')} onClick={() => queue.clearFinished()}><Icon name="close" size={18} /></button>}
      </header>
      <div class="bar total" role="progressbar" aria-label={t('upload.total')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div class="fill" style={{ width: pct + '%' }} />
      </div>
      {open && (
        <ul class="upload-list">
          {tasks.slice(-200).map((task) => <Row key={task.id} task={task} />)}
        </ul>
      )}
      {open && left.length > 0 && <Unfinished left={left} embedded />}
    </section>
  );
}

type Left = ReturnType<typeof queue.unfinished>;

/** Uploads an earlier page left unfinished: the browser cannot reopen the
 * file by itself, so the user picks it again and the upload resumes at the
 * first chunk the server has not confirmed. */
function Unfinished({ left, embedded }: { left: Left; embedded?: boolean }) {
  const list = (
    <ul class="upload-list">
      {left.map((u) => {
        const pct = u.size ? Math.floor((u.loaded / u.size) * 100) : 0;
        return (
          <li key={u.uri} class="upload paused" data-status="unfinished">
            <div class="upload-name" title={u.name}>{u.name}</div>
            <div class="upload-meta"><span>{t('upload.unfinished', { pct })}</span></div>
            <div class="bar" role="progressbar" aria-label={u.name} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
              <div class="fill" style={{ width: pct + '%' }} />
            </div>
            <div class="upload-actions">
              <label class="icon-btn" title={t('upload.pickAgain')}>
                <Icon name="play" size={16} />
                <span class="sr-only">{t('upload.pickAgain')}: {u.name}</span>
                <input type="file" hidden onChange={(e) => {
                  const input = e.target as HTMLInputElement;
                  const f = input.files?.[0];
                  input.value = '';
                  if (!f) return;
                  if (f.name !== u.name || f.size !== u.size || f.lastModified !== u.lastModified) return toast(t('upload.notSameFile', { name: u.name }), 'error');
                  void queue.add([{ file: f, dirs: [] }], parentURI(u.uri));
                }} />
              </label>
              <button class="icon-btn" aria-label={t('upload.discard') + ': ' + u.name} title={t('upload.discard')} onClick={() => void queue.discard(u.uri, u.size, u.lastModified)}>
                <Icon name="close" size={16} />
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
  if (embedded) return list;
  return (
    <section class="uploads open" aria-label={t('upload.queue')}>
      <header><span class="uploads-title">{t('upload.unfinishedTitle', { n: left.length })}</span></header>
      {list}
    </section>
  );
}

function Row({ task }: { task: UploadTask }) {
  const pct = task.size > 0 ? Math.floor((task.loaded / task.size) * 100) : task.status === 'done' ? 100 : 0;
  return (
    <li class={'upload ' + task.status} data-status={task.status}>
      <div class="upload-name" title={task.name}>{task.name}</div>
      <div class="upload-meta">
        <span>{t(('upload.status.' + task.status) as 'upload.status.done')}{task.status === 'uploading' && ` · ${pct}%`}</span>
        {task.error && task.status !== 'uploading' && <span class="error">{task.error}</span>}
      </div>
      <div class="bar" role="progressbar" aria-label={task.name} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div class="fill" style={{ width: pct + '%' }} />
      </div>
      <div class="upload-actions">
        {(task.status === 'uploading' || task.status === 'retrying' || task.status === 'queued') && (
          <button class="icon-btn" aria-label={t('upload.pause')} onClick={() => queue.pause(task.id)}><Icon name="pause" size={16} /></button>
        )}
        {(task.status === 'paused' || task.status === 'error') && (
          <button class="icon-btn" aria-label={t('upload.resume')} onClick={() => queue.resume(task.id)}><Icon name="play" size={16} /></button>
        )}
        {task.status !== 'done' && (
          <button class="icon-btn" aria-label={t('action.cancel')} onClick={() => queue.cancel(task.id)}><Icon name="close" size={16} /></button>
        )}
      </div>
    </li>
  );
}
