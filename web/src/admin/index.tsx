// Admin pages live under web/src/admin/ and are loaded only for admins (the
// rail shows the entry when the group has the admin bit). Each path under
// /admin maps to a page; all talk to /api/v4/admin through ./api.
import { useEffect, useState } from 'preact/hooks';
import { confirmDialog, showDialog } from '../components/Dialog';
import { Icon } from '../components/Icon';
import { errorMessage, t, useLocale, type MessageKey } from '../i18n';
import { formatDate, formatSize } from '../lib/format';
import { navigate } from '../lib/router';
import { toast } from '../state';
import { admin, type AbuseReport, type AuditEntry, type Group, type Node, type Policy, type QueueMetric, type Summary, type User } from './api';
import { AdminList, bitsOf, boolsetOf, Check, FormActions, Select, TextField, useSave } from './parts';
import './admin.css';

const sections: { path: string; label: MessageKey }[] = [
  { path: '/admin', label: 'admin.dashboard' },
  { path: '/admin/settings', label: 'admin.settings' },
  { path: '/admin/groups', label: 'admin.groups' },
  { path: '/admin/users', label: 'admin.users' },
  { path: '/admin/files', label: 'admin.files' },
  { path: '/admin/blobs', label: 'admin.blobs' },
  { path: '/admin/shares', label: 'admin.shares' },
  { path: '/admin/reports', label: 'admin.reports' },
  { path: '/admin/policies', label: 'admin.policies' },
  { path: '/admin/nodes', label: 'admin.nodes' },
  { path: '/admin/tasks', label: 'admin.tasks' },
  { path: '/admin/tools', label: 'admin.tools' },
  { path: '/admin/audit', label: 'admin.audit' },
];

const pages: Record<string, () => preact.JSX.Element> = {
  '/admin': Dashboard,
  '/admin/settings': SettingsPage,
  '/admin/groups': GroupsPage,
  '/admin/users': UsersPage,
  '/admin/files': FilesPage,
  '/admin/blobs': BlobsPage,
  '/admin/shares': SharesPage,
  '/admin/reports': ReportsPage,
  '/admin/policies': PoliciesPage,
  '/admin/nodes': NodesPage,
  '/admin/tasks': TasksPage,
  '/admin/tools': ToolsPage,
  '/admin/audit': AuditPage,
};

export function AdminPage({ path }: { path: string }) {
  useLocale();
  const Page = pages[path];
  return (
    <section class="page admin">
      <nav class="admin-tabs" aria-label={t('nav.admin')}>
        {sections.map((s) => (
          <a key={s.path} href={s.path} aria-current={s.path === path ? 'page' : undefined}
            onClick={(e) => { e.preventDefault(); navigate(s.path); }}>{t(s.label)}</a>
        ))}
      </nav>
      {Page ? <Page /> : <p class="empty">{t('notFound.body')}</p>}
    </section>
  );
}

function Head({ title, children }: { title: MessageKey; children?: preact.ComponentChildren }) {
  return (
    <div class="page-head">
      <h1>{t(title)}</h1>
      {children}
    </div>
  );
}

// ---- Dashboard ----

function Dashboard() {
  const [s, setS] = useState<Summary | null>(null);
  const [error, setError] = useState('');
  useEffect(() => void admin.summary(true).then(setS, (e) => setError(errorMessage(e))), []);
  if (error) return <div class="state error" role="alert"><p>{error}</p></div>;
  if (!s) return <div class="skeleton-page" aria-busy="true" />;
  const m = s.metrics_summary;
  return (
    <>
      <Head title="admin.dashboard" />
      {m && (
        <div class="admin-stats">
          <Stat label="admin.totalUsers" value={m.user_total} />
          <Stat label="admin.totalFiles" value={m.file_total} />
          <Stat label="admin.totalShares" value={m.share_total} />
          <Stat label="admin.totalBlobs" value={m.entities_total} />
        </div>
      )}
      {m && (
        <table class="table" aria-label={t('admin.perDay')}>
          <thead><tr><th>{t('admin.day')}</th><th>{t('admin.users')}</th><th>{t('admin.files')}</th><th>{t('admin.shares')}</th></tr></thead>
          <tbody>
            {m.dates.map((d, i) => (
              <tr key={d}><td>{new Date(d).toLocaleDateString()}</td><td>{m.users[i]}</td><td>{m.files[i]}</td><td>{m.shares[i]}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="muted">{t('admin.version', { version: s.version.version })} · {s.site_urls.join(', ')}</p>
    </>
  );
}

function Stat({ label, value }: { label: MessageKey; value: number }) {
  return <div class="card admin-stat"><span class="muted">{t(label)}</span><strong>{value}</strong></div>;
}

// ---- Settings ----

type Kind = 'text' | 'bool' | 'number' | 'secret';
const settingGroups: { title: MessageKey; keys: [string, Kind][] }[] = [
  { title: 'admin.set.site', keys: [['siteName', 'text'], ['siteURL', 'text'], ['siteDes', 'text']] },
  { title: 'admin.set.signup', keys: [['register_enabled', 'bool'], ['email_active', 'bool'], ['default_group', 'number']] },
  { title: 'admin.set.signin', keys: [['login_captcha', 'bool'], ['reg_captcha', 'bool'], ['forget_captcha', 'bool'],
    ['captcha_type', 'text'], ['access_token_ttl', 'number'], ['refresh_token_ttl', 'number']] },
  { title: 'admin.set.mail', keys: [['fromName', 'text'], ['fromAdress', 'text'], ['smtpHost', 'text'], ['smtpPort', 'number'],
    ['smtpUser', 'text'], ['smtpPass', 'secret'], ['smtpEncryption', 'bool']] },
  { title: 'admin.set.files', keys: [['max_batched_file', 'number'], ['thumb_width', 'number'], ['thumb_height', 'number'],
    ['entity_url_default_ttl', 'number'], ['cron_entity_collect', 'text'], ['cron_trash_bin_collect', 'text']] },
  { title: 'admin.set.operating', keys: [['metrics_token', 'secret']] },
];

function SettingsPage() {
  const keys = settingGroups.flatMap((g) => g.keys.map(([k]) => k));
  const [saved, setSaved] = useState<Record<string, string> | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  useEffect(() => void admin.settings(keys).then((v) => { setSaved(v); setValues(v); }, (e) => setError(errorMessage(e))), []);
  if (!saved) return error ? <div class="state error" role="alert"><p>{error}</p></div> : <div class="skeleton-page" aria-busy="true" />;
  const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => v !== (saved[k] ?? '')));
  const set = (k: string, v: string) => setValues((o) => ({ ...o, [k]: v }));
  const save = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      const written = await admin.patchSettings(changed);
      const next = { ...saved, ...changed, ...Object.fromEntries(Object.entries(written).filter(([, v]) => v !== '')) };
      setSaved(next);
      setValues(next);
      toast(t('settings.saved'));
    } catch (err) {
      // Validation failures carry the server's reason (the key and why).
      setError((err as { code?: number }).code === 40001 && (err as Error).message ? (err as Error).message : errorMessage(err));
    }
  };
  return (
    <form onSubmit={save}>
      <Head title="admin.settings">
        <button class="btn primary" disabled={Object.keys(changed).length === 0}>{t('action.save')}</button>
      </Head>
      {error && <p class="error" role="alert">{error}</p>}
      {settingGroups.map((g) => (
        <fieldset class="card admin-set" key={g.title}>
          <legend>{t(g.title)}</legend>
          {g.keys.map(([k, kind]) => {
            const v = values[k] ?? '';
            if (kind === 'bool') return <Check key={k} label={k} checked={v === '1' || v === 'true'} onChange={(c) => set(k, c ? '1' : '0')} />;
            return (
              <label class="field" key={k}>
                <span><code>{k}</code></span>
                <input type={kind === 'number' ? 'number' : kind === 'secret' ? 'password' : 'text'} value={v}
                  placeholder={kind === 'secret' ? t('admin.unchanged') : undefined}
                  onInput={(e) => set(k, (e.target as HTMLInputElement).value)} />
              </label>
            );
          })}
        </fieldset>
      ))}
    </form>
  );
}

// ---- Groups ----

const permissionBits: [number, MessageKey][] = [
  [0, 'admin.perm.admin'], [2, 'admin.perm.share'], [3, 'admin.perm.webdav'], [4, 'admin.perm.archive'],
  [6, 'admin.perm.webdavProxy'], [7, 'admin.perm.shareDownload'], [12, 'admin.perm.advanceDelete'],
];

function usePolicies() {
  const [ps, setPs] = useState<Policy[]>([]);
  useEffect(() => void admin.policies({ page: 1, page_size: 200 }).then((r) => setPs(r.items), () => {}), []);
  return ps;
}

function GroupsPage() {
  const [v, setV] = useState(0);
  const edit = async (g: Group | null) => {
    const saved = await showDialog<Group>(t(g ? 'admin.editGroup' : 'admin.newGroup'), (close) => <GroupForm group={g} close={close} />);
    if (saved) setV((n) => n + 1);
  };
  return (
    <>
      <Head title="admin.groups">
        <button class="btn primary" onClick={() => void edit(null)}><Icon name="plus" /> {t('admin.newGroup')}</button>
      </Head>
      <AdminList<Group> label="admin.groups" empty="admin.none" version={v} load={admin.groups}
        columns={[
          { label: 'field.name', render: (g) => g.name },
          { label: 'admin.quota', render: (g) => formatSize(g.max_storage ?? 0) },
          { label: 'admin.speed', render: (g) => (g.speed_limit ? formatSize(g.speed_limit) + '/s' : t('admin.unlimited')) },
          { label: 'admin.policy', render: (g) => g.edges?.storage_policies?.name ?? '—', wide: true },
        ]}
        actions={(g, reload) => (
          <>
            <button class="icon-btn" aria-label={t('action.edit') + ' ' + g.name} onClick={() => void edit(g)}><Icon name="edit" size={18} /></button>
            <button class="icon-btn danger" aria-label={t('action.delete') + ' ' + g.name} onClick={async () => {
              if (!(await confirmDialog(t('admin.deleteGroup'), g.name ?? '', t('action.delete'), true))) return;
              admin.deleteGroup(g.id!).then(reload, (e) => toast(errorMessage(e), 'error'));
            }}><Icon name="trash" size={18} /></button>
          </>
        )} />
    </>
  );
}

function GroupForm({ group, close }: { group: Group | null; close: (g: Group | null) => void }) {
  const policies = usePolicies();
  const [name, setName] = useState(group?.name ?? '');
  const [quotaMB, setQuotaMB] = useState(String(Math.round((group?.max_storage ?? 1 << 30) / (1 << 20))));
  const [speedKB, setSpeedKB] = useState(String(Math.round((group?.speed_limit ?? 0) / 1024)));
  const [policy, setPolicy] = useState(String(group?.storage_policy_id ?? 1));
  const [bits, setBits] = useState(() => (group ? bitsOf(group.permissions) : new Set([2, 7])));
  const { error, busy, submit } = useSave(() => admin.saveGroup({
    ...group,
    name,
    max_storage: Math.max(0, Number(quotaMB) || 0) * (1 << 20),
    speed_limit: Math.max(0, Number(speedKB) || 0) * 1024,
    permissions: boolsetOf(bits),
    storage_policy_id: Number(policy) || 0,
    edges: { storage_policies: Number(policy) ? { id: Number(policy) } : undefined },
  }), close);
  return (
    <form onSubmit={submit}>
      <h2>{t(group ? 'admin.editGroup' : 'admin.newGroup')}</h2>
      <TextField label="field.name" value={name} onInput={setName} required autofocus />
      <TextField label="admin.quotaMB" type="number" value={quotaMB} onInput={setQuotaMB} />
      <TextField label="admin.speedKB" type="number" value={speedKB} onInput={setSpeedKB} hint={t('admin.zeroUnlimited')} />
      <Select label="admin.policy" value={policy} onChange={setPolicy}
        options={[{ value: '0', label: '—' }, ...policies.map((p) => ({ value: String(p.id), label: p.name ?? '' }))]} />
      <fieldset class="admin-perms">
        <legend>{t('admin.permissions')}</legend>
        {permissionBits.map(([bit, label]) => (
          <Check key={bit} label={t(label)} checked={bits.has(bit)} onChange={(c) => setBits((s) => {
            const n = new Set(s);
            if (c) n.add(bit); else n.delete(bit);
            return n;
          })} />
        ))}
      </fieldset>
      <FormActions error={error} busy={busy} close={() => close(null)} />
    </form>
  );
}

// ---- Users ----

const statuses = ['active', 'inactive', 'manual_banned', 'sys_banned'];

function useGroups() {
  const [gs, setGs] = useState<Group[]>([]);
  useEffect(() => void admin.groups({ page: 1, page_size: 200 }).then((r) => setGs(r.items), () => {}), []);
  return gs;
}

function UsersPage() {
  const [v, setV] = useState(0);
  const [q, setQ] = useState('');
  const edit = async (u: User | null) => {
    const saved = await showDialog<User>(t(u ? 'admin.editUser' : 'admin.newUser'), (close) => <UserForm user={u} close={close} />);
    if (saved) setV((n) => n + 1);
  };
  return (
    <>
      <Head title="admin.users">
        <input class="admin-filter" type="search" aria-label={t('admin.searchEmail')} placeholder={t('admin.searchEmail')} value={q}
          onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        <button class="btn primary" onClick={() => void edit(null)}><Icon name="plus" /> {t('admin.newUser')}</button>
      </Head>
      <AdminList<User> label="admin.users" empty="admin.none" version={v} load={admin.users} conditions={q ? { user_email: q } : undefined}
        columns={[
          { label: 'admin.email', render: (u) => u.email },
          { label: 'admin.nick', render: (u) => u.nick, wide: true },
          { label: 'admin.group', render: (u) => u.edges?.group?.name },
          { label: 'admin.status', render: (u) => t(('admin.status.' + (u.status ?? 'active')) as MessageKey) },
          { label: 'admin.used', render: (u) => formatSize(u.storage ?? 0), wide: true },
        ]}
        actions={(u, reload) => (
          <>
            <button class="icon-btn" aria-label={t('action.edit') + ' ' + u.email} onClick={() => void edit(u)}><Icon name="edit" size={18} /></button>
            <button class="icon-btn" aria-label={t('admin.calibrate') + ' ' + u.email} onClick={() =>
              admin.calibrate(u.id!).then(() => { toast(t('admin.calibrated')); reload(); }, (e) => toast(errorMessage(e), 'error'))}>
              <Icon name="retry" size={18} />
            </button>
            <button class="icon-btn danger" aria-label={t('action.delete') + ' ' + u.email} onClick={async () => {
              if (!(await confirmDialog(t('admin.deleteUser'), t('admin.deleteUserBody', { email: u.email ?? '' }), t('action.delete'), true))) return;
              admin.deleteUsers([u.id!]).then(reload, (e) => toast(errorMessage(e), 'error'));
            }}><Icon name="trash" size={18} /></button>
          </>
        )} />
    </>
  );
}

function UserForm({ user, close }: { user: User | null; close: (u: User | null) => void }) {
  const groups = useGroups();
  const [email, setEmail] = useState(user?.email ?? '');
  const [nick, setNick] = useState(user?.nick ?? '');
  const [password, setPassword] = useState('');
  const [group, setGroup] = useState(String(user?.group_users ?? 2));
  const [status, setStatus] = useState(user?.status ?? 'active');
  const { error, busy, submit } = useSave(() => admin.saveUser({ ...user, email, nick, group_users: Number(group), status }, password), close);
  return (
    <form onSubmit={submit}>
      <h2>{t(user ? 'admin.editUser' : 'admin.newUser')}</h2>
      <TextField label="admin.email" type="email" value={email} onInput={setEmail} required autofocus />
      <TextField label="admin.nick" value={nick} onInput={setNick} />
      <TextField label="admin.password" type="password" value={password} onInput={setPassword} required={!user}
        hint={user ? t('admin.passwordKeep') : undefined} />
      <Select label="admin.group" value={group} onChange={setGroup}
        options={groups.filter((g) => g.id !== 3).map((g) => ({ value: String(g.id), label: g.name ?? '' }))} />
      <Select label="admin.status" value={status} onChange={setStatus}
        options={statuses.map((s) => ({ value: s, label: t(('admin.status.' + s) as MessageKey) }))} />
      <FormActions error={error} busy={busy} close={() => close(null)} />
    </form>
  );
}

// ---- Files, blobs, shares ----

function FilesPage() {
  const [q, setQ] = useState('');
  return (
    <>
      <Head title="admin.files">
        <input class="admin-filter" type="search" aria-label={t('admin.searchName')} placeholder={t('admin.searchName')} value={q}
          onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
      </Head>
      <AdminList label="admin.files" empty="admin.none" load={admin.files} conditions={q ? { file_name: q } : undefined}
        columns={[
          { label: 'field.name', render: (f) => f.name },
          { label: 'admin.size', render: (f) => formatSize(f.size ?? 0) },
          { label: 'admin.owner', render: (f) => f.edges?.owner?.email, wide: true },
          { label: 'admin.created', render: (f) => formatDate(f.created_at ?? ''), wide: true },
        ]}
        actions={(f, reload) => (
          <>
            <button class="icon-btn" aria-label={t('action.download') + ' ' + f.name} onClick={() =>
              admin.fileURL(f.id).then((u) => window.open(u, '_blank', 'noopener'), (e) => toast(errorMessage(e), 'error'))}>
              <Icon name="download" size={18} />
            </button>
            <button class="icon-btn danger" aria-label={t('action.delete') + ' ' + f.name} onClick={async () => {
              if (!(await confirmDialog(t('admin.deleteFile'), f.name ?? '', t('action.deleteForever'), true))) return;
              admin.deleteFiles([f.id]).then(reload, (e) => toast(errorMessage(e), 'error'));
            }}><Icon name="trash" size={18} /></button>
          </>
        )} />
    </>
  );
}

function BlobsPage() {
  return (
    <>
      <Head title="admin.blobs" />
      <AdminList label="admin.blobs" empty="admin.none" load={admin.entities} orderBy="size" order="desc"
        columns={[
          { label: 'admin.source', render: (e) => <code>{e.source}</code> },
          { label: 'admin.size', render: (e) => formatSize(e.size ?? 0) },
          { label: 'admin.refs', render: (e) => e.reference_count ?? 0 },
          { label: 'admin.policy', render: (e) => e.edges?.storage_policy?.name, wide: true },
          { label: 'admin.owner', render: (e) => e.edges?.user?.email, wide: true },
        ]}
        actions={(e, reload) => (
          <button class="icon-btn danger" aria-label={t('action.delete') + ' ' + e.source} onClick={async () => {
            if (!(await confirmDialog(t('admin.deleteBlob'), t('admin.deleteBlobBody'), t('action.deleteForever'), true))) return;
            admin.deleteEntities([e.id], false).then(reload, (err) => toast(errorMessage(err), 'error'));
          }}><Icon name="trash" size={18} /></button>
        )} />
    </>
  );
}

function SharesPage() {
  return (
    <>
      <Head title="admin.shares" />
      <AdminList label="admin.shares" empty="admin.none" load={admin.shares}
        columns={[
          { label: 'field.name', render: (s) => s.edges?.file?.name ?? '—' },
          { label: 'admin.owner', render: (s) => s.edges?.user?.email, wide: true },
          { label: 'admin.views', render: (s) => s.views ?? 0 },
          { label: 'admin.downloads', render: (s) => s.downloads ?? 0, wide: true },
          { label: 'admin.link', render: (s) => <a href={s.share_link} target="_blank" rel="noopener">{t('admin.open')}</a> },
        ]}
        actions={(s, reload) => (
          <button class="icon-btn danger" aria-label={t('action.delete')} onClick={async () => {
            if (!(await confirmDialog(t('admin.deleteShare'), s.edges?.file?.name ?? '', t('action.delete'), true))) return;
            admin.deleteShares([s.id]).then(reload, (e) => toast(errorMessage(e), 'error'));
          }}><Icon name="trash" size={18} /></button>
        )} />
    </>
  );
}

const categories: MessageKey[] = ['admin.abuse.copyright', 'admin.abuse.harmful', 'admin.abuse.spam', 'admin.abuse.other'];

function ReportsPage() {
  return (
    <>
      <Head title="admin.reports" />
      <AdminList<AbuseReport> label="admin.reports" empty="admin.none" load={admin.abuseReports} order="desc"
        columns={[
          { label: 'admin.when', render: (r) => formatDate(r.created_at) },
          { label: 'admin.category', render: (r) => t(categories[r.category] ?? 'admin.abuse.other') },
          { label: 'admin.target', render: (r) => (r.share_id ? t('admin.shareN', { id: r.share_id }) : t('admin.userN', { id: r.reported_user_id ?? 0 })) },
          { label: 'admin.description', render: (r) => r.description, wide: true },
        ]}
        actions={(r, reload) => (
          <button class="icon-btn" aria-label={t('admin.dismiss')} onClick={() =>
            admin.dismissReports([r.id]).then(reload, (e) => toast(errorMessage(e), 'error'))}><Icon name="check" size={18} /></button>
        )} />
    </>
  );
}

// ---- Storage policies and nodes ----

function PoliciesPage() {
  const [v, setV] = useState(0);
  const edit = async (p: Policy | null) => {
    const full = p ? await admin.policy(p.id!).catch((e) => { toast(errorMessage(e), 'error'); return null; }) : null;
    if (p && !full) return;
    const saved = await showDialog<Policy>(t(p ? 'admin.editPolicy' : 'admin.newPolicy'), (close) => <PolicyForm policy={full} close={close} />);
    if (saved) setV((n) => n + 1);
  };
  return (
    <>
      <Head title="admin.policies">
        <button class="btn primary" onClick={() => void edit(null)}><Icon name="plus" /> {t('admin.newPolicy')}</button>
      </Head>
      <AdminList<Policy> label="admin.policies" empty="admin.none" version={v} load={admin.policies}
        columns={[
          { label: 'field.name', render: (p) => p.name },
          { label: 'admin.type', render: (p) => p.type },
          { label: 'admin.maxSize', render: (p) => (p.max_size ? formatSize(p.max_size) : t('admin.unlimited')), wide: true },
          { label: 'admin.groups', render: (p) => (p.edges?.groups ?? []).map((g) => g.name).join(', '), wide: true },
        ]}
        actions={(p, reload) => (
          <>
            <button class="icon-btn" aria-label={t('action.edit') + ' ' + p.name} onClick={() => void edit(p)}><Icon name="edit" size={18} /></button>
            <button class="icon-btn danger" aria-label={t('action.delete') + ' ' + p.name} onClick={async () => {
              if (!(await confirmDialog(t('admin.deletePolicy'), p.name ?? '', t('action.delete'), true))) return;
              admin.deletePolicy(p.id!).then(reload, (e) => toast(errorMessage(e), 'error'));
            }}><Icon name="trash" size={18} /></button>
          </>
        )} />
    </>
  );
}

function PolicyForm({ policy, close }: { policy: Policy | null; close: (p: Policy | null) => void }) {
  const [name, setName] = useState(policy?.name ?? '');
  const [dir, setDir] = useState(policy?.dir_name_rule ?? 'uploads/{uid}/{path}');
  const [file, setFile] = useState(policy?.file_name_rule ?? '{uid}_{randomkey8}_{originname}');
  const [maxMB, setMaxMB] = useState(String(Math.round((policy?.max_size ?? 0) / (1 << 20))));
  const [root, setRoot] = useState(String(policy?.settings?.root ?? ''));
  const { error, busy, submit } = useSave(() => admin.savePolicy({
    ...policy, type: 'local', name, dir_name_rule: dir, file_name_rule: file,
    max_size: Math.max(0, Number(maxMB) || 0) * (1 << 20),
    settings: { ...(policy?.settings ?? {}), root: root || undefined },
  }), close);
  return (
    <form onSubmit={submit}>
      <h2>{t(policy ? 'admin.editPolicy' : 'admin.newPolicy')}</h2>
      <TextField label="field.name" value={name} onInput={setName} required autofocus />
      <TextField label="admin.root" value={root} onInput={setRoot} hint={t('admin.rootHint')} />
      <TextField label="admin.dirRule" value={dir} onInput={setDir} />
      <TextField label="admin.fileRule" value={file} onInput={setFile} />
      <TextField label="admin.maxSizeMB" type="number" value={maxMB} onInput={setMaxMB} hint={t('admin.zeroUnlimited')} />
      {policy?.entities_count ? <p class="muted">{t('admin.policyUsage', { n: policy.entities_count, size: formatSize(policy.entities_size ?? 0) })}</p> : null}
      <FormActions error={error} busy={busy} close={() => close(null)} />
    </form>
  );
}

function NodesPage() {
  const [v, setV] = useState(0);
  const edit = async (n: Node | null) => {
    const saved = await showDialog<Node>(t(n ? 'admin.editNode' : 'admin.newNode'), (close) => <NodeForm node={n} close={close} />);
    if (saved) setV((x) => x + 1);
  };
  return (
    <>
      <Head title="admin.nodes">
        <button class="btn primary" onClick={() => void edit(null)}><Icon name="plus" /> {t('admin.newNode')}</button>
      </Head>
      <AdminList<Node> label="admin.nodes" empty="admin.none" version={v} load={admin.nodes}
        columns={[
          { label: 'field.name', render: (n) => n.name },
          { label: 'admin.type', render: (n) => n.type },
          { label: 'admin.status', render: (n) => n.status },
          { label: 'admin.server', render: (n) => n.server ?? '—', wide: true },
        ]}
        actions={(n, reload) => (
          <>
            <button class="icon-btn" aria-label={t('action.edit') + ' ' + n.name} onClick={() => void edit(n)}><Icon name="edit" size={18} /></button>
            {n.type !== 'master' && (
              <button class="icon-btn danger" aria-label={t('action.delete') + ' ' + n.name} onClick={async () => {
                if (!(await confirmDialog(t('admin.deleteNode'), n.name ?? '', t('action.delete'), true))) return;
                admin.deleteNode(n.id!).then(reload, (e) => toast(errorMessage(e), 'error'));
              }}><Icon name="trash" size={18} /></button>
            )}
          </>
        )} />
    </>
  );
}

function NodeForm({ node, close }: { node: Node | null; close: (n: Node | null) => void }) {
  const [name, setName] = useState(node?.name ?? '');
  const [server, setServer] = useState(node?.server ?? '');
  const [key, setKey] = useState(node?.slave_key ?? '');
  const [status, setStatus] = useState(node?.status ?? 'active');
  const [weight, setWeight] = useState(String(node?.weight ?? 1));
  const master = node?.type === 'master';
  const [testing, setTesting] = useState(false);
  // Tests the form's values, saved or not: the server pings the slave.
  const test = async () => {
    setTesting(true);
    try {
      await admin.testNode({ ...node, server, slave_key: key });
      toast(t('admin.nodeReachable'));
    } catch (e) {
      // The server's message says why (unreachable, refused, wrong key),
      // which the generic text of its code would hide.
      const err = e as { code?: number; message?: string };
      toast(err.code === 40001 && err.message ? err.message : errorMessage(e), 'error');
    } finally {
      setTesting(false);
    }
  };
  const { error, busy, submit } = useSave(() => admin.saveNode({
    ...node, name, server, slave_key: key, status, weight: Number(weight) || 0,
  }), close);
  return (
    <form onSubmit={submit}>
      <h2>{t(node ? 'admin.editNode' : 'admin.newNode')}</h2>
      <TextField label="field.name" value={name} onInput={setName} required autofocus />
      {!master && <TextField label="admin.server" type="url" value={server} onInput={setServer} required />}
      {!master && <TextField label="admin.slaveKey" value={key} onInput={setKey} required />}
      <Select label="admin.status" value={status} onChange={setStatus}
        options={['active', 'suspended'].map((s) => ({ value: s, label: s }))} />
      <TextField label="admin.weight" type="number" value={weight} onInput={setWeight} />
      {!master && (
        <button type="button" class="btn" disabled={testing || !server || !key} onClick={() => void test()}>
          {t('admin.testNode')}
        </button>
      )}
      <FormActions error={error} busy={busy} close={() => close(null)} />
    </form>
  );
}

// ---- Tasks, tools, audit log ----

function TasksPage() {
  const [m, setM] = useState<QueueMetric[] | null>(null);
  useEffect(() => void admin.queueMetrics().then(setM, (e) => toast(errorMessage(e), 'error')), []);
  return (
    <>
      <Head title="admin.tasks" />
      <p class="muted">{t('admin.tasksNote')}</p>
      {m && (
        <table class="table" aria-label={t('admin.tasks')}>
          <thead><tr><th>{t('admin.queue')}</th><th>{t('admin.busy')}</th><th>{t('admin.succeeded')}</th><th>{t('admin.failed')}</th><th>{t('admin.submitted')}</th></tr></thead>
          <tbody>
            {m.map((q) => <tr key={q.name}><td>{q.name}</td><td>{q.busy_workers}</td><td>{q.success_tasks}</td><td>{q.failure_tasks}</td><td>{q.submitted_tasks}</td></tr>)}
          </tbody>
        </table>
      )}
    </>
  );
}

function ToolsPage() {
  const [to, setTo] = useState('');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('25');
  const [from, setFrom] = useState('');
  const [error, setError] = useState('');
  return (
    <>
      <Head title="admin.tools" />
      <form class="card" onSubmit={async (e) => {
        e.preventDefault();
        setError('');
        try {
          await admin.testMail(to, { smtpHost: host, smtpPort: port, fromAdress: from });
          toast(t('admin.mailSent'));
        } catch (err) {
          setError(errorMessage(err));
        }
      }}>
        <h2>{t('admin.testMail')}</h2>
        <TextField label="admin.mailTo" type="email" value={to} onInput={setTo} required />
        <TextField label="admin.smtpHost" value={host} onInput={setHost} required />
        <TextField label="admin.smtpPort" type="number" value={port} onInput={setPort} required />
        <TextField label="admin.mailFrom" type="email" value={from} onInput={setFrom} />
        {error && <p class="error" role="alert">{error}</p>}
        <div class="actions"><button class="btn primary">{t('admin.send')}</button></div>
      </form>
      <div class="card">
        <h2>{t('admin.caches')}</h2>
        <p class="muted">{t('admin.cachesNote')}</p>
        <button class="btn" onClick={() => admin.flushCaches().then(() => toast(t('admin.flushed')), (e) => toast(errorMessage(e), 'error'))}>
          {t('admin.flush')}
        </button>
      </div>
    </>
  );
}

function AuditPage() {
  const [action, setAction] = useState('');
  return (
    <>
      <Head title="admin.audit">
        <input class="admin-filter" type="search" aria-label={t('admin.filterAction')} placeholder={t('admin.filterAction')} value={action}
          onInput={(e) => setAction((e.target as HTMLInputElement).value.trim())} />
      </Head>
      <AdminList<AuditEntry> label="admin.audit" empty="admin.none" load={admin.audit} order="desc"
        conditions={action ? { action } : undefined}
        columns={[
          { label: 'admin.when', render: (e) => formatDate(e.created_at) },
          { label: 'admin.actor', render: (e) => e.actor_email },
          { label: 'admin.action', render: (e) => <code>{e.action}</code> },
          { label: 'admin.target', render: (e) => [e.target_type, e.target_id].filter(Boolean).join(' '), wide: true },
          { label: 'admin.change', render: (e) => <Change before={e.before} after={e.after} />, wide: true },
        ]} />
    </>
  );
}

function Change({ before, after }: { before?: unknown; after?: unknown }) {
  if (!before && !after) return null;
  return (
    <details>
      <summary>{t('admin.details')}</summary>
      {before !== undefined && <pre>{t('admin.before')}: {JSON.stringify(before, null, 1)}</pre>}
      {after !== undefined && <pre>{t('admin.after')}: {JSON.stringify(after, null, 1)}</pre>}
    </details>
  );
}
