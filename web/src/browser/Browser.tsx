// The file browser for every filesystem (my, trash, shared_with_me, share):
// breadcrumbs, toolbar, a virtualised list or grid over the cursor pages,
// selection by mouse, keyboard and rubber band, context menu, drag and
// drop, the info panel and previews.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { files, shares, site } from '../api';
import { ApiError } from '../api/client';
import type { FileItem, Share, User } from '../api/types';
import { Icon, fileIcon } from '../components/Icon';
import { openContextMenu, type MenuItem } from '../components/Menu';
import { errorMessage, t, useLocale } from '../i18n';
import { Cap, Perm, hasBit } from '../lib/bits';
import { formatDate, formatSize } from '../lib/format';
import { homeURL, navigate } from '../lib/router';
import { useStore } from '../lib/store';
import { buildURI, childURI, parentURI, parseURI, withoutQuery, MY_ROOT } from '../lib/uri';
import { me, toast } from '../state';
import { folderChanged, queue } from '../upload';
import { pickedFromDrop, pickedFromInput } from '../upload/pick';
import * as act from './actions';
import { activeFolder } from './commands';
import { createListing } from './listing';
import { bandIndices, clickAt, emptySelection, moveFocus, prune, selectAll, type Selection } from './selection';
import { openPreview, previewable } from './Preview';
import { InfoPanel } from './Info';
import { VirtualView, type Layout } from './VirtualView';

const DRAG_TYPE = 'application/x-stratus-uris';

export function Browser({ uri }: { uri: string }) {
  const parsed = parseURI(uri);
  if (parsed.fs === 'share') return <ShareGate uri={uri} />;
  return <Explorer uri={uri} />;
}

/** The public share page: password prompt, then the listing inside the share. */
function ShareGate({ uri }: { uri: string }) {
  const p = parseURI(uri);
  const [share, setShare] = useState<Share | null>(null);
  const [error, setError] = useState('');
  const [password, setPassword] = useState('');
  const [wrong, setWrong] = useState(false);
  useEffect(() => {
    setShare(null);
    shares.info(p.id, p.password || undefined, true).then(setShare, (e) => setError(errorMessage(e)));
  }, [p.id, p.password]);
  if (error) return <section class="page"><div class="state error" role="alert"><h1>{t('share.unavailable')}</h1><p>{error}</p></div></section>;
  if (!share) return <SkeletonRows />;
  if (!share.unlocked)
    return (
      <section class="page share-lock">
        <form class="card stack" onSubmit={async (e) => {
          e.preventDefault();
          const s = await shares.info(p.id, password).catch(() => null);
          if (s?.unlocked) navigate(homeURL(buildURI({ ...p, password, query: '' })), true);
          else setWrong(true);
        }}>
          <Icon name="lock" size={32} />
          <h1>{share.name || t('share.title')}</h1>
          <p class="muted">{t('share.by', { name: share.owner.nickname })}</p>
          <label class="field">
            <span>{t('share.enterPassword')}</span>
            <input type="password" value={password} required autofocus onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          </label>
          {wrong && <p class="error" role="alert">{t('code.40069')}</p>}
          <button class="btn primary wide">{t('share.open')}</button>
        </form>
      </section>
    );
  return <Explorer uri={uri} share={share} />;
}

function SkeletonRows() {
  return (
    <div class="skeleton" aria-busy="true" aria-label={t('state.loading')}>
      {Array.from({ length: 8 }, (_, i) => <div key={i} class="skeleton-row" />)}
    </div>
  );
}

function Explorer({ uri, share }: { uri: string; share?: Share }) {
  useLocale();
  const user = useStore(me);
  const listing = useMemo(() => createListing(), []);
  const s = useStore(listing.state);
  const [sel, setSel] = useState<Selection>(emptySelection);
  const [layout, setLayout] = useState<Layout>(() => (localStorage.getItem('stratus.layout') as Layout) || 'list');
  const [info, setInfo] = useState(false);
  const [dropping, setDropping] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const parsed = parseURI(uri);
  const searching = parsed.query !== '';
  const folder = withoutQuery(uri);

  useEffect(() => {
    setSel(emptySelection());
    void listing.open(uri);
  }, [uri]);
  useEffect(() => {
    if (s.meta?.view?.view === 'grid' || s.meta?.view?.view === 'list') setLayout(s.meta.view.view);
  }, [s.meta?.view?.view]);
  // Reload when an upload or an action changed this folder (coalesced).
  const changes = useStore(folderChanged);
  const reloadTimer = useRef<ReturnType<typeof setTimeout>>();
  const seen = useRef(changes.length ? changes[changes.length - 1].n : 0);
  useEffect(() => {
    // A change below this folder may have created a child folder here.
    const mine = changes.some((c) => {
      if (c.n <= seen.current) return false;
      const at = withoutQuery(c.uri);
      return at === folder || at.startsWith(folder + '/');
    });
    if (changes.length) seen.current = changes[changes.length - 1].n;
    if (!mine) return;
    clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(() => void listing.reload(), 300);
  }, [changes]);
  useEffect(() => () => clearTimeout(reloadTimer.current), []);

  const items = s.items;
  // Opening a folder replaces the list; keep the keyboard in it.
  const hasItems = items.length > 0;
  useEffect(() => {
    const active = document.activeElement;
    if (hasItems && (!active || active === document.body)) listRef.current?.focus({ preventScroll: true });
  }, [uri, hasItems]);
  const ids = useMemo(() => items.map((i) => i.id), [items]);
  useEffect(() => setSel((x) => prune(x, ids)), [ids]);
  const selected = items.filter((i) => sel.ids.has(i.id));
  // A share visitor is offered a zip when their group may download
  // archives; a signed-out one is the anonymous group of the site config.
  const [guest, setGuest] = useState<User | null>(null);
  useEffect(() => {
    if (share && user === null) site.config('basic').then((c) => setGuest(c.user), () => setGuest(null));
  }, [share?.id, user]);
  const mayZip = hasBit((user ?? guest)?.group?.permission, Perm.archiveDownload);
  const toDownload = selected.length ? selected : items;
  const needsZip = toDownload.length > 1 || toDownload.some((i) => i.type !== 0);
  const cap = s.meta?.props.capability;
  const can = (bit: number) => hasBit(cap, bit);
  const isTrash = parsed.fs === 'trash';
  const canCreate = !searching && can(Cap.create) && can(Cap.upload);

  useEffect(() => {
    activeFolder.set({
      uri: folder, canCreate,
      newFolder: () => void act.newItem(folder, 'folder'),
      newFile: () => void act.newItem(folder, 'file'),
      uploadFiles: () => fileInput.current?.click(),
      uploadFolder: () => folderInput.current?.click(),
    });
    return () => activeFolder.set(null);
  }, [folder, canCreate]);

  const open = (item: FileItem) => {
    // A shortcut saved from someone's share opens that share.
    const redirect = item.metadata?.['sys:shared_redirect'];
    if (redirect) return navigate(homeURL(item.type === 1 ? redirect : parentURI(redirect)));
    if (item.type === 1) {
      if (isTrash) return;
      navigate(homeURL(item.path));
    } else if (previewable(item)) openPreview(item, items.filter((i) => i.type === 0 && previewable(i)));
    else void act.download([item]);
  };

  const setView = (v: Layout) => {
    setLayout(v);
    localStorage.setItem('stratus.layout', v);
    if (user && (parsed.fs === 'my' || isTrash) && !searching && !user.disable_view_sync)
      void files.saveView(folder, { view: v, order: s.order_by || 'name', order_direction: s.order_direction, page_size: 100, thumbnail: true, gallery_width: 200 }).catch(() => undefined);
  };

  const menuFor = (targets: FileItem[]): MenuItem[] => {
    const one = targets.length === 1 ? targets[0] : null;
    const m: MenuItem[] = [];
    if (one) m.push({ label: t('action.open'), icon: one.type === 1 ? 'folder' : 'file', run: () => open(one), disabled: isTrash && one.type === 1 });
    if (can(Cap.download) && targets.length) m.push({ label: t('action.download'), icon: 'download', run: () => void act.download(targets) });
    if (one && can(Cap.share) && user) m.push({ label: t('action.share'), icon: 'share', run: () => void act.shareDialog(one) });
    if (can(Cap.rename) && one) m.push({ label: t('action.rename'), icon: 'edit', shortcut: 'F2', run: () => void act.rename(one) });
    if (can(Cap.rename) && targets.length) {
      m.push({ label: t('action.moveTo'), icon: 'move', run: () => void act.moveOrCopy(targets, false) });
      m.push({ label: t('action.copyTo'), icon: 'copy', run: () => void act.moveOrCopy(targets, true) });
    }
    if (one?.type === 1 && parsed.fs === 'my' && user) m.push({ label: t('action.pin'), icon: 'pin', run: () => void act.pin(one.path, one.name) });
    if (can(Cap.share) && user && targets.some((x) => x.type === 0))
      m.push({ label: t('action.directLink'), icon: 'link', run: () => void act.directLink(targets) });
    if (one && can(Cap.info)) m.push({ label: t('action.info'), icon: 'info', run: () => { setSel(clickAt(sel, ids, items.indexOf(one))); setInfo(true); } });
    if (can(Cap.restore) && targets.length) m.push({ label: t('action.restore'), icon: 'restore', run: () => void act.restore(targets) });
    if (can(Cap.softDelete) && targets.length) m.push({ label: t('action.delete'), icon: 'trash', shortcut: 'Del', danger: true, run: () => void act.trash(targets) });
    else if (can(Cap.hardDelete) && targets.length) m.push({ label: t('action.deleteForever'), icon: 'trash', danger: true, run: () => void act.deleteForever(targets) });
    return m;
  };

  const folderMenu = (): MenuItem[] => {
    const m: MenuItem[] = [];
    if (canCreate) {
      m.push({ label: t('new.folder'), icon: 'folder', run: () => void act.newItem(folder, 'folder') });
      m.push({ label: t('new.file'), icon: 'file', run: () => void act.newItem(folder, 'file') });
      m.push({ label: t('new.uploadFiles'), icon: 'upload', run: () => fileInput.current?.click() });
      m.push({ label: t('new.uploadFolder'), icon: 'upload', run: () => folderInput.current?.click() });
    }
    m.push({ label: t('action.refresh'), icon: 'retry', run: () => void listing.reload() });
    if (items.length) m.push({ label: t('action.selectAll'), icon: 'check', shortcut: 'Ctrl+A', run: () => setSel(selectAll(ids, 0)) });
    return m;
  };

  const columnsRef = useRef(1);
  const onKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).closest('input, textarea, select, dialog')) return;
    const cols = layout === 'grid' ? columnsRef.current : 1;
    const focused = sel.focus >= 0 ? items[sel.focus] : undefined;
    const mod = e.ctrlKey || e.metaKey;
    switch (true) {
      case e.key === 'ArrowDown': setSel(moveFocus(sel, ids, cols, e.shiftKey)); break;
      case e.key === 'ArrowUp' && e.altKey: goUp(); break;
      case e.key === 'ArrowUp': setSel(moveFocus(sel, ids, -cols, e.shiftKey)); break;
      case e.key === 'ArrowRight' && cols > 1: setSel(moveFocus(sel, ids, 1, e.shiftKey)); break;
      case e.key === 'ArrowLeft' && cols > 1: setSel(moveFocus(sel, ids, -1, e.shiftKey)); break;
      case e.key === 'Home': setSel(moveFocus(sel, ids, -ids.length, e.shiftKey)); break;
      case e.key === 'End': setSel(moveFocus(sel, ids, ids.length, e.shiftKey)); listing.more(); break;
      case e.key === 'Enter' && !!focused: open(focused!); break;
      case e.key === ' ' && !!focused: if (focused!.type === 0 && previewable(focused!)) openPreview(focused!, items.filter((i) => i.type === 0 && previewable(i))); else setSel(clickAt(sel, ids, sel.focus, { toggle: true })); break;
      case mod && e.key.toLowerCase() === 'a': setSel(selectAll(ids, Math.max(0, sel.focus))); break;
      case e.key === 'Delete' && selected.length > 0: if (can(Cap.softDelete)) void act.trash(selected); else if (can(Cap.hardDelete)) void act.deleteForever(selected); break;
      case e.key === 'F2' && selected.length === 1 && can(Cap.rename): void act.rename(selected[0]); break;
      case e.key === 'Backspace': goUp(); break;
      case e.key === 'Escape': setSel(emptySelection()); setInfo(false); break;
      case e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10'): {
        const row = listRef.current?.querySelector('[aria-selected=true]') as HTMLElement | null;
        const r = (row ?? listRef.current!).getBoundingClientRect();
        openContextMenu(selected.length ? menuFor(selected) : folderMenu(), r.left + 24, r.top + 24, t('menu.actions'));
        break;
      }
      default: return;
    }
    e.preventDefault();
  };

  const goUp = () => {
    if (searching) return navigate(homeURL(folder));
    const segs = parseURI(folder).segments;
    if (segs.length) navigate(homeURL(parentURI(folder)));
  };

  const onDrop = async (e: DragEvent, target = folder) => {
    e.preventDefault();
    e.stopPropagation();
    setDropping(false);
    const dt = e.dataTransfer;
    if (!dt) return;
    const internal = dt.getData(DRAG_TYPE);
    if (internal) {
      const uris: string[] = JSON.parse(internal);
      const moving = items.filter((i) => uris.includes(i.path));
      if (target !== folder && moving.length && !uris.includes(target)) await act.moveOrCopy(moving, e.ctrlKey || e.altKey || e.metaKey, target);
      return;
    }
    if (!canCreate) return;
    const picked = await pickedFromDrop(dt);
    if (picked.length) await queue.add(picked, target).catch((err) => toast(errorMessage(err), 'error'));
  };

  const crumbs = breadcrumbs(uri, share);
  const noun = parsed.fs === 'trash' ? t('nav.trash') : parsed.fs === 'shared_with_me' ? t('nav.sharedWithMe') : '';
  const status = s.error ? null : s.loading && items.length === 0 ? <SkeletonRows /> : null;

  return (
    <div class={'explorer' + (info ? ' with-info' : '')}
      onDragOver={(e) => {
        if (canCreate && e.dataTransfer?.types.includes('Files')) {
          e.preventDefault();
          setDropping(true);
        }
      }}
      onDragLeave={(e) => { if (e.currentTarget === e.target) setDropping(false); }}
      onDrop={(e) => void onDrop(e)}
    >
      <div class="explorer-main">
        {share && (
          <div class="share-head">
            <Icon name="share" />
            <div>
              <strong>{share.name}</strong>
              <small class="muted">
                {user ? (
                  <a href={'/profile/' + share.owner.id} onClick={(e) => { e.preventDefault(); navigate('/profile/' + share.owner.id); }}>
                    {t('share.by', { name: share.owner.nickname })}
                  </a>
                ) : t('share.by', { name: share.owner.nickname })}
              </small>
            </div>
            <div class="grow" />
            {user && user.id !== share.owner.id && (
              <button class="btn" onClick={() => void act.saveShortcut(share, uri)}><Icon name="plus" /> {t('share.save')}</button>
            )}
            {items.length > 0 && (!needsZip || mayZip) && <button class="btn" onClick={() => void act.download(toDownload)}><Icon name="download" /> {selected.length ? t('share.downloadSelected') : t('share.downloadAll')}</button>}
            {items.length > 0 && needsZip && !mayZip && !user && <small class="muted">{t('share.zipNeedsSignIn')}</small>}
          </div>
        )}
        <nav class="crumbs" aria-label={t('browser.breadcrumbs')}>
          <ol>
            {crumbs.map((c, i) => (
              <li key={c.uri}>
                <a href={homeURL(c.uri)} aria-current={i === crumbs.length - 1 ? 'page' : undefined}
                  onClick={(e) => { e.preventDefault(); navigate(homeURL(c.uri)); }}
                  onDragOver={(e) => { if (e.dataTransfer?.types.includes(DRAG_TYPE)) e.preventDefault(); }}
                  onDrop={(e) => void onDrop(e, c.uri)}>
                  {c.name}
                </a>
              </li>
            ))}
            {searching && <li><span>{t('search.results')}</span></li>}
          </ol>
        </nav>
        <div class="toolbar" role="toolbar" aria-label={t('browser.toolbar')}>
          {selected.length > 0 ? (
            <>
              <span class="count">{t('browser.selected', { n: selected.length })}</span>
              {menuFor(selected).filter((m) => m.icon !== 'folder' && m.icon !== 'file').slice(0, 6).map((m) => (
                <button key={m.label} class={'icon-btn' + (m.danger ? ' danger' : '')} aria-label={m.label} title={m.label} onClick={m.run}>
                  <Icon name={m.icon!} />
                </button>
              ))}
              <button class="icon-btn" aria-label={t('action.clearSelection')} title={t('action.clearSelection')} onClick={() => setSel(emptySelection())}><Icon name="close" /></button>
            </>
          ) : (
            <span class="count muted">{noun}{s.items.length ? ` ${t('browser.items', { n: s.items.length + (s.next ? '+' : '') })}` : ''}</span>
          )}
          <div class="grow" />
          {isTrash && items.length > 0 && <button class="btn danger" onClick={() => void act.emptyTrash()}>{t('trash.empty')}</button>}
          {!searching && s.meta?.props.order_by_options && (
            <label class="sort">
              <span class="sr-only">{t('browser.sort')}</span>
              <select value={s.order_by ? s.order_by + ':' + s.order_direction : ''} aria-label={t('browser.sort')}
                onChange={(e) => {
                  const [by, dir] = (e.target as HTMLSelectElement).value.split(':');
                  void listing.sort(by, dir as 'asc' | 'desc');
                }}>
                {!s.order_by && <option value="">{t('sort.default')}</option>}
                {['name', 'size', 'updated_at', 'created_at'].flatMap((by) => (['asc', 'desc'] as const).map((dir) => (
                  <option key={by + dir} value={by + ':' + dir}>{t(('sort.' + by) as 'sort.name')} {dir === 'asc' ? '↑' : '↓'}</option>
                )))}
              </select>
            </label>
          )}
          <button class="icon-btn" aria-pressed={layout === 'list'} aria-label={t('browser.listView')} title={t('browser.listView')} onClick={() => setView('list')}><Icon name="list" /></button>
          <button class="icon-btn" aria-pressed={layout === 'grid'} aria-label={t('browser.gridView')} title={t('browser.gridView')} onClick={() => setView('grid')}><Icon name="grid" /></button>
          <button class="icon-btn" aria-pressed={info} aria-label={t('action.info')} title={t('action.info')} onClick={() => setInfo(!info)}><Icon name="info" /></button>
        </div>
        {s.error ? (
          <div class="state error" role="alert">
            <p>{errorMessage(s.error)}</p>
            {(s.error as ApiError).code === 40016 ? (
              <button class="btn" onClick={() => navigate(homeURL(MY_ROOT))}>{t('notFound.home')}</button>
            ) : (
              <button class="btn" onClick={() => void listing.reload()}>{t('action.retry')}</button>
            )}
          </div>
        ) : status ?? (items.length === 0 ? (
          <div class="state empty" onContextMenu={(e) => { e.preventDefault(); openContextMenu(folderMenu(), e.clientX, e.clientY, t('menu.actions')); }}>
            <Icon name={searching ? 'search' : isTrash ? 'trash' : 'folder'} size={48} />
            <p>{searching ? t('empty.search') : isTrash ? t('empty.trash') : canCreate ? t('empty.folder') : t('empty.readonly')}</p>
            {canCreate && <button class="btn primary" onClick={() => fileInput.current?.click()}><Icon name="upload" /> {t('new.uploadFiles')}</button>}
          </div>
        ) : (
          <VirtualView
            containerRef={listRef}
            layout={layout}
            items={items}
            selection={sel}
            label={crumbs[crumbs.length - 1]?.name ?? ''}
            onColumns={(c) => (columnsRef.current = c)}
            onKeyDown={onKey}
            onNearEnd={() => void listing.more()}
            loadingMore={s.loading}
            render={(item) => <Cell item={item} layout={layout} searching={searching} />}
            onClickItem={(i, e) => setSel(clickAt(sel, ids, i, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey }))}
            onOpenItem={(i) => open(items[i])}
            onContextItem={(i, e) => {
              e.preventDefault();
              let next = sel;
              if (i < 0) next = emptySelection();
              else if (!sel.ids.has(ids[i])) next = clickAt(sel, ids, i);
              setSel(next);
              const targets = items.filter((x) => next.ids.has(x.id));
              openContextMenu(targets.length ? menuFor(targets) : folderMenu(), e.clientX, e.clientY, t('menu.actions'));
            }}
            onBand={(rect, cell, additive) => {
              const hit = bandIndices(rect, cell, items.length).map((i) => ids[i]);
              setSel((x) => ({ ...x, ids: new Set([...(additive ? x.ids : []), ...hit]) }));
            }}
            dragData={(i) => {
              const targets = sel.ids.has(ids[i]) ? selected : [items[i]];
              return can(Cap.rename) ? JSON.stringify(targets.map((x) => x.path)) : null;
            }}
            dragType={DRAG_TYPE}
            onDropOnItem={(i, e) => { if (items[i].type === 1) void onDrop(e, items[i].path); }}
          />
        ))}
        {dropping && <div class="dropzone" aria-hidden="true"><Icon name="upload" size={40} /><p>{t('upload.dropHere')}</p></div>}
        <input ref={fileInput} type="file" multiple hidden onChange={(e) => {
          const input = e.target as HTMLInputElement;
          void queue.add(pickedFromInput(input.files!, false), folder);
          input.value = '';
        }} />
        <input ref={folderInput} type="file" multiple hidden {...({ webkitdirectory: true } as object)} data-testid="folder-input" onChange={(e) => {
          const input = e.target as HTMLInputElement;
          void queue.add(pickedFromInput(input.files!, true), folder);
          input.value = '';
        }} />
      </div>
      {info && <InfoPanel item={selected.length === 1 ? selected[0] : null} onClose={() => setInfo(false)} />}
    </div>
  );
}

function Cell({ item, layout, searching }: { item: FileItem; layout: Layout; searching: boolean }) {
  const icon = fileIcon(item.name, item.type === 1);
  if (layout === 'grid')
    return (
      <>
        <Thumb item={item} />
        <span class="name" title={item.name}>{item.name}</span>
      </>
    );
  return (
    <>
      <span class={'file-icon ' + icon}><Icon name={icon} /></span>
      <span class="name" title={item.name}>
        {item.name}
        {(item.shared || item.metadata?.['sys:shared_redirect']) && <Icon name="share" size={14} />}
        {searching && <small class="muted path">{parseURI(parentURI(item.path)).segments.join('/') || '/'}</small>}
      </span>
      <span class="size">{item.type === 1 ? '' : formatSize(item.size)}</span>
      <span class="date">{formatDate(item.updated_at)}</span>
    </>
  );
}

const thumbCache = new Map<string, string | null>();
function Thumb({ item }: { item: FileItem }) {
  const icon = fileIcon(item.name, item.type === 1);
  const [url, setUrl] = useState(thumbCache.get(item.id) ?? null);
  useEffect(() => {
    if (icon !== 'image' && icon !== 'video') return;
    if (thumbCache.has(item.id)) return setUrl(thumbCache.get(item.id)!);
    let alive = true;
    const timer = setTimeout(() => {
      files.thumb(item.path).then(
        (r) => { thumbCache.set(item.id, r.url); if (alive) setUrl(r.url); },
        () => thumbCache.set(item.id, null),
      );
    }, 150); // only cells that stay in view while scrolling ask
    return () => { alive = false; clearTimeout(timer); };
  }, [item.id]);
  return <span class={'thumb ' + icon}>{url ? <img src={url} alt="" loading="lazy" /> : <Icon name={icon} size={40} />}</span>;
}

interface Crumb {
  name: string;
  uri: string;
}

function breadcrumbs(uri: string, share?: Share): Crumb[] {
  const p = parseURI(uri);
  const rootName: Record<string, string> = {
    my: t('nav.myFiles'), trash: t('nav.trash'), shared_with_me: t('nav.sharedWithMe'), share: share?.name || t('share.title'),
  };
  const root = buildURI({ ...p, segments: [], query: '' });
  const out: Crumb[] = [{ name: rootName[p.fs] ?? p.fs, uri: root }];
  let cur = root;
  for (const s of p.segments) {
    cur = childURI(cur, s);
    out.push({ name: s, uri: cur });
  }
  if (p.fs === 'my' && p.query) {
    const cat = new URLSearchParams(p.query).get('category');
    if (cat) out[out.length - 1] = { name: t(('category.' + cat) as 'category.image'), uri: uri };
  }
  return out;
}

