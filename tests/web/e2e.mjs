// paxwatch pages end to end in Debian's Chromium: log in (a wrong
// password first), the hit queue, one hit and its explanation, a
// dismissal refused without a reason and accepted with one, checked
// through the API. Usage: node e2e.mjs URL USER PASSWORD
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const [url, user, password] = process.argv.slice(2);
if (!url || !user || !password) {
    console.error('usage: node e2e.mjs URL USER PASSWORD');
    process.exit(2);
}
const STEP = 10000;
const profile = mkdtempSync(join(tmpdir(), 'pw-e2e-'));
const watchdog = setTimeout(() => {
    console.error('FAIL: over 60 s');
    process.exit(1);
}, 60000);

async function step(name, fn) {
    const t = Date.now();
    await fn();
    console.log(`ok ${name} (${Date.now() - t} ms)`);
}

async function run(page, context) {
    page.setDefaultTimeout(STEP);
    await step('wrong password shows an error', async () => {
        await page.goto(`${url}/#/login`);
        await page.fill('#name', user);
        await page.fill('#password', 'not-the-password');
        await page.press('#password', 'Enter');
        const err = page.locator('#login-result [role=alert]');
        await err.waitFor();
        assert.match(await err.textContent(), /wrong name or password/);
    });
    await step('log in', async () => {
        await page.fill('#password', password);
        await page.press('#password', 'Enter');
        await page.waitForURL(/#\/hits$/);
        await page.locator('h1', { hasText: 'Hits' }).waitFor();
    });
    let hitId;
    await step('the queue lists the new hit', async () => {
        await page.selectOption('#status', 'new');
        await page.press('#movement', 'Enter');
        await page.waitForURL(/#\/hits\?status=new$/);
        const first = page.locator('tbody a[href^="#/hit/"]').first();
        await first.waitFor();
        hitId = (await first.getAttribute('href')).split('/').pop();
        await first.click();
        await page.waitForURL(new RegExp(`#/hit/${hitId}$`));
    });
    await step('the hit shows its explanation', async () => {
        await page.locator('h1', { hasText: `Hit #${hitId}` }).waitFor();
        const ex = page.locator('#explanation');
        await ex.waitFor();
        assert.match(await ex.textContent(), /token/);
        await page.getByRole('heading', { name: 'Traveller', exact: true })
            .waitFor();
        await page.screenshot({ path: '/tmp/paxwatch-hit.png',
            fullPage: true });
    });
    await step('dismissing without a reason is refused', async () => {
        await page.selectOption('#review-status', 'dismissed');
        const answer = page.waitForResponse((r) =>
            r.url().endsWith(`/api/hits/${hitId}/review`));
        await page.click('#review button[type=submit]');
        assert.equal((await answer).status(), 409);
        const err = page.locator('#review-result [role=alert]');
        await err.waitFor();
        assert.match(await err.textContent(), /Refused: .*reason/i);
    });
    const reason = 'namesake: birth date and passport differ';
    await step('dismissing with a reason is recorded', async () => {
        await page.fill('#review-reason', reason);
        const answer = page.waitForResponse((r) =>
            r.url().endsWith(`/api/hits/${hitId}/review`));
        await page.press('#review-reason', 'Enter');
        assert.equal((await answer).status(), 200);
        await page.locator('[role=status]', { hasText: '→ dismissed' })
            .waitFor();
    });
    await step('the API agrees', async () => {
        const cookies = await context.cookies(url);
        const s = cookies.find((c) => c.name === 'pw_session');
        assert.ok(s, 'no session cookie');
        const r = await fetch(`${url}/api/hits/${hitId}`, {
            headers: { Cookie: `pw_session=${s.value}` },
            signal: AbortSignal.timeout(STEP) });
        assert.equal(r.status, 200);
        const hit = await r.json();
        assert.equal(hit.status, 'dismissed');
        const last = hit.steps[hit.steps.length - 1];
        assert.equal(last.to, 'dismissed');
        assert.equal(last.reason, reason);
        assert.equal(last.who, user);
    });
}

// A fresh profile each run: playwright passes it as --user-data-dir.
const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
        '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    timeout: STEP,
});
let code = 0;
try {
    const page = context.pages()[0] || await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await run(page, context);
    assert.deepEqual(errors, [], 'script errors on the page');
    console.log('e2e: all passed');
} catch (e) {
    console.error(`FAIL: ${e.stack || e}`);
    code = 1;
} finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    clearTimeout(watchdog);
}
process.exit(code);
