// paxwatch pages: the status of the loaded watchlists and, for a list
// manager or an administrator, loading a new version of one (POST
// /api/lists/NAME: the list is stored and recent traffic screened).
import { get, upload } from './api.js';
import { h, message, table, text } from './dom.js';

const FORMATS = [['un-xml', 'UN consolidated list (XML)'],
    ['ofac-csv', 'OFAC SDN (sdn.csv only)'],
    ['ftm-json', 'FollowTheMoney entities (JSON lines)'],
    ['csv', 'paxwatch CSV (docs/watchlists.md)']];

function loaded(lists) {
    return table('Loaded lists', [['Name', (l) => text(l.name)],
        ['Format', (l) => text(l.format)],
        ['Version', (l) => text(l.version)],
        ['Loaded', (l) => text(l.loaded_at)],
        ['Entries', (l) => text(l.entries)],
        ['Skipped', (l) => text(l.skipped)],
        ['Bytes', (l) => text(l.bytes)]], lists || []);
}

// What a load did, in words.
function outcome(j) {
    const v = j.version ? `, version ${j.version}` : '';
    let s = `Stored ${j.name}${v}: ${j.entries} entries, ${j.skipped} ` +
        'skipped.';
    if (j.rescreen)
        s += ` Screened ${j.rescreen.travellers} travellers of ` +
            `${j.rescreen.movements} movements since ${j.rescreen.since}: ` +
            `${j.rescreen.hits} new hits.`;
    return s;
}

const problemList = (p) => (p && p.length ? h('ul', { class: 'muted' },
    p.map((x) => h('li', {}, text(x)))) : null);

// reload() is called after a load so the table can be redrawn.
function loader(reload) {
    const name = h('input', { id: 'list-name', name: 'name', required: true,
        pattern: '[A-Za-z0-9._\\-]{1,64}', placeholder: 'un' });
    const format = h('select', { id: 'list-format', name: 'format' },
        FORMATS.map(([v, t]) => h('option', { value: v }, t)));
    const file = h('input', { id: 'list-file', name: 'file', type: 'file',
        required: true });
    const days = h('input', { id: 'list-days', name: 'days', type: 'number',
        min: 0, max: 3660, value: 7 });
    const force = h('input', { id: 'list-force', name: 'force',
        type: 'checkbox' });
    const purpose = h('input', { id: 'list-purpose', name: 'purpose',
        placeholder: 'e.g. weekly update' });
    const out = h('div', { id: 'list-result', 'aria-live': 'polite' });
    async function submit(e) {
        e.preventDefault();
        const f = file.files[0];
        if (!f)
            return;
        const q = new URLSearchParams({ format: format.value,
            rescreen_days: days.value || '0' });
        if (force.checked)
            q.set('force', '1');
        if (purpose.value)
            q.set('purpose', purpose.value);
        out.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
        try {
            const j = await upload(`/api/lists/${encodeURIComponent(
                name.value)}?${q}`, f);
            out.replaceChildren(message('note', outcome(j)),
                problemList(j.problems));
            await reload();
        } catch (err) {
            out.replaceChildren(message('error', err.status === 403 ?
                `Your role may not do this: ${err.message}` : err.message),
            problemList(err.body && err.body.problems));
        }
    }
    return h('form', { id: 'list-form', onsubmit: submit },
        h('h2', {}, 'Load a list'),
        h('div', { class: 'inline' },
            h('label', { for: 'list-name' }, 'Name', name),
            h('label', { for: 'list-format' }, 'Format', format)),
        h('label', { for: 'list-file' }, 'File', file),
        h('div', { class: 'inline' },
            h('label', { for: 'list-days' }, 'Screen traffic of the last ' +
                'days', days),
            h('label', { for: 'list-force' }, force,
                'Replace a newer version'),
            h('label', { for: 'list-purpose' }, 'Purpose', purpose)),
        h('button', { type: 'submit' }, 'Load'), out);
}

function mayLoad() {
    const who = sessionStorage.getItem('pw_who') || '';
    return /\((list_manager|admin)\)$/.test(who);
}

export async function listsPage() {
    const j = await get('/api/lists');
    const shown = h('div', { id: 'loaded-lists' }, loaded(j.lists));
    async function reload() {
        try {
            shown.replaceChildren(loaded((await get('/api/lists')).lists));
        } catch {
            // the load stands; the table shows the next time
        }
    }
    return h('section', {}, h('h1', {}, 'Watchlists'), shown,
        mayLoad() ? loader(reload) : null);
}
