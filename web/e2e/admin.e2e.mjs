// The admin pages' end-to-end path in real Chromium against a running
// Stratus (STRATUS_URL): the first account signs up and opens the admin
// area; creates a group with a download speed limit and a user in it; that
// user signs in in another browser context and gets download URLs carrying
// the limit; the admin changes a setting and the site config shows it in the
// other context; the audit log lists the changes; the pages work at phone
// width and in Chinese. Any console error or warning fails the run.
// STRATUS_SCREENSHOTS=dir also saves the screenshots the README shows.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, step, watchConsole } from './lib.mjs';

const base = process.env.STRATUS_URL;
if (!base) throw new Error('STRATUS_URL is not set');

const problems = [];
const shots = process.env.STRATUS_SCREENSHOTS;
const shot = async (page, name) => shots && page.screenshot({ path: join(shots, name + '.png') });

/** Calls the API from inside the page with the token the app stored. */
const api = (page, method, path, body) =>
  page.evaluate(async ({ method, path, body }) => {
    const token = JSON.parse(localStorage.getItem('stratus.token') || 'null');
    const headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token.access_token;
    const r = await fetch('/api/v4' + path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    return r.json();
  }, { method, path, body });

const browser = await launch();
try {
  const adminCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  watchConsole(adminCtx, problems);
  const page = await adminCtx.newPage();
  const dialog = () => page.getByRole('dialog');
  const tab = (name) => page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name, exact: true });

  await step('the first account signs up and opens the admin area', async () => {
    await page.goto(base + '/session');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('E-mail').fill('admin@example.com');
    await page.getByLabel('Password', { exact: true }).fill('correct horse');
    await page.getByLabel('Repeat password').fill('correct horse');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(/\/home/);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Administration' }).click();
    await page.waitForURL(/\/admin$/);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText('Users', { exact: true }).first().waitFor();
  });

  await step('create a group with a download speed limit', async () => {
    await tab('Groups').click();
    await page.getByRole('button', { name: 'New group' }).click();
    await dialog().getByLabel('Name').fill('Slow lane');
    await dialog().getByLabel('Download speed limit (KB/s)').fill('2');
    await dialog().getByLabel('Quota (MB)').fill('64');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ hasText: 'Slow lane' });
    await row.waitFor();
    assert.match(await row.innerText(), /2 KB\/s/);
    assert.match(await row.innerText(), /64 MB/);
  });

  await step('create a user in that group', async () => {
    await tab('Users').click();
    await page.getByRole('button', { name: 'New user' }).click();
    await dialog().getByLabel('E-mail').fill('slow@example.com');
    await dialog().getByLabel('Password').fill('slow-pass-1');
    await dialog().getByLabel('Group').selectOption({ label: 'Slow lane' });
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ hasText: 'slow@example.com' });
    await row.waitFor();
    assert.match(await row.innerText(), /Slow lane/);
    await shot(page, 'admin-users');
    // A duplicate e-mail keeps the dialog open with the reason.
    await page.getByRole('button', { name: 'New user' }).click();
    await dialog().getByLabel('E-mail').fill('slow@example.com');
    await dialog().getByLabel('Password').fill('other-pass-1');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().getByRole('alert').waitFor();
    assert.match(await dialog().getByRole('alert').innerText(), /already in use/);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
  });

  const userCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  watchConsole(userCtx, problems);
  const userPage = await userCtx.newPage();
  await step('the user signs in elsewhere and their downloads carry the limit', async () => {
    await userPage.goto(base + '/session');
    await userPage.getByLabel('E-mail').fill('slow@example.com');
    await userPage.getByLabel('Password', { exact: true }).fill('slow-pass-1');
    await userPage.getByRole('button', { name: 'Sign in' }).click();
    await userPage.waitForURL(/\/home/);
    const me = await api(userPage, 'GET', '/user/me');
    assert.equal(me.data.group.name, 'Slow lane');
    const put = await userPage.evaluate(async () => {
      const token = JSON.parse(localStorage.getItem('stratus.token')).access_token;
      const r = await fetch('/api/v4/file/content?uri=' + encodeURIComponent('cloudreve://my/limited.txt'), {
        method: 'PUT', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/octet-stream' }, body: 'x'.repeat(4096) });
      return r.json();
    });
    assert.equal(put.code, 0, JSON.stringify(put));
    const urls = await api(userPage, 'POST', '/file/url', { uris: ['cloudreve://my/limited.txt'], download: true });
    assert.equal(urls.code, 0, JSON.stringify(urls));
    // Content URLs are /api/v4/file/content/{entity}/{speed}/{name}: the group's 2 KB/s.
    assert.match(urls.data.urls[0].url, /\/file\/content\/[^/]+\/2048\/limited\.txt/);
    const report = await api(userPage, 'POST', '/site/abuse', { category: 2, user_id: me.data.id, description: 'looks like spam' });
    assert.equal(report.code, 0, JSON.stringify(report));
    await userPage.reload();
    await userPage.getByText('limited.txt').first().waitFor();
  });

  await step('change a setting and see it in the site config', async () => {
    await tab('Settings').click();
    const name = page.getByLabel('siteName');
    await name.waitFor();
    await name.fill('Renamed Drive');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await page.getByText('Saved').first().waitFor();
    const cfg = await api(userPage, 'GET', '/site/config/basic');
    assert.equal(cfg.data.title, 'Renamed Drive');
    // A value of the wrong type is refused with the key and the reason.
    const width = page.getByLabel('thumb_width');
    await width.fill('-5');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await page.getByRole('alert').filter({ hasText: 'thumb_width' }).waitFor();
    await shot(page, 'admin-settings');
  });

  await step('the audit log lists the changes', async () => {
    await tab('Audit log').click();
    await page.getByRole('cell', { name: 'settings.update', exact: true }).first().waitFor();
    await page.getByRole('cell', { name: 'group.create', exact: true }).waitFor();
    await page.getByRole('cell', { name: 'user.create', exact: true }).waitFor();
    await page.getByLabel('Filter by action').fill('group.create');
    await page.getByRole('cell', { name: 'settings.update', exact: true }).first().waitFor({ state: 'detached' });
  });

  await step('other pages load: files, blobs, shares, policies, nodes, tasks, tools', async () => {
    await tab('Files').click();
    await page.getByRole('cell', { name: 'limited.txt', exact: true }).waitFor();
    await tab('Blobs').click();
    await page.getByRole('cell', { name: '4 KB', exact: true }).first().waitFor();
    await tab('Shares').click();
    await page.getByText('Nothing here yet.').waitFor();
    await tab('Reports').click();
    await page.getByRole('cell', { name: 'Spam', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByText('Nothing here yet.').waitFor();
    await tab('Storage policies').click();
    await page.getByRole('cell', { name: 'Default storage policy', exact: true }).waitFor();
    await tab('Nodes').click();
    await page.getByRole('cell', { name: 'Master', exact: true }).waitFor();
    // Test connection pings the form's slave; this one is on loopback, which
    // the outgoing connection rules refuse by default, and the toast says why.
    await page.getByRole('button', { name: 'New node' }).click();
    await dialog().getByLabel('Name').fill('Edge');
    await dialog().getByLabel('Server').fill('http://127.0.0.1:9/');
    await dialog().getByLabel('Shared secret').fill('k'.repeat(64));
    await dialog().getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/Failed to connect to node: 127\.0\.0\.1 is not a public address/).waitFor();
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });
    await tab('Tasks').click();
    await page.getByRole('cell', { name: 'recycle', exact: true }).waitFor();
    await tab('Tools').click();
    await page.getByRole('button', { name: 'Flush caches' }).click();
    await page.getByText('Caches flushed').waitFor();
  });

  await step('keyboard, phone width and Chinese', async () => {
    await tab('Users').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/users$/);
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByRole('row').filter({ hasText: 'slow@example.com' }).waitFor();
    const r = await api(page, 'PATCH', '/user/setting', { language: 'zh-CN' });
    assert.equal(r.code, 0, JSON.stringify(r));
    await page.reload();
    await page.getByRole('navigation', { name: '管理面板' }).getByRole('link', { name: '用户组' }).waitFor();
    await page.getByRole('button', { name: '新建用户' }).waitFor();
  });

  assert.deepEqual(problems, [], 'console errors or warnings');
  console.log('admin path passed');
} finally {
  await browser.close();
}
