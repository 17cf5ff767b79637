// paxwatch pages: the hit queue and one hit with its explanation, the
// traveller, the booking, co-travellers and the review form.
import { ApiError, get, getAll, post } from './api.js';
import { dl, h, link, message, table, text } from './dom.js';
import { historyTables } from './people.js';

const STATUSES = ['new', 'in_review', 'confirmed', 'dismissed', 'reopened'];
const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const PAGE = 50;
// The review state machine (docs/review.md): where each status may go.
const NEXT = {
    new: ['in_review', 'confirmed', 'dismissed'],
    in_review: ['confirmed', 'dismissed', 'new'],
    confirmed: ['reopened'],
    dismissed: ['reopened'],
    reopened: ['in_review', 'confirmed', 'dismissed'],
};

const name = (x) => `${text(x.surname)}, ${text(x.given_names)}`;
const sev = (s) => h('span', { class: `sev-${s}` }, text(s));
const status = (s) => h('span', { class: `status-${s}` }, text(s));

function select(id, label, values, current) {
    return h('label', { for: id }, label, h('select', { id, name: id },
        h('option', { value: '' }, 'any'),
        values.map((v) => h('option', { value: v, selected: v === current },
            v))));
}

function filterForm(f) {
    function submit(e) {
        e.preventDefault();
        const d = new FormData(e.target);
        const q = new URLSearchParams();
        for (const k of ['status', 'severity', 'movement'])
            if (d.get(k))
                q.set(k, d.get(k));
        location.hash = `#/hits?${q}`;
    }
    return h('form', { class: 'inline', onsubmit: submit,
        'aria-label': 'Filter hits' },
    select('status', 'Status', STATUSES, f.status),
    select('severity', 'Severity', SEVERITIES, f.severity),
    h('label', { for: 'movement' }, 'Movement id', h('input', {
        id: 'movement', name: 'movement', inputmode: 'numeric',
        pattern: '[0-9]*', size: 8, value: f.movement || '' })),
    h('button', { type: 'submit' }, 'Filter'));
}

function pager(f, page, more) {
    const to = (p) => {
        const q = new URLSearchParams(f);
        q.set('page', p);
        return `#/hits?${q}`;
    };
    return h('nav', { 'aria-label': 'Pages', class: 'inline' },
        page > 0 ? h('a', { href: to(page - 1), rel: 'prev' }, '← newer') :
            null, ` page ${page + 1} `,
        more ? h('a', { href: to(page + 1), rel: 'next' }, 'older →') : null);
}

export async function hitsPage(query) {
    const f = Object.fromEntries(new URLSearchParams(query || ''));
    const q = new URLSearchParams();
    if (f.status)
        q.set('status', f.status);
    if (/^\d+$/.test(f.movement || ''))
        q.set('movement', f.movement);
    const { rows, capped } = await getAll(`/api/hits?${q}`, 'hits');
    const shown = rows.filter((x) => !f.severity || x.severity === f.severity)
        .sort((a, b) => b.id - a.id);
    const page = Math.max(0, parseInt(f.page || '0', 10) || 0);
    delete f.page;
    const slice = shown.slice(page * PAGE, (page + 1) * PAGE);
    return h('section', {}, h('h1', {}, 'Hits'), filterForm(f),
        capped ? message('error', 'Only the oldest 10,000 hits were read: ' +
            'filter to see the rest.') : null,
        table(`${shown.length} hits, newest first`, [
            ['Hit', (x) => link(`#/hit/${x.id}`, `#${x.id}`)],
            ['Status', (x) => status(x.status)],
            ['Severity', (x) => sev(x.severity)],
            ['Kind', (x) => text(x.kind)],
            ['List / rule', (x) => `${text(x.list)}: ${text(x.entry_id)}`],
            ['Traveller', (x) => name(x)],
            ['Movement', (x) => link(`#/movement/${x.movement_id}`,
                x.movement_id)],
            ['Raised', (x) => text(x.created_at)],
            ['Reviews', (x) => text(x.reviews)],
        ], slice), pager(f, page, shown.length > (page + 1) * PAGE));
}

// A value of the explanation as short text.
function show(v) {
    if (v === null || v === undefined)
        return '–';
    if (Array.isArray(v))
        return v.map(show).join(' ');
    if (typeof v === 'object')
        return Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`)
            .join('; ');
    return String(v);
}

// Why the hit was raised: the matcher's parts (token alignments,
// qualifiers) or the rule's reasons, and any other fields as a list.
function explanation(e) {
    if (!e || typeof e !== 'object')
        return h('p', {}, text(e));
    const out = [];
    const scalars = Object.entries(e).filter(([, v]) => !Array.isArray(v));
    if (scalars.length)
        out.push(dl(scalars.map(([k, v]) => [k, show(v)])));
    for (const [k, v] of Object.entries(e).filter(([, x]) =>
        Array.isArray(x))) {
        const keys = [...new Set(v.flatMap((x) => x && typeof x === 'object' ?
            Object.keys(x) : []))];
        out.push(keys.length ? table(k, keys.map((c) => [c, (x) =>
            show(x[c])]), v) : h('p', {}, `${k}: ${show(v)}`));
    }
    return h('div', { id: 'explanation' }, out);
}

async function traveller(hit) {
    const { rows } = await getAll(`/api/travellers?movement=${
        hit.movement_id}`, 'travellers', 5000);
    const t = rows.find((x) => x.id === hit.traveller_id);
    if (!t)
        return h('p', {}, 'Not among the current travellers.');
    return dl([
        ['Name', link(`#/traveller/${t.id}`, name(t))],
        ['Born', t.birth_date], ['Sex', t.sex], ['Nationality',
            t.nationality], ['Role', t.role], ['List', t.list_type],
        ['Booking', t.booking_ref],
        ['Documents', (t.documents || []).map((d) => `${text(d.type)} ${
            text(d.number)} (${text(d.issuer)}, until ${text(d.expiry)})`)
            .join('; ') || '–'],
    ]);
}

// A section that loads on its own: one failing (a role's limit) does
// not take the page down.
async function part(title, fn) {
    let body;
    try {
        body = await fn();
    } catch (e) {
        body = message('error', e.status === 403 ?
            `Your role may not see this: ${e.message}` : e.message);
    }
    return h('section', {}, h('h2', {}, title), body);
}

function reviewForm(hit) {
    const out = h('div', { id: 'review-result' });
    const choices = NEXT[hit.status] || [];
    const st = h('select', { id: 'review-status', name: 'status',
        required: true }, choices.map((c) => h('option', { value: c }, c)));
    const why = h('textarea', { id: 'review-reason', name: 'reason',
        rows: 3, placeholder: 'why (required to dismiss)' });
    async function submit(e) {
        e.preventDefault();
        out.replaceChildren();
        const body = { status: st.value };
        if (why.value.trim())
            body.reason = why.value.trim();
        try {
            const j = await post(`/api/hits/${hit.id}/review`, body);
            sessionStorage.setItem('pw_note',
                `Hit ${j.id}: ${j.from} → ${j.to} by ${j.by}.`);
            window.dispatchEvent(new HashChangeEvent('hashchange'));
        } catch (err) {
            const msg = err instanceof ApiError ? err.message : String(err);
            out.replaceChildren(message('error', `Refused: ${msg}`));
            why.focus();
        }
    }
    // Enter sends; Shift+Enter is a new line in the reason.
    why.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            e.target.form.requestSubmit();
        }
    });
    return h('form', { id: 'review', onsubmit: submit,
        'aria-label': 'Review' },
    h('div', { class: 'inline' },
        h('label', { for: 'review-status' }, 'New status', st),
        h('button', { type: 'submit', accesskey: 's' }, 'Record review')),
    h('label', { for: 'review-reason' }, 'Reason', why), out);
}

export async function hitPage(id) {
    const hit = await get(`/api/hits/${id}`);
    const note = sessionStorage.getItem('pw_note');
    sessionStorage.removeItem('pw_note');
    const hist = get(`/api/travellers/${hit.traveller_id}/history`);
    const parts = await Promise.all([
        part('Traveller', () => traveller(hit)),
        part('Bookings and co-travellers', async () =>
            historyTables(await hist, ['booking', 'link'])),
    ]);
    return h('article', {},
        h('h1', {}, `Hit #${hit.id}: `, name(hit)),
        note ? message('note', note) : null,
        dl([['Status', status(hit.status)], ['Severity', sev(hit.severity)],
            ['Kind', hit.kind], ['List', hit.list],
            ['Entry', `${text(hit.entry_id)} ${text(hit.entry_name)}`],
            ['Score', hit.score], ['Category', hit.category],
            ['Movement', link(`#/movement/${hit.movement_id}`,
                `movement ${hit.movement_id}`)],
            ['Raised', hit.created_at]]),
        h('section', {}, h('h2', {}, 'Why: the explanation'),
            explanation(hit.explanation)),
        h('section', {}, h('h2', {}, 'Review'), reviewForm(hit),
            table('Steps so far', [['From', (s) => text(s.from)],
                ['To', (s) => text(s.to)], ['By', (s) => text(s.who)],
                ['When', (s) => text(s.at)],
                ['Reason', (s) => text(s.reason)]], hit.steps || [])),
        h('div', { class: 'cols' }, parts));
}
