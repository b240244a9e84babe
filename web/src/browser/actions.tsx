// File actions shared by the toolbar, the context menu and the keyboard.
import { files, shares, type ShareOptions } from '../api';
import type { FileItem } from '../api/types';
import { confirmDialog, promptDialog, showDialog } from '../components/Dialog';
import { errorMessage, t } from '../i18n';
import { buildURI, childURI, parentURI, parseURI, MY_ROOT, TRASH_ROOT } from '../lib/uri';
import { homeURL, navigate } from '../lib/router';
import type { Share } from '../api/types';
import { toast, refreshCapacity, loadMe, me } from '../state';
import { ApiError } from '../api/client';
import { changed } from '../upload';
import { pickFolder } from './FolderPicker';
import { useState } from 'preact/hooks';

const fail = (e: unknown) => toast(errorMessage(e), 'error');

export async function newItem(folder: string, type: 'folder' | 'file') {
  const name = await promptDialog(type === 'folder' ? t('new.folder') : t('new.file'), t('field.name'), type === 'folder' ? t('new.folderName') : t('new.fileName'), t('action.create'), type === 'file');
  if (!name) return;
  try {
    await files.create(childURI(folder, name), type);
    changed(folder);
  } catch (e) {
    fail(e);
  }
}

export async function rename(item: FileItem) {
  const name = await promptDialog(t('action.rename'), t('field.name'), item.name, t('action.rename'), item.type === 0);
  if (!name || name === item.name) return;
  try {
    await files.rename(item.path, name);
    changed(parentURI(item.path));
  } catch (e) {
    fail(e);
  }
}

export async function moveOrCopy(items: FileItem[], copy: boolean, dst?: string) {
  const target = dst ?? (await pickFolder(copy ? t('action.copyTo') : t('action.moveTo'), parentURI(items[0].path)));
  if (!target) return;
  try {
    await files.move(items.map((i) => i.path), target, copy);
    toast(copy ? t('done.copied', { n: items.length }) : t('done.moved', { n: items.length }));
    changed(parentURI(items[0].path));
    changed(target);
    if (copy) void refreshCapacity();
  } catch (e) {
    fail(e);
  }
}

export async function trash(items: FileItem[]) {
  if (items.length === 0) return;
  const folder = parentURI(items[0].path);
  try {
    await files.remove(items.map((i) => i.path));
    changed(folder);
    toast(t('done.trashed', { n: items.length }), 'ok', {
      label: t('action.undo'),
      run: async () => {
        // Trashed items keep their name under the trash root.
        try {
          const list = await files.list({ uri: TRASH_ROOT, page_size: 2000 });
          const ids = new Set(items.map((i) => i.id));
          await files.restore(list.files.filter((f) => ids.has(f.id)).map((f) => f.path));
          changed(folder);
        } catch (e) {
          fail(e);
        }
      },
    });
  } catch (e) {
    fail(e);
  }
}

export async function deleteForever(items: FileItem[]) {
  const ok = await confirmDialog(t('action.deleteForever'), t('confirm.deleteForever', { n: items.length }), t('action.deleteForever'), true);
  if (!ok) return;
  try {
    await files.remove(items.map((i) => i.path), true);
    changed(TRASH_ROOT);
    void refreshCapacity();
  } catch (e) {
    fail(e);
  }
}

export async function restore(items: FileItem[]) {
  try {
    await files.restore(items.map((i) => i.path));
    toast(t('done.restored', { n: items.length }));
    changed(TRASH_ROOT);
  } catch (e) {
    fail(e);
  }
}

export async function emptyTrash() {
  const ok = await confirmDialog(t('trash.empty'), t('confirm.emptyTrash'), t('trash.empty'), true);
  if (!ok) return;
  try {
    await files.emptyTrash();
    changed(TRASH_ROOT);
    void refreshCapacity();
  } catch (e) {
    fail(e);
  }
}

function saveURL(url: string) {
  const a = document.createElement('a');
  a.href = url;
  a.download = '';
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export async function download(items: FileItem[]) {
  try {
    if (items.length === 1 && items[0].type === 0) {
      const r = await files.urls([items[0].path], { download: true });
      saveURL(r.urls[0].url);
    } else {
      const r = await files.urls(items.map((i) => i.path), { archive: true });
      saveURL(r.urls[0].url);
    }
  } catch (e) {
    // Zips need the archive-download permission; signed out, signing in may bring it.
    if (e instanceof ApiError && (e.code === 401 || e.code === 40007) && !me.get()) toast(t('share.zipNeedsSignIn'), 'error');
    else fail(e);
  }
}

export async function pin(folder: string, name?: string) {
  try {
    await files.pin(folder, name);
    await loadMe();
    toast(t('done.pinned'));
  } catch (e) {
    fail(e);
  }
}

export async function copyText(text: string) {
  try {
    await navigator.clipboard.writeText(text);
    toast(t('done.copiedLink'));
  } catch {
    await promptDialog(t('action.copyLink'), t('field.link'), text, t('action.ok'));
  }
}

export async function directLink(items: FileItem[]) {
  try {
    const links = await files.createDirectLinks(items.filter((i) => i.type === 0).map((i) => i.path));
    await showDialog<void>(t('action.directLink'), (close) => (
      <div>
        <h2>{t('action.directLink')}</h2>
        <ul class="links">
          {links.map((l) => (
            <li key={l.link}>
              <input readOnly value={l.link} aria-label={t('field.link')} onFocus={(e) => (e.target as HTMLInputElement).select()} />
              <button class="btn" onClick={() => copyText(l.link)}>{t('action.copy')}</button>
            </li>
          ))}
        </ul>
        <div class="actions"><button class="btn primary" onClick={() => close(null)}>{t('action.close')}</button></div>
      </div>
    ));
  } catch (e) {
    fail(e);
  }
}

export function shareDialog(item: FileItem, existing?: { id: string; remain_downloads?: number; expires?: string }) {
  return showDialog<string>(t('share.title'), (close) => <ShareForm item={item} existing={existing} close={close} />);
}

const expiries = [0, 3600, 86400, 7 * 86400, 30 * 86400];

function ShareForm({ item, existing, close }: { item: FileItem; existing?: { id: string }; close: (v: string | null) => void }) {
  const [opt, setOpt] = useState<ShareOptions>({ is_private: false, password: '', downloads: 0, expire: 0 });
  const [url, setUrl] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const link = existing ? await shares.edit(existing.id, item.path, opt) : await shares.create(item.path, opt);
      setUrl(link);
      changed(parentURI(item.path));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  if (url)
    return (
      <div>
        <h2>{t('share.created')}</h2>
        <label class="field">
          <span>{t('field.link')}</span>
          <input readOnly value={url} class="share-url" onFocus={(e) => (e.target as HTMLInputElement).select()} />
        </label>
        <div class="actions">
          <button class="btn" onClick={() => copyText(url)}>{t('action.copyLink')}</button>
          <button class="btn primary" onClick={() => close(url)}>{t('action.done')}</button>
        </div>
      </div>
    );
  return (
    <form onSubmit={submit}>
      <h2>{t('share.title')}: {item.name}</h2>
      {!existing && (
        <label class="check">
          <input type="checkbox" checked={opt.is_private} onChange={(e) => setOpt({ ...opt, is_private: (e.target as HTMLInputElement).checked })} />
          {t('share.password')}
        </label>
      )}
      {opt.is_private && (
        <label class="field">
          <span>{t('share.passwordValue')}</span>
          <input value={opt.password} pattern="[A-Za-z0-9]{0,32}" placeholder={t('share.passwordAuto')}
            onInput={(e) => setOpt({ ...opt, password: (e.target as HTMLInputElement).value })} />
        </label>
      )}
      <label class="field">
        <span>{t('share.expire')}</span>
        <select value={opt.expire} onChange={(e) => setOpt({ ...opt, expire: Number((e.target as HTMLSelectElement).value) })}>
          {expiries.map((s) => <option key={s} value={s}>{t(('share.expire.' + s) as 'share.expire.0')}</option>)}
        </select>
      </label>
      <label class="field">
        <span>{t('share.downloads')}</span>
        <input type="number" min={0} value={opt.downloads} onInput={(e) => setOpt({ ...opt, downloads: Number((e.target as HTMLInputElement).value) })} />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="actions">
        <button type="button" class="btn" onClick={() => close(null)}>{t('action.cancel')}</button>
        <button class="btn primary">{existing ? t('action.save') : t('share.create')}</button>
      </div>
    </form>
  );
}

export const isShareURI = (uri: string) => parseURI(uri).fs === 'share';

/**
 * "Save to my files" for someone else's share: a shortcut in My files that
 * points at the share (the API has no copy out of a share).
 */
export async function saveShortcut(share: Share, shareURI: string) {
  const p = parseURI(shareURI);
  const root = buildURI({ ...p, segments: [], query: '' });
  const name = share.name || share.id;
  const folder = share.source_type === 1;
  try {
    await files.createShortcut(childURI(MY_ROOT, name), folder ? 'folder' : 'file', folder ? root : childURI(root, name), share.owner.id);
    toast(t('share.saved', { name }), 'ok', { label: t('action.open'), run: () => navigate(homeURL(MY_ROOT)) });
  } catch (e) {
    fail(e);
  }
}
