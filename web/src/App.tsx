// Routes (the official app's paths) and the frame around every page.
import { lazy, Suspense } from 'preact/compat';
import { useEffect } from 'preact/hooks';
import { IconSprite } from './components/Icon';
import { DialogHost } from './components/Dialog';
import { ContextMenuHost } from './components/Menu';
import { Toasts } from './components/Toasts';
import { Shell } from './components/Shell';
import { SessionPage } from './pages/Session';
import { Browser } from './browser/Browser';
import { useLocale, t } from './i18n';
import { useRoute, navigate, signInURL } from './lib/router';
import { useStore } from './lib/store';
import { me, isAdmin } from './state';
import { MY_ROOT } from './lib/uri';

const SharesPage = lazy(() => import('./pages/Shares').then((m) => m.SharesPage));
const ConnectPage = lazy(() => import('./pages/Connect').then((m) => m.ConnectPage));
const SettingsPage = lazy(() => import('./pages/Settings').then((m) => m.SettingsPage));
const ProfilePage = lazy(() => import('./pages/Profile').then((m) => m.ProfilePage));
const AdminPage = lazy(() => import('./admin').then((m) => m.AdminPage));

export function App() {
  useLocale();
  const r = useRoute();
  const user = useStore(me);
  const path = r.path.replace(/\/+$/, '') || '/';
  const shareURI = path === '/home' && /@share/i.test(r.query.get('path') || '');

  const needsUser = !path.startsWith('/session') && !shareURI && path !== '/404';
  useEffect(() => {
    if (path === '/') navigate(user ? '/home' : '/session', true);
    else if (needsUser && user === null) navigate(signInURL(), true);
  }, [path, user, needsUser]);

  let page;
  if (path.startsWith('/session')) page = <SessionPage path={path} />;
  else if (path === '/home') page = <Browser uri={r.query.get('path') || MY_ROOT} />;
  else if (!user) page = null;
  else if (path === '/shares') page = <SharesPage />;
  else if (path === '/connect') page = <ConnectPage />;
  else if (path === '/settings') page = <SettingsPage />;
  else if (path.startsWith('/profile/')) page = <ProfilePage id={decodeURIComponent(path.slice('/profile/'.length))} />;
  else if (path === '/tasks' || path === '/downloads') page = <Placeholder title={t('nav.tasks')} />;
  else if (path.startsWith('/admin') && isAdmin(user)) page = <AdminPage path={path} />;
  else page = <NotFound />;

  const framed = !path.startsWith('/session');
  return (
    <>
      <IconSprite />
      {framed ? (
        <Shell>
          <Suspense fallback={<div class="skeleton-page" aria-busy="true" />}>{page}</Suspense>
        </Shell>
      ) : (
        page
      )}
      <ContextMenuHost />
      <DialogHost />
      <Toasts />
    </>
  );
}

function Placeholder({ title }: { title: string }) {
  return (
    <section class="page">
      <h1>{title}</h1>
      <p class="empty">{t('page.comingSoon')}</p>
    </section>
  );
}

export function NotFound() {
  return (
    <section class="page notfound">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <a class="btn primary" href="/home" onClick={(e) => { e.preventDefault(); navigate('/home'); }}>
        {t('notFound.home')}
      </a>
    </section>
  );
}
