// Admin pages live under web/src/admin/ and are loaded only for admins (the
// rail shows the entry when the group has the admin bit). The admin issue
// adds its pages here: map a path under /admin to a component.
import { t } from '../i18n';

const pages: Record<string, () => preact.JSX.Element> = {};

export function AdminPage({ path }: { path: string }) {
  const Page = pages[path];
  if (Page) return <Page />;
  return (
    <section class="page">
      <h1>{t('nav.admin')}</h1>
      <p class="empty">{t('page.comingSoon')}</p>
    </section>
  );
}
