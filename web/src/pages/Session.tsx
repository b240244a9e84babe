// Sign in (with captcha and the 2FA step), sign up, and the pages the
// activation and reset mails link to.
import { useEffect, useState } from 'preact/hooks';
import { session, site, user as userAPI } from '../api';
import type { LoginConfig, LoginResponse } from '../api/types';
import { Icon } from '../components/Icon';
import { errorMessage, locale, t } from '../i18n';
import { navigate, useRoute } from '../lib/router';
import { me, signedIn } from '../state';
import { useStore } from '../lib/store';

function useLoginConfig() {
  const [c, setC] = useState<LoginConfig | null>(null);
  useEffect(() => {
    site.config('login').then(setC, () => setC({ register_enabled: true }));
  }, []);
  return c;
}

function Captcha({ onChange, nonce }: { onChange: (v: { ticket: string; captcha: string }) => void; nonce: number }) {
  const [img, setImg] = useState('');
  const [ticket, setTicket] = useState('');
  const [answer, setAnswer] = useState('');
  const load = () =>
    site.captcha().then((c) => {
      setImg(c.image);
      setTicket(c.ticket);
      setAnswer('');
      onChange({ ticket: c.ticket, captcha: '' });
    }, () => undefined);
  useEffect(() => void load(), [nonce]);
  return (
    <label class="field captcha">
      <span>{t('session.captcha')}</span>
      <div class="row">
        <input value={answer} required autocomplete="off" onInput={(e) => {
          const v = (e.target as HTMLInputElement).value;
          setAnswer(v);
          onChange({ ticket, captcha: v });
        }} />
        {img && <img src={img} alt={t('session.captchaImage')} onClick={load} title={t('session.captchaRefresh')} />}
      </div>
    </label>
  );
}

function Frame({ title, children }: { title: string; children: preact.ComponentChildren }) {
  return (
    <main class="auth" id="main">
      <div class="auth-card">
        <div class="brand"><Icon name="cloud" size={32} /><span>Stratus</span></div>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

const done = () => {
  const to = new URLSearchParams(location.search).get('redirect');
  navigate(to && to.startsWith('/') && !to.startsWith('//') ? to : '/home', true);
};

export function SessionPage({ path }: { path: string }) {
  const user = useStore(me);
  // Signed in already: the sign-in and sign-up pages have nothing to do.
  useEffect(() => {
    if (user && (path === "/session" || path === "/session/signup")) done();
  }, [user, path]);
  if (path === '/session/signup') return <SignUp />;
  if (path === '/session/activate') return <Activate />;
  if (path === '/session/reset') return <Reset />;
  if (path === '/session/forget') return <Forget />;
  return <SignIn />;
}

function SignIn() {
  const cfg = useLoginConfig();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [cap, setCap] = useState({ ticket: '', captcha: '' });
  const [nonce, setNonce] = useState(0);
  const [twoFA, setTwoFA] = useState('');
  const [otp, setOtp] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const q = useRoute().query;

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      if (twoFA) {
        await signedIn(await session.twoFactor(twoFA, otp));
        return done();
      }
      const r = await session.signIn({ email, password, ...(cfg?.login_captcha ? cap : {}) });
      if (typeof r === 'string') setTwoFA(r);
      else {
        await signedIn(r as LoginResponse);
        done();
      }
    } catch (err) {
      setError(errorMessage(err));
      if (cfg?.login_captcha) setNonce((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Frame title={twoFA ? t('session.twoFactor') : t('session.signIn')}>
      <form onSubmit={submit} class="stack">
        {twoFA ? (
          <label class="field">
            <span>{t('session.otp')}</span>
            <input inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" value={otp} required autofocus
              onInput={(e) => setOtp((e.target as HTMLInputElement).value)} />
          </label>
        ) : (
          <>
            <label class="field">
              <span>{t('session.email')}</span>
              <input type="email" autocomplete="username" value={email} required autofocus onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
            </label>
            <label class="field">
              <span>{t('session.password')}</span>
              <input type="password" autocomplete="current-password" value={password} required minLength={4}
                onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
            </label>
            {cfg?.login_captcha && <Captcha onChange={setCap} nonce={nonce} />}
          </>
        )}
        {error && <p class="error" role="alert">{error}</p>}
        <button class="btn primary wide" disabled={busy}>{twoFA ? t('session.verify') : t('session.signIn')}</button>
      </form>
      <p class="auth-links">
        <a href="/session/forget" onClick={(e) => { e.preventDefault(); navigate('/session/forget'); }}>{t('session.forgot')}</a>
        {cfg?.register_enabled !== false && (
          <a href={'/session/signup' + (q.toString() ? '?' + q : '')} onClick={(e) => { e.preventDefault(); navigate('/session/signup' + (q.toString() ? '?' + q : '')); }}>
            {t('session.createAccount')}
          </a>
        )}
      </p>
    </Frame>
  );
}

function SignUp() {
  const cfg = useLoginConfig();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [cap, setCap] = useState({ ticket: '', captcha: '' });
  const [nonce, setNonce] = useState(0);
  const [error, setError] = useState('');
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (password !== confirm) return setError(t('session.mismatch'));
    setBusy(true);
    setError('');
    try {
      const u = await userAPI.signUp({ email, password, language: locale.get(), ...(cfg?.reg_captcha ? cap : {}) });
      if (!u) return setSent(true); // 203: activation mail sent
      const r = await session.signIn({ email, password });
      if (typeof r !== 'string') {
        await signedIn(r);
        done();
      } else navigate('/session', true);
    } catch (err) {
      setError(errorMessage(err));
      if (cfg?.reg_captcha) setNonce((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };
  if (sent) return <Frame title={t('session.checkMail')}><p>{t('session.activationSent', { email })}</p></Frame>;
  if (cfg && cfg.register_enabled === false) return <Frame title={t('session.signUp')}><p class="error">{t('code.40019')}</p></Frame>;
  return (
    <Frame title={t('session.signUp')}>
      <form onSubmit={submit} class="stack">
        <label class="field">
          <span>{t('session.email')}</span>
          <input type="email" autocomplete="username" value={email} required autofocus onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          <span>{t('session.password')}</span>
          <input type="password" autocomplete="new-password" value={password} required minLength={6}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          <span>{t('session.confirmPassword')}</span>
          <input type="password" autocomplete="new-password" value={confirm} required minLength={6}
            onInput={(e) => setConfirm((e.target as HTMLInputElement).value)} />
        </label>
        {cfg?.reg_captcha && <Captcha onChange={setCap} nonce={nonce} />}
        {error && <p class="error" role="alert">{error}</p>}
        <button class="btn primary wide" disabled={busy}>{t('session.signUp')}</button>
      </form>
      <p class="auth-links">
        <a href="/session" onClick={(e) => { e.preventDefault(); navigate('/session'); }}>{t('session.haveAccount')}</a>
      </p>
    </Frame>
  );
}

function Activate() {
  const q = useRoute().query;
  const [state, setState] = useState<'busy' | 'ok' | string>('busy');
  useEffect(() => {
    userAPI.activate(q.get('id') || '', q.get('sign') || '').then(() => setState('ok'), (e) => setState(errorMessage(e)));
  }, []);
  return (
    <Frame title={t('session.activate')}>
      {state === 'busy' ? <p aria-busy="true">{t('state.loading')}</p> : state === 'ok' ? <p>{t('session.activated')}</p> : <p class="error" role="alert">{state}</p>}
      {state !== 'busy' && <a class="btn primary wide" href="/session" onClick={(e) => { e.preventDefault(); navigate('/session'); }}>{t('session.signIn')}</a>}
    </Frame>
  );
}

function Forget() {
  const cfg = useLoginConfig();
  const [email, setEmail] = useState('');
  const [cap, setCap] = useState({ ticket: '', captcha: '' });
  const [nonce, setNonce] = useState(0);
  const [msg, setMsg] = useState('');
  const [error, setError] = useState('');
  return (
    <Frame title={t('session.forgot')}>
      <form class="stack" onSubmit={async (e) => {
        e.preventDefault();
        setError('');
        try {
          await userAPI.requestReset({ email, ...(cfg?.forget_captcha ? cap : {}) });
          setMsg(t('session.resetSent', { email }));
        } catch (err) {
          setError(errorMessage(err));
          setNonce((n) => n + 1);
        }
      }}>
        <label class="field">
          <span>{t('session.email')}</span>
          <input type="email" value={email} required autofocus onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        </label>
        {cfg?.forget_captcha && <Captcha onChange={setCap} nonce={nonce} />}
        {error && <p class="error" role="alert">{error}</p>}
        {msg && <p role="status">{msg}</p>}
        <button class="btn primary wide">{t('session.sendReset')}</button>
      </form>
    </Frame>
  );
}

function Reset() {
  const q = useRoute().query;
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [ok, setOk] = useState(false);
  return (
    <Frame title={t('session.resetTitle')}>
      {ok ? (
        <>
          <p>{t('session.resetDone')}</p>
          <a class="btn primary wide" href="/session" onClick={(e) => { e.preventDefault(); navigate('/session'); }}>{t('session.signIn')}</a>
        </>
      ) : (
        <form class="stack" onSubmit={async (e) => {
          e.preventDefault();
          try {
            await userAPI.reset(q.get('id') || '', q.get('secret') || '', password);
            setOk(true);
          } catch (err) {
            setError(errorMessage(err));
          }
        }}>
          <label class="field">
            <span>{t('session.newPassword')}</span>
            <input type="password" autocomplete="new-password" minLength={6} required value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          </label>
          {error && <p class="error" role="alert">{error}</p>}
          <button class="btn primary wide">{t('session.resetTitle')}</button>
        </form>
      )}
    </Frame>
  );
}
