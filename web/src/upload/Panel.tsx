// The upload queue, bottom right: collapsible, per-file and total progress,
// speed and time left, pause/resume/retry.
import { useState } from 'preact/hooks';
import { Icon } from '../components/Icon';
import { t } from '../i18n';
import { formatDuration, formatSize } from '../lib/format';
import { useStore } from '../lib/store';
import { queue } from '.';
import type { UploadTask } from './queue';

export function UploadPanel() {
  const tasks = useStore(queue.tasks);
  const [open, setOpen] = useState(true);
  if (tasks.length === 0) return null;
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
