// paxwatch pages: the router. Views live behind the hash (#/hits,
// #/hit/ID ...), so nothing but ids and filter words ever appears in a
// URL, and no query string reaches the server beyond them.
import { ApiError, post } from './api.js';
import { h, message } from './dom.js';
import { loginPage } from './login.js';
import { hitsPage, hitPage } from './hits.js';
import { movementPage, travellerPage } from './people.js';
import { rulesPage } from './rules.js';
import { listsPage } from './lists.js';
import { auditPage } from './audit.js';

const routes = [
    [/^#\/login$/, loginPage],
    [/^#\/hits(?:\?(.*))?$/, hitsPage],
    [/^#\/hit\/(\d+)$/, hitPage],
    [/^#\/movement\/(\d+)$/, movementPage],
    [/^#\/traveller\/(\d+)$/, travellerPage],
    [/^#\/rules$/, rulesPage],
    [/^#\/lists$/, listsPage],
    [/^#\/audit$/, auditPage],
];

const main = document.getElementById('main');

function showWho() {
    const who = sessionStorage.getItem('pw_who');
    document.getElementById('who').textContent = who || '';
    document.getElementById('logout').hidden = !who;
}

// A failure as the analyst should read it: log in again, a role's
// limit, or what the server said.
function failure(e) {
    if (e instanceof ApiError && e.status === 401) {
        sessionStorage.removeItem('pw_who');
        location.hash = '#/login';
        return null;
    }
    if (e instanceof ApiError && e.status === 403)
        return message('error', 'Your role may not see this page. ' +
            `The server said: ${e.message}`);
    if (e instanceof ApiError && e.status === 404)
        return message('error', 'Not found.');
    return message('error', e.message || String(e));
}

// Each render has a number: a slow page that finishes after the
// address moved on must not cover the newer one.
let rendering = 0;

async function render() {
    const hash = location.hash || '#/hits';
    const mine = ++rendering;
    showWho();
    for (const [re, page] of routes) {
        const m = hash.match(re);
        if (!m)
            continue;
        main.setAttribute('aria-busy', 'true');
        let el;
        try {
            el = await page(...m.slice(1));
        } catch (e) {
            el = failure(e);
        }
        if (mine !== rendering)
            return;
        if (el)
            main.replaceChildren(el);
        main.removeAttribute('aria-busy');
        main.focus({ preventScroll: true });
        return;
    }
    main.replaceChildren(h('h1', {}, 'No such page'),
        h('p', {}, h('a', { href: '#/hits' }, 'Back to the hits')));
}

async function logout() {
    try {
        await post('/api/logout', {});
    } catch {
        // ended already: nothing to undo
    }
    sessionStorage.removeItem('pw_who');
    location.hash = '#/login';
}

// g then a letter goes to a page; '/' focuses the first field.
let leader = false;
function onKey(e) {
    const t = e.target;
    if (t.matches && t.matches('input, textarea, select') || e.ctrlKey ||
        e.metaKey || e.altKey)
        return;
    const go = { h: '#/hits', r: '#/rules', l: '#/lists', a: '#/audit' };
    if (leader && go[e.key]) {
        location.hash = go[e.key];
        e.preventDefault();
    } else if (e.key === '/') {
        const f = main.querySelector('input, select, textarea');
        if (f) {
            f.focus();
            e.preventDefault();
        }
    }
    leader = e.key === 'g';
}

document.getElementById('logout').addEventListener('click', logout);
document.addEventListener('keydown', onKey);
window.addEventListener('hashchange', render);
render();
