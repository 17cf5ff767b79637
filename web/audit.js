// paxwatch pages: the data-protection officer's page. The audit log
// (filtered by user and date, a page at a time), whether its hash chain
// is whole, its head to note elsewhere, and whether retention keeps up
// (GET /api/audit, /api/audit/verify, /api/retention; docs/api.md).
import { get } from './api.js';
import { dl, h, message, table, text } from './dom.js';

const PAGE = 100;

function chain(v) {
    return h('section', { id: 'audit-chain' }, h('h2', {}, 'The chain'),
        v.intact ?
            message('note', `Intact: ${v.entries} entries, each hash ` +
                'matching its content and the entry before.') :
            message('error', `Broken at entry ${v.bad}: ${v.why}`),
        dl([['Head (note it where the store\'s writers cannot reach; ' +
            'a later check against it shows entries cut from the end)',
        h('code', { id: 'audit-head' }, text(v.head))]]));
}

function retention(r) {
    const d = r.due_depersonalise;
    const x = r.due_delete;
    const due = d.movements + d.bookings + d.messages + x.movements +
        x.bookings + x.messages;
    return h('section', { id: 'audit-retention' }, h('h2', {}, 'Retention'),
        due ? message('error', 'Overdue: the scheduled `paxwatch retention ' +
            'run` is not keeping up.') :
            message('note', 'Nothing overdue: personal data older than ' +
                `${r.depersonalise_before} is depersonalised, and data ` +
                `older than ${r.delete_before} deleted.`),
        table('Due now', [['', (row) => row[0]],
            ['Movements', (row) => text(row[1].movements)],
            ['Travellers', (row) => text(row[1].travellers)],
            ['Bookings', (row) => text(row[1].bookings)],
            ['Raw messages', (row) => text(row[1].messages)]],
        [['to depersonalise', d], ['to delete', x]]),
        x.held ? h('p', { class: 'muted' }, `${x.held} movement(s) past ` +
            'retention are held for a confirmed hit.') : null);
}

function entries(list, more, offset, go) {
    const nav = h('nav', { 'aria-label': 'Pages', class: 'inline' },
        offset > 0 ? h('button', { type: 'button', id: 'audit-newer',
            onclick: () => go(Math.max(0, offset - PAGE)) }, 'Newer') : null,
        more ? h('button', { type: 'button', id: 'audit-older',
            onclick: () => go(offset + PAGE) }, 'Older') : null);
    return h('div', {}, table(`Newest first: ${offset + 1} to ` +
        `${offset + list.length}`,
        [['Seq', (e) => text(e.seq)], ['At', (e) => text(e.at)],
            ['User', (e) => text(e.user)], ['Action', (e) => text(e.action)],
            ['Object', (e) => text(e.object)],
            ['Client', (e) => text(e.client)],
            ['Purpose', (e) => text(e.purpose)],
            ['Outcome', (e) => text(e.outcome)]], list), nav);
}

export async function auditPage() {
    const user = h('input', { id: 'audit-user', name: 'user',
        placeholder: 'any user' });
    const since = h('input', { id: 'audit-since', name: 'since',
        type: 'date' });
    const out = h('div', { id: 'audit-entries', 'aria-live': 'polite' });
    async function go(offset) {
        const q = new URLSearchParams({ limit: PAGE + 1, offset,
            order: 'newest' });
        if (user.value)
            q.set('user', user.value);
        if (since.value)
            q.set('since', since.value);
        try {
            const j = await get(`/api/audit?${q}`);
            const list = j.entries.slice(0, PAGE);
            out.replaceChildren(entries(list, j.entries.length > PAGE,
                offset, go));
        } catch (e) {
            out.replaceChildren(message('error', e.message));
        }
    }
    const form = h('form', { id: 'audit-form', class: 'inline',
        onsubmit: (e) => { e.preventDefault(); go(0); } },
    h('label', { for: 'audit-user' }, 'User', user),
    h('label', { for: 'audit-since' }, 'Since', since),
    h('button', { type: 'submit' }, 'Show'));
    const [v, r] = await Promise.all([get('/api/audit/verify'),
        get('/api/retention')]);
    await go(0);
    return h('article', {}, h('h1', {}, 'Audit'), chain(v), retention(r),
        h('section', {}, h('h2', {}, 'Who did what'), form, out));
}
