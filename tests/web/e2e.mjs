// paxwatch pages end to end in Debian's Chromium: log in (a wrong
// password first), the hit queue, one hit and its explanation, a
// dismissal refused without a reason and accepted with one; the
// movement, the traveller's history, the lists, the rule editor (test,
// an error's line:column, a save checked through the API), a role's
// 403, and a list manager loading a list that raises a hit on the
// stored flight; the data-protection officer's audit page (the chain,
// retention, the entries newest first, a filter by user). Any console
// error or uncaught exception fails the run.
// Usage: node e2e.mjs URL ANALYST PW RULE_AUTHOR PW OFFICER PW
//        LIST_MANAGER PW DPO PW
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const [url, user, password, author, authorPw, officer, officerPw, manager,
    managerPw, dpo, dpoPw] = process.argv.slice(2);
if (!dpoPw) {
    console.error('usage: node e2e.mjs URL ANALYST PW RULE_AUTHOR PW ' +
        'OFFICER PW LIST_MANAGER PW DPO PW');
    process.exit(2);
}
const STEP = 10000;
const WHOLE = 90000;
const profile = mkdtempSync(join(tmpdir(), 'pw-e2e-'));
const watchdog = setTimeout(() => {
    console.error(`FAIL: over ${WHOLE / 1000} s`);
    process.exit(1);
}, WHOLE);

// Chromium logs every 4xx answer as a console error. Steps that mean
// to get one say so; each such log uses up one of those, any other
// console error is a failure. Counting (not timing) keeps it stable.
const expected = [];
const errors = [];
function consoleError(text, where) {
    const m = text.match(
        /^Failed to load resource: .* status of (\d+)/);
    const i = m ? expected.indexOf(Number(m[1])) : -1;
    if (i >= 0)
        expected.splice(i, 1);
    else
        errors.push(`console: ${text} (${where})`);
}

async function step(name, fn, expect = []) {
    const t = Date.now();
    expected.push(...expect);
    await fn();
    console.log(`ok ${name} (${Date.now() - t} ms)`);
}

// The API with the browser's session cookie.
async function apiGet(context, path) {
    const cookies = await context.cookies(url);
    const s = cookies.find((c) => c.name === 'pw_session');
    assert.ok(s, 'no session cookie');
    const r = await fetch(`${url}${path}`, {
        headers: { Cookie: `pw_session=${s.value}` },
        signal: AbortSignal.timeout(STEP) });
    assert.equal(r.status, 200, `GET ${path}`);
    return r.json();
}

async function logIn(page, name, pw, role, home, title) {
    await page.goto(`${url}/#/login`);
    await page.fill('#name', name);
    await page.fill('#password', pw);
    const answer = page.waitForResponse((r) =>
        r.url().endsWith('/api/login'));
    await page.press('#password', 'Enter');
    assert.equal((await answer).status(), 200);
    await page.waitForURL(new RegExp(`${home}$`));
    await page.locator('h1', { hasText: title }).waitFor();
    await page.locator('#who', { hasText: `${name} (${role})` }).waitFor();
}

async function logOut(page) {
    await page.click('#logout');
    await page.waitForURL(/#\/login$/);
    await page.locator('h1', { hasText: 'Log in' }).waitFor();
}

// The text of each cell of the table row holding the given text.
async function rowCells(scope, hasText) {
    const row = scope.locator('tbody tr', { hasText }).first();
    await row.waitFor();
    return row.locator('td').allTextContents();
}

async function testRule(page, rule, status) {
    await page.fill('#rule-text', rule);
    const answer = page.waitForResponse((r) =>
        r.url().endsWith('/api/rules/test'));
    await page.click('#rule-form button[value=test]');
    const r = await answer;
    assert.equal(r.status(), status);
    return r.json();
}

async function analyst(page, context) {
    await step('wrong password shows an error', async () => {
        await page.goto(`${url}/#/login`);
        await page.fill('#name', user);
        await page.fill('#password', 'not-the-password');
        await page.press('#password', 'Enter');
        const err = page.locator('#login-result [role=alert]');
        await err.waitFor();
        assert.match(await err.textContent(), /wrong name or password/);
    }, [401]);
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
    }, [409]);
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
        const hit = await apiGet(context, `/api/hits/${hitId}`);
        assert.equal(hit.status, 'dismissed');
        const last = hit.steps[hit.steps.length - 1];
        assert.equal(last.to, 'dismissed');
        assert.equal(last.reason, reason);
        assert.equal(last.who, user);
    });
    return hitId;
}

// The sample's travellers (data/samples/pw-demo-d05b-dxb-lhr.edi).
const SAMPLE = ['AL FAUWAZ', 'OKAFOR', 'LINDQVIST'];

async function people(page, context, hitId) {
    let travellerId;
    const hit = await apiGet(context, `/api/hits/${hitId}`);
    await step('the movement lists the sample\'s travellers', async () => {
        await page.getByRole('link', { name: `movement ${hit.movement_id}`,
            exact: true }).click();
        await page.waitForURL(new RegExp(`#/movement/${hit.movement_id}$`));
        await page.locator('h1', { hasText: 'PW456' }).waitFor();
        const names = page.locator('table', { hasText: 'Current travellers' })
            .locator('tbody td:first-child');
        await names.nth(SAMPLE.length - 1).waitFor();
        const shown = await names.allTextContents();
        for (const n of SAMPLE)
            assert.ok(shown.some((x) => x.startsWith(`${n}, `)),
                `${n} not in ${shown}`);
        const row = await rowCells(page.locator('table',
            { hasText: 'Current travellers' }), 'OKAFOR, CHIOMA');
        assert.equal(row[6], 'in full', `screened: ${row}`);
        const okafor = page.locator('a[href^="#/traveller/"]',
            { hasText: 'OKAFOR, CHIOMA' });
        travellerId = (await okafor.getAttribute('href')).split('/').pop();
        await okafor.click();
    });
    await step('the traveller\'s history shows the movement', async () => {
        await page.waitForURL(new RegExp(`#/traveller/${travellerId}$`));
        await page.locator('h1', { hasText: `Traveller ${travellerId}` })
            .waitFor();
        const moves = page.locator('table', { hasText: 'Movements' });
        const cells = await rowCells(moves, 'PW456');
        assert.deepEqual(cells.slice(2, 5), ['DXB', 'LHR', 'passengers']);
        assert.equal(await moves.locator('tbody a', { hasText: 'PW456' })
            .getAttribute('href'), `#/movement/${hit.movement_id}`);
    });
    return travellerId;
}

async function lists(page, context) {
    await step('the lists page shows the loaded list', async () => {
        await page.keyboard.press('g');
        await page.keyboard.press('l');
        await page.waitForURL(/#\/lists$/);
        const api = (await apiGet(context, '/api/lists')).lists
            .find((l) => l.name === 'un');
        assert.ok(api && api.entries > 100, 'the UN list is not loaded');
        const cells = await rowCells(page.locator('main'), 'un-xml');
        assert.equal(cells[0], 'un');
        assert.equal(cells[4], String(api.entries));
    });
}

const GOOD = `rule "Nigerian passport out of Dubai"
  severity high
when
  traveller.nationality = "NGA"
  and movement.legs.from = "DXB"
`;
const BAD = `rule "Broken"
when
  traveller.nationality = = "NGA"
`;

async function rulesAsAnalyst(page, travellerId) {
    await step('open the rule editor', async () => {
        await page.click('nav a[href="#/rules"]');
        await page.waitForURL(/#\/rules$/);
        await page.locator('h1', { hasText: 'Rules' }).waitFor();
    });
    await step('a test on past traffic shows the hit and why', async () => {
        const j = await testRule(page, GOOD, 200);
        assert.equal(j.fired, 1);
        const out = page.locator('#rule-result');
        await out.locator('[role=status]', { hasText: 'Fired 1 times' })
            .waitFor();
        const cells = await rowCells(out, 'Nigerian passport');
        assert.equal(cells[1], travellerId);
        assert.match(cells[4], /traveller\.nationality = NGA/);
        assert.match(cells[4], /movement\.legs\.from = DXB/);
    });
    await step('a rule with an error shows its line:column', async () => {
        const j = await testRule(page, BAD, 400);
        const p = j.problems[0];
        assert.equal(p.line, 3);
        const cells = await rowCells(page.locator('#rule-result'),
            p.message);
        assert.equal(cells[0], `${p.line}:${p.column}`);
        await page.locator('#rule-result [role=alert]',
            { hasText: 'does not compile' }).waitFor();
    }, [400]);
    await step('an analyst may not save a rule', async () => {
        await page.fill('#rule-text', GOOD);
        const answer = page.waitForResponse((r) =>
            r.url().endsWith('/api/rules'));
        await page.click('#rule-form button[value=save]');
        assert.equal((await answer).status(), 403);
        await page.locator('#rule-result [role=alert]',
            { hasText: 'Your role may not do this' }).waitFor();
    }, [403]);
}

async function rulesAsAuthor(page, context) {
    await step('a rule author saves the rule', async () => {
        await page.fill('#rule-text', GOOD);
        const answer = page.waitForResponse((r) =>
            r.url().endsWith('/api/rules'));
        await page.click('#rule-form button[value=save]');
        assert.equal((await answer).status(), 201);
        await page.locator('#rule-result [role=status]', { hasText:
            'Saved Nigerian passport out of Dubai, version 1.' }).waitFor();
        await rowCells(page.locator('#stored-rules'), `by ${author}`);
    });
    await step('the API has the saved rule', async () => {
        const r = (await apiGet(context, '/api/rules')).rules
            .find((x) => x.name === 'Nigerian passport out of Dubai');
        assert.ok(r, 'the rule was not stored');
        assert.equal(r.version, 1);
        assert.equal(r.severity, 'high');
        assert.equal(r.updated_by, author);
        assert.match(r.text, /traveller\.nationality = "NGA"/);
    });
}

async function officerLimits(page, travellerId) {
    const limited = async (hash, api) => {
        const answer = page.waitForResponse((r) => r.url().includes(api));
        await page.goto(`${url}/${hash}`);
        assert.equal((await answer).status(), 403);
        const msg = page.locator('main [role=alert]');
        await msg.waitFor();
        assert.match(await msg.textContent(), new RegExp(
            'Your role may not see this page\\. The server said: ' +
            'role officer may not use'));
    };
    await step('an officer is told the rules are not theirs', () =>
        limited('#/rules', '/api/rules'), [403]);
    await step('and so is a traveller\'s history', () =>
        limited(`#/traveller/${travellerId}`, '/history'), [403]);
    await step('and so is a movement with its travellers', () =>
        limited('#/movement/1', '/api/movements/1'), [403]);
}

// A list naming a traveller of the stored demo flight (docs/watchlists.md,
// the paxwatch CSV format); the flight is not recent, so screening looks
// back far enough to reach it.
const LIST = 'id,name,aliases,birth_date,nationality,sex,' +
    'document_number,document_issuer,category\n' +
    'E2E-1,Chioma Okafor,,1990-03-11,NG,F,,,wanted\n';

async function listManager(page, context) {
    await step('an analyst sees no load form', async () => {
        assert.equal(await page.locator('#list-form').count(), 0);
    });
    await logOut(page);
    await step('log in as a list manager', () =>
        logIn(page, manager, managerPw, 'list_manager', '#/lists',
            'Watchlists'));
    await step('the list manager loads a list through the form', async () => {
        await page.fill('#list-name', 'e2e');
        await page.selectOption('#list-format', 'csv');
        await page.setInputFiles('#list-file', { name: 'e2e.csv',
            mimeType: 'text/csv', buffer: Buffer.from(LIST) });
        await page.fill('#list-days', '3660');
        await page.fill('#list-purpose', 'browser test');
        const answer = page.waitForResponse((r) =>
            r.url().includes('/api/lists/e2e?'));
        await page.click('#list-form button[type=submit]');
        assert.equal((await answer).status(), 201);
        await page.locator('#list-result [role=status]', { hasText:
            /Stored e2e: 1 entries, 0 skipped\. Screened \d+ travellers .*: 1 new hits\./ })
            .waitFor();
        const cells = await rowCells(page.locator('#loaded-lists'), 'e2e');
        assert.equal(cells[1], 'csv');
        assert.equal(cells[4], '1');
    });
    await step('the API has the list', async () => {
        const l = (await apiGet(context, '/api/lists')).lists
            .find((x) => x.name === 'e2e');
        assert.ok(l, 'the list was not stored');
        assert.equal(l.entries, 1);
    });
    await step('a list nothing can be read from is refused', async () => {
        await page.setInputFiles('#list-file', { name: 'bad.csv',
            mimeType: 'text/csv', buffer: Buffer.from('nothing here\n') });
        const answer = page.waitForResponse((r) =>
            r.url().includes('/api/lists/e2e?'));
        await page.click('#list-form button[type=submit]');
        assert.equal((await answer).status(), 422);
        await page.locator('#list-result [role=alert]').waitFor();
    }, [422]);
}

async function auditor(page) {
    await step('log in as the data-protection officer', () =>
        logIn(page, dpo, dpoPw, 'dpo', '#/audit', 'Audit'));
    await step('the chain is intact, with its head to note', async () => {
        await page.locator('#audit-chain [role=status]', { hasText:
            /^Intact: \d+ entries/ }).waitFor();
        assert.match(await page.textContent('#audit-head'),
            /^\d+:[0-9a-f]{64}$/);
    });
    await step('retention is not overdue', () =>
        page.locator('#audit-retention [role=status]', { hasText:
            'Nothing overdue' }).waitFor());
    await step('the entries come newest first, this login among them',
        async () => {
            const cells = await rowCells(page.locator('#audit-entries'),
                `${dpo}login`);
            assert.equal(cells[2], dpo);
            assert.equal(cells[3], 'login');
            const seqs = (await page.locator('#audit-entries tbody tr td:first-child')
                .allTextContents()).map(Number);
            assert.ok(seqs.length > 1);
            assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a));
        });
    await step('filtered by user, only that user\'s entries', async () => {
        await page.fill('#audit-user', officer);
        const answer = page.waitForResponse((r) =>
            r.url().includes(`/api/audit?`) && r.url().includes(
                `user=${officer}`));
        await page.click('#audit-form button[type=submit]');
        assert.equal((await answer).status(), 200);
        await page.locator('#audit-entries tbody tr', { hasText: 'denied' })
            .first().waitFor();
        const users = await page.locator(
            '#audit-entries tbody tr td:nth-child(3)').allTextContents();
        assert.ok(users.length > 0);
        assert.deepEqual([...new Set(users)], [officer]);
    });
}

async function run(page, context) {
    page.setDefaultTimeout(STEP);
    const hitId = await analyst(page, context);
    const travellerId = await people(page, context, hitId);
    await lists(page, context);
    await listManager(page, context);
    await logOut(page);
    await step('log in as the analyst again', () =>
        logIn(page, user, password, 'analyst', '#/hits', 'Hits'));
    await rulesAsAnalyst(page, travellerId);
    await step('log out', () => logOut(page));
    await step('log in as a rule author', () =>
        logIn(page, author, authorPw, 'rule_author', '#/rules', 'Rules'));
    await rulesAsAuthor(page, context);
    await logOut(page);
    await step('log in as an officer', () =>
        logIn(page, officer, officerPw, 'officer', '#/hits', 'Hits'));
    await officerLimits(page, travellerId);
    await logOut(page);
    await auditor(page);
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
    page.on('pageerror', (e) => errors.push(`exception: ${e.message}`));
    page.on('console', (m) => {
        if (m.type() === 'error')
            consoleError(m.text(), m.location().url);
    });
    await run(page, context);
    assert.deepEqual(errors, [], 'errors on the page');
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
