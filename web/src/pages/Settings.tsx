// Profile and preferences: nickname, avatar, language, theme, password, 2FA.
import { useEffect, useState } from 'preact/hooks';
import { user as userAPI } from '../api';
import type { UserSettings } from '../api/types';
import { Avatar } from '../components/Shell';
import { errorMessage, languages, locale, setLanguage, t, useLocale } from '../i18n';
import { useStore } from '../lib/store';
import { loadMe, me, theme, toast, type Theme } from '../state';
import { TZ_KEY } from '../lib/format';

export function SettingsPage() {
  useLocale();
  const user = useStore(me)!;
  const th = useStore(theme);
  const [settings, setSettings] = useState<UserSettings | null>(null);
  const [nick, setNick] = useState(user.nickname);
  const [bust, setBust] = useState('');
  const [tz, setTz] = useState(localStorage.getItem(TZ_KEY) || '');
  const zones: string[] = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  useEffect(() => void userAPI.settings().then(setSettings, (e) => toast(errorMessage(e), 'error')), []);
  const save = (body: Record<string, unknown>, msg = t('settings.saved')) =>
    userAPI.patchSettings(body).then(() => { toast(msg); void loadMe(); }, (e) => { toast(errorMessage(e), 'error'); throw e; });

  return (
    <section class="page settings">
      <h1>{t('nav.settings')}</h1>
      <div class="card">
        <h2>{t('settings.profile')}</h2>
        <div class="avatar-row">
          <span key={bust}><Avatar id={user.id} name={user.nickname} has={!!user.avatar} /></span>
          <label class="btn">
            {t('settings.avatar')}
            <input type="file" accept="image/png,image/jpeg,image/gif" hidden onChange={async (e) => {
              const f = (e.target as HTMLInputElement).files?.[0];
              if (!f) return;
              try {
                await userAPI.setAvatar(f);
                await loadMe();
                setBust(String(Date.now()));
                toast(t('settings.saved'));
              } catch (err) {
                toast(errorMessage(err), 'error');
              }
            }} />
          </label>
        </div>
        <form class="inline-form" onSubmit={(e) => { e.preventDefault(); void save({ nick }); }}>
          <label class="field"><span>{t('settings.nickname')}</span><input value={nick} maxLength={100} required onInput={(e) => setNick((e.target as HTMLInputElement).value)} /></label>
          <button class="btn">{t('action.save')}</button>
        </form>
        <p class="muted">{user.email}</p>
      </div>
      <div class="card">
        <h2>{t('settings.preferences')}</h2>
        <label class="field">
          <span>{t('settings.language')}</span>
          <select aria-label={t('settings.language')} value={locale.get()} onChange={async (e) => {
            const v = (e.target as HTMLSelectElement).value;
            await setLanguage(v);
            void save({ language: v });
          }}>
            {languages.map((l) => <option key={l.code} value={l.code}>{l.name}</option>)}
          </select>
        </label>
        <label class="field">
          <span>{t('settings.theme')}</span>
          <select aria-label={t('settings.theme')} value={th} onChange={(e) => theme.set((e.target as HTMLSelectElement).value as Theme)}>
            {(['system', 'light', 'dark'] as const).map((v) => <option key={v} value={v}>{t(('theme.' + v) as 'theme.system')}</option>)}
          </select>
        </label>
        <label class="field">
          <span>{t('settings.timezoneLabel')}</span>
          <select aria-label={t('settings.timezoneLabel')} value={tz} onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value;
            if (v) localStorage.setItem(TZ_KEY, v);
            else localStorage.removeItem(TZ_KEY);
            setTz(v);
            toast(t('settings.saved'));
          }}>
            <option value="">{t('settings.timezone', { tz: Intl.DateTimeFormat().resolvedOptions().timeZone })}</option>
            {zones.map((z) => <option key={z} value={z}>{z}</option>)}
          </select>
        </label>
      </div>
      <div class="card">
        <h2>{t('settings.security')}</h2>
        <PasswordForm save={save} />
        {settings && <TwoFactor enabled={settings.two_fa_enabled} save={save} onChange={(v) => setSettings({ ...settings, two_fa_enabled: v })} />}
      </div>
    </section>
  );
}

function PasswordForm({ save }: { save: (b: Record<string, unknown>, msg?: string) => Promise<void> }) {
  const [cur, setCur] = useState('');
  const [next, setNext] = useState('');
  return (
    <form class="stack" onSubmit={(e) => {
      e.preventDefault();
      save({ current_password: cur, new_password: next }, t('settings.passwordChanged')).then(() => { setCur(''); setNext(''); }, () => undefined);
    }}>
      <h3>{t('settings.password')}</h3>
      <label class="field"><span>{t('settings.currentPassword')}</span><input type="password" autocomplete="current-password" value={cur} required onInput={(e) => setCur((e.target as HTMLInputElement).value)} /></label>
      <label class="field"><span>{t('session.newPassword')}</span><input type="password" autocomplete="new-password" minLength={6} value={next} required onInput={(e) => setNext((e.target as HTMLInputElement).value)} /></label>
      <button class="btn">{t('settings.changePassword')}</button>
    </form>
  );
}

function TwoFactor({ enabled, save, onChange }: { enabled: boolean; save: (b: Record<string, unknown>, msg?: string) => Promise<void>; onChange: (v: boolean) => void }) {
  const [secret, setSecret] = useState('');
  const [code, setCode] = useState('');
  const user = useStore(me)!;
  const submit = (e: Event) => {
    e.preventDefault();
    save({ two_fa_enabled: !enabled, two_fa_code: code }).then(() => { onChange(!enabled); setSecret(''); setCode(''); }, () => undefined);
  };
  return (
    <form class="stack" onSubmit={submit}>
      <h3>{t('settings.twoFactor')}</h3>
      <p class="muted">{enabled ? t('settings.twoFactorOn') : t('settings.twoFactorOff')}</p>
      {!enabled && !secret && (
        <button type="button" class="btn" onClick={() => userAPI.prepare2FA().then(setSecret, (e) => toast(errorMessage(e), 'error'))}>{t('settings.enable2FA')}</button>
      )}
      {!enabled && secret && (
        <>
          <p>{t('settings.twoFactorSecret')}</p>
          <code class="secret">{secret}</code>
          <input readOnly class="otpauth" aria-label="otpauth" value={`otpauth://totp/Stratus:${encodeURIComponent(user.email ?? '')}?secret=${secret}&issuer=Stratus`} onFocus={(e) => (e.target as HTMLInputElement).select()} />
        </>
      )}
      {(enabled || secret) && (
        <>
          <label class="field"><span>{t('session.otp')}</span><input inputMode="numeric" pattern="[0-9]{6}" value={code} required onInput={(e) => setCode((e.target as HTMLInputElement).value)} /></label>
          <button class={enabled ? 'btn danger' : 'btn primary'}>{enabled ? t('settings.disable2FA') : t('settings.confirm2FA')}</button>
        </>
      )}
    </form>
  );
}
