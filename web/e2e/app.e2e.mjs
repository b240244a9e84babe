// The web app's end-to-end path in real Chromium against a running Stratus
// (STRATUS_URL): sign up; drag and drop 50 files and upload a folder with
// progress; cut the network mid-upload and resume; browse, search, preview
// an image and a video; rename, move, copy; a password share opened in a
// fresh anonymous context (list, download one file, zip of the folder, bytes
// verified); delete and restore from the trash; Chinese and dark theme;
// phone width. Any console error or warning fails the run.
// STRATUS_SCREENSHOTS=dir also saves the screenshots the README shows.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, sha256, step, tempDir, totp, unzip, watchConsole } from './lib.mjs';

const base = process.env.STRATUS_URL;
if (!base) throw new Error('STRATUS_URL is not set');
const shots = process.env.STRATUS_SCREENSHOTS;
const shot = async (page, name) => shots && page.screenshot({ path: join(shots, name + '.png') });

const dir = tempDir();
const problems = [];
// The network cut makes Chromium log the failed chunk requests; only those.
let cutting = false;
const allowed = (text) => cutting && /ERR_INTERNET_DISCONNECTED|net::ERR_FAILED/.test(text);

const browser = await launch();
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, colorScheme: 'light' });
  watchConsole(ctx, problems, allowed);
  const page = await ctx.newPage();
  const option = (name) => page.getByRole('option', { name, exact: true });
  const menuItem = (name) => page.getByRole('menuitem', { name, exact: true });
  const openFolder = async (name) => {
    await option(name).dblclick();
    await page.getByRole('navigation', { name: 'Folder path' }).getByText(name, { exact: true }).waitFor();
  };
  const goHome = async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My files' }).click();
    await page.locator('a[aria-current=page]', { hasText: 'My files' }).first().waitFor();
  };
  const newFolder = async (name) => {
    await page.getByRole('button', { name: 'New', exact: true }).click();
    await menuItem('New folder').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await option(name).waitFor();
  };
  const waitUploads = async (n) => {
    await page.waitForFunction((n) => document.querySelectorAll('li.upload[data-status=done]').length >= n, n, { timeout: 120_000 });
  };
  const clearUploads = async () => page.getByRole('button', { name: 'Clear finished' }).click();

  await step('sign up and land in my files', async () => {
    await page.goto(base + '/');
    await page.waitForURL(/\/session/);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('E-mail').fill('owner@example.com');
    await page.getByLabel('Password', { exact: true }).fill('correct horse');
    await page.getByLabel('Repeat password').fill('correct horse');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(/\/home/);
    await page.getByText('This folder is empty').waitFor();
    await page.getByRole('button', { name: 'List view' }).click();
  }, page);

  await step('drop 50 files into a folder, with progress', async () => {
    await newFolder('batch');
    await openFolder('batch');
    await page.getByText('This folder is empty').waitFor();
    const dt = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      for (let i = 0; i < 50; i++) {
        const n = String(i).padStart(2, '0');
        dt.items.add(new File([`file ${n}\n`.repeat(200)], `file-${n}.txt`, { type: 'text/plain' }));
      }
      return dt;
    });
    await page.dispatchEvent('.explorer', 'dragover', { dataTransfer: dt });
    await page.getByText('Drop to upload here').waitFor();
    await page.dispatchEvent('.explorer', 'drop', { dataTransfer: dt });
    await page.getByRole('region', { name: 'Uploads' }).getByRole('progressbar', { name: 'Total upload progress' }).waitFor();
    await waitUploads(50);
    await page.getByText('Uploads complete').waitFor();
    await page.getByText('50 items').waitFor();
    await clearUploads();
  }, page);

  // Media made by the browser itself: a PNG from a canvas, a WebM from a
  // canvas stream through MediaRecorder (no ffmpeg needed).
  const media = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 320; c.height = 240;
    const g = c.getContext('2d');
    const paint = (i) => { g.fillStyle = `hsl(${i * 40} 70% 50%)`; g.fillRect(0, 0, 320, 240); g.fillStyle = '#fff'; g.fillRect(20 + i * 20, 100, 40, 40); };
    paint(0);
    const png = await new Promise((r) => c.toBlob(r, 'image/png'));
    const rec = new MediaRecorder(c.captureStream(10), { mimeType: 'video/webm' });
    const parts = [];
    rec.ondataavailable = (e) => parts.push(e.data);
    rec.start();
    for (let i = 1; i < 8; i++) { await new Promise((r) => setTimeout(r, 100)); paint(i); }
    rec.stop();
    await new Promise((r) => (rec.onstop = r));
    const b64 = async (blob) => btoa(String.fromCharCode(...new Uint8Array(await blob.arrayBuffer())));
    return { png: await b64(png), webm: await b64(new Blob(parts, { type: 'video/webm' })) };
  });
  const album = join(dir, 'album');
  mkdirSync(join(album, 'notes'), { recursive: true });
  writeFileSync(join(album, 'photo.png'), Buffer.from(media.png, 'base64'));
  writeFileSync(join(album, 'clip.webm'), Buffer.from(media.webm, 'base64'));
  writeFileSync(join(album, 'notes', 'readme.md'), '# Album\n\nTaken **today**.\n');

  await step('upload a folder with its structure', async () => {
    await goHome();
    await page.locator('[data-testid=folder-input]').setInputFiles(album);
    await waitUploads(3);
    await option('album').waitFor();
    await openFolder('album');
    await option('notes').waitFor();
    await option('photo.png').waitFor();
    await clearUploads();
  }, page);

  const big = randomBytes(55 * 1024 * 1024); // three 25 MiB chunks
  const bigPath = join(dir, 'big.bin');
  writeFileSync(bigPath, big);

  await step('cut the network mid-upload and resume', async () => {
    await goHome();
    let cut = false;
    await page.route('**/api/v4/file/upload/*/1', async (route) => {
      if (cut) return route.continue();
      cut = true;
      cutting = true;
      await ctx.setOffline(true);
      await route.abort('internetdisconnected');
    });
    await page.locator('input[type=file]:not([webkitdirectory])').setInputFiles(bigPath);
    await page.locator('li.upload[data-status=retrying]').waitFor();
    await page.getByText('Connection lost, retrying').waitFor();
    await shot(page, 'upload-queue');
    await ctx.setOffline(false);
    await waitUploads(1);
    cutting = false;
    await page.unroute('**/api/v4/file/upload/*/1');
    await option('big.bin').waitFor();
    await clearUploads();
  }, page);

  const big2 = randomBytes(55 * 1024 * 1024);
  const big2Path = join(dir, 'big2.bin');
  writeFileSync(big2Path, big2);

  await step('reload mid-upload and resume from the server\'s session', async () => {
    cutting = true;
    await page.route('**/api/v4/file/upload/*/1', (route) => route.abort('internetdisconnected'));
    await page.locator('input[type=file]:not([webkitdirectory])').first().setInputFiles(big2Path);
    await page.locator('li.upload[data-status=retrying]').waitFor();
    await page.reload();
    await page.unroute('**/api/v4/file/upload/*/1');
    const sent = [];
    let sessions = 0;
    page.on('request', (r) => {
      const m = /\/api\/v4\/file\/upload\/[^/]+\/(\d+)$/.exec(new URL(r.url()).pathname);
      if (m) sent.push(Number(m[1]));
      if (r.method() === 'PUT' && new URL(r.url()).pathname === '/api/v4/file/upload') sessions++;
    });
    const row = page.locator('li.upload[data-status=unfinished]', { hasText: 'big2.bin' });
    await row.getByText(/Unfinished, \d+% sent/).waitFor();
    await row.locator('input[type=file]').setInputFiles(big2Path);
    await waitUploads(1);
    cutting = false;
    assert.deepEqual(sent, [1, 2], 'only the chunks the server did not have');
    assert.equal(sessions, 0, 'the remembered session was reused');
    await option('big2.bin').waitFor();
    await option('big2.bin').click({ button: 'right' });
    const [dl] = await Promise.all([page.waitForEvent('download'), menuItem('Download').click()]);
    assert.equal(sha256(readFileSync(await dl.path())), sha256(big2));
    await clearUploads();
  }, page);

  await step('download a file through its signed URL, bytes intact', async () => {
    await option('big.bin').click({ button: 'right' });
    const [dl] = await Promise.all([page.waitForEvent('download'), menuItem('Download').click()]);
    assert.equal(sha256(readFileSync(await dl.path())), sha256(big));
  }, page);

  await step('search', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('/');
    await page.keyboard.type('file-07');
    await page.keyboard.press('Enter');
    await page.getByText('Search results').waitFor();
    await option('file-07.txt').waitFor();
    assert.equal(await page.getByRole('option').count(), 1);
    // The filters: folders only, whatever their name.
    await page.getByRole('button', { name: 'Search filters' }).click();
    const filters = page.getByRole('dialog');
    await filters.getByLabel('Name contains').fill('');
    await filters.getByLabel('Kind').selectOption('folder');
    await filters.getByRole('button', { name: 'Search files', exact: true }).click();
    await option('notes').waitFor();
    assert.deepEqual((await page.getByRole('option').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).sort(), ['album', 'batch', 'notes']);
  }, page);

  await step('preview an image and a video', async () => {
    await goHome();
    await openFolder('album');
    await option('photo.png').dblclick();
    const dialog = page.getByRole('dialog');
    await dialog.locator('img').waitFor();
    await page.waitForFunction(() => document.querySelector('dialog img')?.naturalWidth === 320);
    await page.keyboard.press('Escape');
    await option('clip.webm').dblclick();
    await page.waitForFunction(() => {
      const v = document.querySelector('dialog video');
      return v && v.readyState >= 1 && v.videoWidth === 320;
    });
    await page.keyboard.press('Escape');
    await openFolder('notes');
    await option('readme.md').dblclick();
    await page.getByRole('dialog').locator('article.markdown strong', { hasText: 'today' }).waitFor();
    await page.keyboard.press('Escape');
  }, page);

  await step('rename, move and copy', async () => {
    await goHome();
    await openFolder('batch');
    await option('file-00.txt').click({ button: 'right' });
    await menuItem('Rename').click();
    await page.getByRole('dialog').getByLabel('Name').fill('a-renamed.txt');
    await page.keyboard.press('Enter');
    await option('a-renamed.txt').waitFor(); // first by name: the list is virtualised

    const moveTo = async (file, action) => {
      await option(file).click({ button: 'right' });
      await menuItem(action).click();
      const picker = page.getByRole('dialog');
      await picker.getByRole('button', { name: 'Up one level' }).click();
      await picker.getByRole('button', { name: 'album' }).click();
      await picker.getByRole('button', { name: 'photo.png' }).waitFor({ state: 'detached' }).catch(() => undefined);
      await picker.getByText('/album').waitFor();
      await picker.getByRole('button', { name: 'Choose this folder' }).click();
    };
    await moveTo('file-01.txt', 'Move to…');
    await option('file-01.txt').waitFor({ state: 'detached' });
    await moveTo('file-02.txt', 'Copy to…');
    await page.getByText('Copied 1 item(s)').waitFor();
    await option('file-02.txt').waitFor();
    await goHome();
    await openFolder('album');
    await option('file-01.txt').waitFor();
    await option('file-02.txt').waitFor();
  }, page);

  await step('keyboard: arrows, shift, select all, Enter, Backspace, F2', async () => {
    await goHome();
    await openFolder('batch');
    // Keys act on the rows that are there: wait until batch's own rows (not
    // My files' folders) are shown.
    await page.waitForFunction(() => {
      const labels = [...document.querySelectorAll('[role=option]')].map((r) => r.getAttribute('aria-label'));
      return labels.length > 0 && !labels.includes('album') && !labels.includes('batch');
    });
    await page.getByRole('listbox').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.getByText('3 selected').waitFor();
    await page.keyboard.press('Control+a');
    await page.getByText('49 selected').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Backspace'); // up to My files
    await option('album').waitFor();
    await page.keyboard.press('Home'); // album
    await page.keyboard.press('Enter');
    await option('photo.png').waitFor();
    await page.keyboard.press('End');
    // The selection moves on the next render: wait until the last row is it.
    await page.waitForFunction(() => {
      const rows = document.querySelectorAll('[role=option]');
      return rows.length > 0 && rows[rows.length - 1].getAttribute('aria-selected') === 'true';
    });
    const last = await page.locator('[role=option][aria-selected=true]').getAttribute('aria-label');
    await page.keyboard.press('F2');
    await page.getByRole('dialog', { name: 'Rename' }).waitFor();
    assert.equal(await page.getByRole('dialog').getByLabel('Name').inputValue(), last);
    await page.keyboard.press('Escape');
  }, page);

  await step('pin a folder to the sidebar and unpin it', async () => {
    await goHome();
    await option('album').click({ button: 'right' });
    await menuItem('Pin to sidebar').click();
    const rail = page.getByRole('navigation', { name: 'Main navigation' });
    await rail.getByRole('link', { name: 'album' }).click();
    await option('photo.png').waitFor();
    await rail.getByRole('button', { name: 'Unpin: album' }).click();
    await rail.getByRole('link', { name: 'album' }).waitFor({ state: 'detached' });
  }, page);

  // The shared folder: plain files (a share visitor's zip holds the top level).
  const shared = { 'a.txt': Buffer.from('alpha\n'), 'b.bin': randomBytes(300_000), 'c.txt': Buffer.from('gamma\n'.repeat(1000)) };
  let shareURL = '';
  await step('create a password share', async () => {
    await goHome();
    await newFolder('public');
    await openFolder('public');
    await page.locator('input[type=file]:not([webkitdirectory])').setInputFiles(
      Object.entries(shared).map(([name, buffer]) => ({ name, mimeType: 'application/octet-stream', buffer })));
    await waitUploads(3);
    await clearUploads();
    await goHome();
    await option('public').click({ button: 'right' });
    await menuItem('Share').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Protect with a password').check();
    await dialog.getByRole('textbox', { name: 'Password' }).fill('s3cret');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    shareURL = await dialog.locator('input.share-url').inputValue();
    assert.match(shareURL, /\/s\/[^/]+\/s3cret$/);
    await dialog.getByRole('button', { name: 'Done' }).click();
  }, page);

  await step('open the share anonymously: password, list, download one', async () => {
    const anon = await browser.newContext({ acceptDownloads: true });
    watchConsole(anon, problems);
    const visitor = await anon.newPage();
    // The link carries the configured site URL; the path is what matters here.
    await visitor.goto(base + new URL(shareURL).pathname.replace(/\/s3cret$/, ''));
    await visitor.getByLabel('Password').fill('wrong');
    await visitor.getByRole('button', { name: 'Open' }).click();
    await visitor.getByText('The password is not correct.').waitFor();
    await visitor.getByLabel('Password').fill('s3cret');
    await visitor.getByRole('button', { name: 'Open' }).click();
    for (const name of Object.keys(shared)) await visitor.getByRole('option', { name, exact: true }).waitFor();
    await shot(visitor, 'share-page');

    await visitor.getByRole('option', { name: 'b.bin', exact: true }).click({ button: 'right' });
    const [one] = await Promise.all([visitor.waitForEvent('download'), visitor.getByRole('menuitem', { name: 'Download', exact: true }).click()]);
    assert.equal(sha256(readFileSync(await one.path())), sha256(shared['b.bin']));

    // The anonymous group may download archives (the test server allows it):
    // the visitor downloads the folder as a zip.
    await visitor.keyboard.press('Escape');
    const [zip] = await Promise.all([visitor.waitForEvent('download'), visitor.getByRole('button', { name: 'Download all' }).click()]);
    const entries = unzip(readFileSync(await zip.path()));
    assert.deepEqual([...entries.keys()].sort(), Object.keys(shared).sort());
    for (const [name, body] of Object.entries(shared)) assert.equal(sha256(entries.get(name)), sha256(body), name);
    await anon.close();
  }, page);

  await step('a signed-in visitor saves the share to their files', async () => {
    const other = await browser.newContext({ acceptDownloads: true });
    watchConsole(other, problems);
    const visitor = await other.newPage();
    await visitor.goto(base + '/session/signup');
    await visitor.getByLabel('E-mail').fill('visitor@example.com');
    await visitor.getByLabel('Password', { exact: true }).fill('visitor pass');
    await visitor.getByLabel('Repeat password').fill('visitor pass');
    await visitor.getByRole('button', { name: 'Sign up' }).click();
    await visitor.waitForURL(/\/home/);
    await visitor.goto(base + new URL(shareURL).pathname);
    await visitor.getByRole('option', { name: 'a.txt', exact: true }).waitFor();
    // Save to my files: a shortcut that opens the share.
    await visitor.getByRole('button', { name: 'Save to my files' }).click();
    await visitor.getByText('Saved “public” to My files').waitFor();
    await visitor.goto(base + '/home');
    await visitor.getByRole('option', { name: 'public', exact: true }).dblclick();
    await visitor.getByText('Shared by owner').waitFor();
    await visitor.getByRole('option', { name: 'c.txt', exact: true }).waitFor();
    await other.close();
  }, page);

  await step('delete and restore from the trash', async () => {
    await openFolder('batch');
    await option('file-03.txt').click();
    await page.keyboard.press('Delete');
    await page.getByText('Moved 1 item(s) to the trash').waitFor();
    await option('file-03.txt').waitFor({ state: 'detached' });
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Trash' }).click();
    await option('file-03.txt').click({ button: 'right' });
    await menuItem('Restore').click();
    await page.getByText('Restored 1 item(s)').waitFor();
    await option('file-03.txt').waitFor({ state: 'detached' });
    await goHome();
    await openFolder('batch');
    await option('file-03.txt').waitFor();
    await shot(page, 'browser-light');
  }, page);

  await step('upload over an existing name: keep as a new version, then restore the old one', async () => {
    await goHome();
    await openFolder('public');
    await page.locator('input[type=file]:not([webkitdirectory])').first().setInputFiles({ name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('alpha v2\n') });
    const prompt = page.getByRole('dialog', { name: 'Name already in use' });
    await prompt.getByText('“a.txt” already exists in this folder.').waitFor();
    await prompt.getByRole('button', { name: 'Replace (keep as new version)' }).click();
    await waitUploads(1);
    await clearUploads();
    await option('a.txt').click({ button: 'right' });
    await menuItem('Details').click();
    const info = page.getByRole('complementary', { name: 'Details' });
    await info.getByText('Versions').waitFor();
    const versions = info.locator('ul.versions').first().locator('li');
    await page.waitForFunction(() => document.querySelectorAll('aside.info ul.versions')[0]?.querySelectorAll('li').length === 2);
    assert.match(await versions.nth(0).textContent(), /9 B · current/);
    await versions.nth(1).getByRole('button', { name: 'Restore' }).click();
    await page.waitForFunction(() => /6 B · current/.test(document.querySelector('aside.info ul.versions li')?.textContent ?? '') ||
      [...document.querySelectorAll('aside.info ul.versions li')].some((li) => /6 B · current/.test(li.textContent)));
    await info.getByRole('button', { name: 'Close' }).click();
  }, page);

  await step('info panel: add a tag, see it through the API, remove it', async () => {
    await option('a.txt').click({ button: 'right' });
    await menuItem('Details').click();
    const info = page.getByRole('complementary', { name: 'Details' });
    await info.getByRole('textbox', { name: 'New tag' }).fill('e2e-tag');
    await info.getByRole('textbox', { name: 'New tag' }).press('Enter');
    await info.getByRole('button', { name: 'Remove tag e2e-tag' }).waitFor();
    const meta = await page.evaluate(async () => {
      const token = JSON.parse(localStorage.getItem('stratus.token') ?? 'null');
      const r = await fetch('/api/v4/file/info?uri=' + encodeURIComponent('cloudreve://my/public/a.txt'), { headers: { Authorization: 'Bearer ' + token.access_token } });
      return (await r.json()).data.metadata;
    });
    assert.equal(meta['tag:e2e-tag'], '');
    await info.getByRole('button', { name: 'Remove tag e2e-tag' }).click();
    await info.getByRole('button', { name: 'Remove tag e2e-tag' }).waitFor({ state: 'detached' });
    await info.getByRole('button', { name: 'Close' }).click();
  }, page);

  await step('two-step verification: turn on, sign in with a code, turn off', async () => {
    await page.goto(base + '/settings');
    await page.getByRole('button', { name: 'Set up two-step verification' }).click();
    const secret = (await page.locator('code.secret').textContent()).trim();
    await page.getByLabel('Six-digit code').fill(totp(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText('On. Sign-in asks for a code').waitFor();
    const fresh = await browser.newContext();
    watchConsole(fresh, problems);
    const p2 = await fresh.newPage();
    await p2.goto(base + '/home?path=' + encodeURIComponent('cloudreve://my/album'));
    await p2.waitForURL(/\/session\?redirect=/);
    await p2.getByLabel('E-mail').fill('owner@example.com');
    await p2.getByLabel('Password').fill('correct horse');
    await p2.getByRole('button', { name: 'Sign in' }).click();
    await p2.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await p2.getByLabel('Six-digit code').fill(totp(secret));
    await p2.getByRole('button', { name: 'Verify' }).click();
    // The deep link survives the sign-in.
    await p2.getByRole('option', { name: 'photo.png', exact: true }).waitFor();
    await fresh.close();
    await page.getByLabel('Six-digit code').fill(totp(secret));
    await page.getByRole('button', { name: 'Turn off' }).click();
    await page.getByText('Off. Sign-in asks only for your password.').waitFor();
  }, page);

  await step('Chinese and dark theme', async () => {
    await page.goto(base + '/settings');
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的文件' }).waitFor();
    await page.getByLabel('主题', { exact: true }).selectOption('dark');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(17, 20, 24)');
    // The language is the account's: it survives a reload.
    await page.goto(base + '/home?path=' + encodeURIComponent('cloudreve://my/batch'));
    await page.getByText('49 项').waitFor(); // 50 dropped, one moved out
    await shot(page, 'browser-dark');
    await page.goto(base + '/settings');
    await page.getByLabel('语言').selectOption('en-US');
    await page.getByLabel('Theme', { exact: true }).selectOption('system');
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
  }, page);

  await step('phone width', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, storageState: await ctx.storageState() });
    watchConsole(phone, problems);
    const p = await phone.newPage();
    await p.goto(base + '/home?path=' + encodeURIComponent('cloudreve://my/batch'));
    await p.getByRole('option', { name: 'file-04.txt', exact: true }).waitFor();
    const nav = p.getByRole('navigation', { name: 'Main navigation' });
    assert.equal(await nav.isVisible() && (await nav.boundingBox()).x >= 0, false, 'the rail is a closed drawer');
    await p.getByRole('button', { name: 'Menu' }).click();
    await nav.getByRole('link', { name: 'Trash' }).waitFor();
    await p.waitForFunction(() => document.querySelector('nav.rail').getBoundingClientRect().x >= 0);
    await p.locator('.scrim').click({ position: { x: 340, y: 300 } });
    await p.waitForFunction(() => document.querySelector('nav.rail').getBoundingClientRect().right <= 0);
    assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal scrolling');
    const row = await p.getByRole('option', { name: 'file-04.txt', exact: true }).boundingBox();
    assert.ok(row.height >= 44, 'rows are touch targets');
    await shot(p, 'phone');
    await phone.close();
  }, page);

  assert.deepEqual(problems, [], 'console errors or warnings');
  console.log('browser path passed');
} finally {
  await browser.close();
}
