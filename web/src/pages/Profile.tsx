// A user's public profile: name, member since, and the shares they show.
import { useEffect, useState } from 'preact/hooks';
import { client } from '../api';
import type { Pagination, Share, User } from '../api/types';
import { Avatar } from '../components/Shell';
import { Icon } from '../components/Icon';
import { errorMessage, t } from '../i18n';
import { formatDate } from '../lib/format';
import { homeURL, navigate } from '../lib/router';

export function ProfilePage({ id }: { id: string }) {
  const [user, setUser] = useState<User | null>(null);
  const [list, setList] = useState<Share[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    client.request<User>('/user/info/' + encodeURIComponent(id)).then(setUser, (e) => setError(errorMessage(e)));
    client.request<{ shares: Share[] | null; pagination: Pagination }>('/user/shares/' + encodeURIComponent(id), { query: { page_size: 50 } })
      .then((r) => setList(r.shares ?? []), () => setList([]));
  }, [id]);
  if (error) return <section class="page"><div class="state error" role="alert"><p>{error}</p></div></section>;
  if (!user) return <section class="page"><div class="skeleton" aria-busy="true"><div class="skeleton-row" /></div></section>;
  return (
    <section class="page">
      <div class="avatar-row">
        <Avatar id={user.id} name={user.nickname} has={!!user.avatar} />
        <div>
          <h1>{user.nickname}</h1>
          <p class="muted">{t('profile.since', { date: formatDate(user.created_at) })}</p>
        </div>
      </div>
      <h2>{t('profile.shares')}</h2>
      {list?.length === 0 && <p class="muted">{t('profile.noShares')}</p>}
      <ul class="links">
        {list?.map((s) => {
          const uri = `cloudreve://${s.id}@share`;
          return (
            <li key={s.id}>
              <a href={homeURL(uri)} onClick={(e) => { e.preventDefault(); navigate(homeURL(uri)); }}>
                <Icon name={s.source_type === 1 ? 'folder' : 'file'} size={18} /> {s.name ?? s.id}
              </a>
              {s.expired && <small class="muted">{t('shares.expired')}</small>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
