// The info panel: size, place, dates, tags and metadata (add, remove),
// versions (restore, delete), direct links and share links of one item.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { files } from '../api';
import type { FileItem, MetadataPatch } from '../api/types';
import { Icon, fileIcon } from '../components/Icon';
import { errorMessage, t } from '../i18n';
import { formatDate, formatSize } from '../lib/format';
import { parentURI, parseURI } from '../lib/uri';
import { toast } from '../state';
import { copyText } from './actions';
import { addTag, removeKey, splitMetadata } from './metadata';

// serverMessage prefers the server's own words on a refused patch (they
// name the bound that was broken) over the generic text for the code.
function serverMessage(e: unknown): string {
  const m = (e as { message?: string })?.message;
  return typeof (e as { code?: number })?.code === 'number' && m ? m : errorMessage(e);
}

export function InfoPanel({ item, onClose }: { item: FileItem | null; onClose: () => void }) {
  const [full, setFull] = useState<FileItem | null>(null);
  const [error, setError] = useState('');
  const [n, setN] = useState(0);
  useEffect(() => {
    setFull(null);
    setError('');
    if (!item) return;
    files.info(item.path, true, item.type === 1 && item.owned === true).then(setFull, (e) => setError(errorMessage(e)));
  }, [item?.id, n]);
  const versions = (full?.extended_info?.entities ?? []).filter((e) => e.type === 0);
  const run = (p: Promise<unknown>) => p.then(() => setN((x) => x + 1), (e) => toast(errorMessage(e), 'error'));
  const [tagName, setTagName] = useState('');
  const [metaError, setMetaError] = useState('');
  const patch = (p: MetadataPatch) =>
    files.patchMetadata([item!.path], [p]).then(() => { setMetaError(''); setN((x) => x + 1); return true; }, (e) => { setMetaError(serverMessage(e)); return false; });
  const meta = splitMetadata(full ? full.metadata : item?.metadata);
  const editable = item?.owned === true && !!full;
  return (
    <aside class="info" aria-label={t('info.title')}>
      <header>
        <h2>{t('info.title')}</h2>
        <button class="icon-btn" aria-label={t('action.close')} onClick={onClose}><Icon name="close" /></button>
      </header>
      {!item ? <p class="muted">{t('info.pick')}</p> : (
        <div class="info-body">
          <div class="info-icon"><Icon name={fileIcon(item.name, item.type === 1)} size={48} /></div>
          <h3 class="info-name">{item.name}</h3>
          {error && <p class="error">{error}</p>}
          <dl>
            <dt>{t('info.size')}</dt>
            <dd>{item.type === 1 ? (full?.folder_summary ? t('info.folderSummary', { size: formatSize(full.folder_summary.size), files: full.folder_summary.files, folders: full.folder_summary.folders }) : '–') : formatSize(item.size)}</dd>
            {full?.extended_info && <><dt>{t('info.storageUsed')}</dt><dd>{formatSize(full.extended_info.storage_used)}</dd></>}
            <dt>{t('info.location')}</dt>
            <dd>/{parseURI(parentURI(item.path)).segments.join('/')}</dd>
            <dt>{t('info.modified')}</dt>
            <dd>{formatDate(item.updated_at)}</dd>
            <dt>{t('info.created')}</dt>
            <dd>{formatDate(item.created_at)}</dd>
          </dl>
          <section>
            <h3><Icon name="tag" size={16} /> {t('info.tags')}</h3>
            {meta.tags.length > 0 && (
              <p class="tags">
                {meta.tags.map((g) => (
                  <span class="tag" key={g.name} style={g.color ? { borderLeft: '4px solid ' + g.color } : undefined}>
                    {g.name}
                    {editable && <button class="icon-btn" aria-label={t('info.removeTag', { name: g.name })} onClick={() => patch(removeKey('tag:' + g.name))}><Icon name="close" size={12} /></button>}
                  </span>
                ))}
              </p>
            )}
            {editable && (
              <form class="tag-form" onSubmit={(e) => {
                e.preventDefault();
                const p = addTag(tagName);
                if (p) patch(p).then((ok) => ok && setTagName(''));
              }}>
                <input aria-label={t('info.newTag')} placeholder={t('info.newTag')} value={tagName} onInput={(e) => setTagName(e.currentTarget.value)} />
                <button class="btn" type="submit" disabled={!tagName.trim()}>{t('info.addTag')}</button>
              </form>
            )}
            {metaError && <p class="error" role="alert">{metaError}</p>}
          </section>
          {meta.others.length > 0 && (
            <section>
              <h3>{t('info.metadata')}</h3>
              <dl>
                {meta.others.map((m) => (
                  <Fragment key={m.key}>
                    <dt>{m.key}</dt>
                    <dd>
                      {m.value}
                      {editable && m.editable && <button class="btn link danger" aria-label={t('info.removeKey', { key: m.key })} onClick={() => patch(removeKey(m.key))}>{t('action.delete')}</button>}
                    </dd>
                  </Fragment>
                ))}
              </dl>
            </section>
          )}
          {versions.length > 0 && (
            <section>
              <h3><Icon name="history" size={16} /> {t('info.versions')}</h3>
              <ul class="versions">
                {versions.map((v) => {
                  const current = v.id === (full?.primary_entity ?? item.primary_entity);
                  return (
                    <li key={v.id}>
                      <span>{formatDate(v.created_at)} · {formatSize(v.size)}{current && <strong> · {t('info.current')}</strong>}</span>
                      {!current && item.owned && (
                        <span>
                          <button class="btn link" onClick={() => run(files.setVersion(item.path, v.id))}>{t('action.restore')}</button>
                          <button class="btn link danger" onClick={() => run(files.deleteVersion(item.path, v.id))}>{t('action.delete')}</button>
                        </span>
                      )}
                      <button class="btn link" onClick={() => files.urls([item.path], { download: true, entity: v.id }).then((r) => (location.href = r.urls[0].url), (e) => toast(errorMessage(e), 'error'))}>{t('action.download')}</button>
                    </li>
                  );
                })}
              </ul>
            </section>
          )}
          {(full?.extended_info?.direct_links?.length ?? 0) > 0 && (
            <section>
              <h3><Icon name="link" size={16} /> {t('action.directLink')}</h3>
              <ul class="versions">
                {full!.extended_info!.direct_links!.map((l) => (
                  <li key={l.id}>
                    <span class="ellipsis" title={l.url}>{l.url}</span>
                    <button class="btn link" onClick={() => copyText(l.url)}>{t('action.copy')}</button>
                    <button class="btn link danger" onClick={() => run(files.deleteDirectLink(l.id))}>{t('action.delete')}</button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {(full?.extended_info?.shares?.length ?? 0) > 0 && (
            <section>
              <h3><Icon name="share" size={16} /> {t('nav.shares')}</h3>
              <ul class="versions">
                {full!.extended_info!.shares!.map((s) => (
                  <li key={s.id}>
                    <span class="ellipsis">{s.url}</span>
                    <button class="btn link" onClick={() => copyText(s.url)}>{t('action.copy')}</button>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      )}
    </aside>
  );
}
