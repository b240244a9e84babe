// The frame: top bar (search, New, account), left rail (drawer on phones),
// main area, upload queue and offline banner.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon, type IconName } from './Icon';
import { Menu, type MenuItem } from './Menu';
import { UploadPanel } from '../upload/Panel';
import { activeFolder } from '../browser/commands';
import { filterDialog, filtersToQuery, queryToFilters } from '../browser/SearchFilters';
import { errorMessage, t } from '../i18n';
import { formatSize } from '../lib/format';
import { homeURL, navigate, useRoute, signInURL } from '../lib/router';
import { useStore } from '../lib/store';
import { MY_ROOT, TRASH_ROOT, parseURI, withoutQuery } from '../lib/uri';
import { capacity, isAdmin, loadMe, me, offline, signOut, theme, toast } from '../state';
import { files as filesAPI, user as userAPI } from '../api';

export function Shell({ children }: { children: ComponentChildren }) {
  const user = useStore(me);
  const [drawer, setDrawer] = useState(false);
  const r = useRoute();
  useEffect(() => setDrawer(false), [r]);
  const anonymous = !user;
  return (
    <div class={'shell' + (anonymous ? ' anonymous' : '') + (drawer ? ' drawer-open' : '')}>
      <a class="skip" href="#main">{t('a11y.skip')}</a>
      <TopBar onMenu={() => setDrawer(!drawer)} />
      {!anonymous && <Rail />}
      {drawer && <div class="scrim" onClick={() => setDrawer(false)} />}
      <main id="main" tabIndex={-1}>
        {useStore(offline) && <div class="banner" role="alert">{t('error.offline')}</div>}
        {children}
      </main>
      {!anonymous && <UploadPanel />}
    </div>
  );
}

function TopBar({ onMenu }: { onMenu: () => void }) {
  const user = useStore(me);
  const folder = useStore(activeFolder);
  const r = useRoute();
  const search = useRef<HTMLInputElement>(null);
  const current = r.path === '/home' ? r.query.get('path') || MY_ROOT : MY_ROOT;
  const currentQuery = parseURI(current).query;
  const [q, setQ] = useState(new URLSearchParams(currentQuery).get('name') || '');
  useEffect(() => setQ(new URLSearchParams(parseURI(current).query).get('name') || ''), [current]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement).tagName;
      if (e.key === '/' && tag !== 'INPUT' && tag !== 'TEXTAREA' && !document.querySelector('dialog[open]')) {
        e.preventDefault();
        search.current?.focus();
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
  const newItems: MenuItem[] = folder?.canCreate
    ? [
        { label: t('new.folder'), icon: 'folder', run: () => folder.newFolder() },
        { label: t('new.file'), icon: 'file', run: () => folder.newFile() },
        { label: t('new.uploadFiles'), icon: 'upload', run: () => folder.uploadFiles() },
        { label: t('new.uploadFolder'), icon: 'upload', run: () => folder.uploadFolder() },
      ]
    : [];
  /** Searches cover the open folder of My files or a share, else My files. */
  const searchRoot = () => {
    const base = withoutQuery(current.startsWith('cloudreve://') ? current : MY_ROOT);
    const fs = parseURI(base).fs;
    return fs === 'my' || fs === 'share' ? base : MY_ROOT;
  };
  const th = useStore(theme);
  const nextTheme = th === 'dark' ? 'light' : th === 'light' ? 'system' : 'dark';
  return (
    <header class="topbar">
      {user && (
        <button class="icon-btn rail-toggle" aria-label={t('nav.menu')} onClick={onMenu}>
          <Icon name="menu" />
        </button>
      )}
      <a class="brand" href="/home" onClick={(e) => { e.preventDefault(); navigate(user ? '/home' : '/session'); }}>
        <Icon name="cloud" size={26} />
        <span>Stratus</span>
      </a>
      {user && (
        <form
          class="search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            // Keep the other filters of a search in progress; the words are the box's.
            const query = filtersToQuery({ ...queryToFilters(parseURI(current).query), name: q });
            navigate(homeURL(searchRoot() + (query ? '?' + query : '')));
          }}
        >
          <Icon name="search" />
          <button type="button" class="icon-btn" aria-label={t('search.filters')} title={t('search.filters')} onClick={async () => {
            const f = await filterDialog({ ...queryToFilters(parseURI(current).query), name: q });
            if (!f) return;
            setQ(f.name);
            navigate(homeURL(searchRoot() + (filtersToQuery(f) ? '?' + filtersToQuery(f) : '')));
          }}>
            <Icon name="filter" size={18} />
          </button>
          <input
            ref={search}
            type="search"
            value={q}
            onInput={(e) => setQ((e.target as HTMLInputElement).value)}
            placeholder={t('search.placeholder')}
            aria-label={t('search.label')}
          />
        </form>
      )}
      <div class="grow" />
      {newItems.length > 0 && (
        <Menu items={newItems} label={t('new.label')}>
          <Icon name="plus" /> <span class="hide-phone">{t('new.label')}</span>
        </Menu>
      )}
      <button class="icon-btn hide-phone" aria-label={t('theme.' + th as 'theme.system')} title={t('theme.' + th as 'theme.system')} onClick={() => theme.set(nextTheme)}>
        <Icon name={th === 'dark' ? 'moon' : th === 'light' ? 'sun' : 'settings'} />
      </button>
      {user ? (
        <Menu
          label={t('account.menu')}
          items={[
            { label: user.email || user.nickname, icon: 'user', disabled: true, run: () => undefined },
            { label: t('nav.settings'), icon: 'settings', run: () => navigate('/settings') },
            { label: t('account.signOut'), icon: 'logout', run: () => void signOut() },
          ]}
          class="avatar-btn"
        >
          <Avatar id={user.id} name={user.nickname} has={!!user.avatar} />
        </Menu>
      ) : (
        <a class="btn primary" href={signInURL()} onClick={(e) => { e.preventDefault(); navigate(signInURL()); }}>
          {t('session.signIn')}
        </a>
      )}
    </header>
  );
}

export function Avatar({ id, name, has }: { id: string; name: string; has: boolean }) {
  const [failed, setFailed] = useState(false);
  if (has && !failed) return <img class="avatar" src={userAPI.avatarURL(id)} alt="" onError={() => setFailed(true)} />;
  return <span class="avatar letter" aria-hidden="true">{(name || '?').slice(0, 1).toUpperCase()}</span>;
}

interface NavItem {
  label: string;
  icon: IconName;
  href: string;
  active: boolean;
  unpin?: () => void;
}

function Rail() {
  const user = useStore(me);
  const cap = useStore(capacity);
  const r = useRoute();
  const uri = r.path === '/home' ? r.query.get('path') || MY_ROOT : '';
  const category = (c: string) => MY_ROOT + '?category=' + c;
  const items: NavItem[] = [
    { label: t('nav.myFiles'), icon: 'folder', href: homeURL(MY_ROOT), active: uri.startsWith(MY_ROOT) && !uri.includes('?') },
  ];
  const pins = (user?.pined ?? []).map<NavItem>((p) => ({
    label: p.name || parseURI(p.uri).segments.slice(-1)[0] || p.uri,
    icon: 'pin',
    href: homeURL(p.uri),
    active: uri === p.uri,
    unpin: () => void filesAPI.unpin(p.uri).then(loadMe, (e) => toast(errorMessage(e), 'error')),
  }));
  const cats: NavItem[] = (['image', 'video', 'audio', 'document'] as const).map((c) => ({
    label: t(('category.' + c) as 'category.image'),
    icon: c === 'document' ? 'doc' : c,
    href: homeURL(category(c)),
    active: uri === category(c),
  }));
  const more: NavItem[] = [
    { label: t('nav.sharedWithMe'), icon: 'share', href: homeURL('cloudreve://shared_with_me'), active: uri.startsWith('cloudreve://shared_with_me') },
    { label: t('nav.trash'), icon: 'trash', href: homeURL(TRASH_ROOT), active: uri.startsWith(TRASH_ROOT) },
    { label: t('nav.shares'), icon: 'link', href: '/shares', active: r.path === '/shares' },
    { label: t('nav.connect'), icon: 'plug', href: '/connect', active: r.path === '/connect' },
    { label: t('nav.tasks'), icon: 'tasks', href: '/tasks', active: r.path === '/tasks' },
  ];
  if (isAdmin(user)) more.push({ label: t('nav.admin'), icon: 'shield', href: '/admin', active: r.path.startsWith('/admin') });
  const link = (i: NavItem) => (
    <li key={i.href} class={i.unpin ? 'pinned' : undefined}>
      <a href={i.href} class={i.active ? 'active' : ''} aria-current={i.active ? 'page' : undefined}
        onClick={(e) => { e.preventDefault(); navigate(i.href); }}>
        <Icon name={i.icon} />
        <span>{i.label}</span>
      </a>
      {i.unpin && (
        <button class="icon-btn unpin" aria-label={t('action.unpin') + ': ' + i.label} title={t('action.unpin')} onClick={i.unpin}>
          <Icon name="close" size={16} />
        </button>
      )}
    </li>
  );
  const pct = cap && cap.total > 0 ? Math.min(100, (cap.used / cap.total) * 100) : 0;
  return (
    <nav class="rail" aria-label={t('nav.label')}>
      <ul>{items.map(link)}{pins.map(link)}</ul>
      <h2 class="rail-heading">{t('nav.categories')}</h2>
      <ul>{cats.map(link)}</ul>
      <ul>{more.map(link)}</ul>
      {cap && (
        <div class="storage" aria-label={t('storage.label')}>
          <div class="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
            <div class={'fill' + (pct > 90 ? ' full' : '')} style={{ width: pct + '%' }} />
          </div>
          <small>{t('storage.used', { used: formatSize(cap.used), total: formatSize(cap.total) })}</small>
        </div>
      )}
    </nav>
  );
}
