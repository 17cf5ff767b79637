// paxwatch pages: the rule editor (test on past traffic, then save)
// and the status of the loaded watchlists.
import { ApiError, get, post } from './api.js';
import { h, link, message, table, text } from './dom.js';

function problems(e) {
    const list = e instanceof ApiError && e.body && e.body.problems;
    return list ? table('Problems', [['Line', (p) => text(p.line)],
        ['Column', (p) => text(p.column)], ['Kind', (p) => text(p.kind)],
        ['Message', (p) => text(p.message)]], list) : null;
}

function editor() {
    const src = h('textarea', { id: 'rule-text', rows: 10, name: 'text',
        spellcheck: 'false', required: true,
        placeholder: 'rule "Name"\n  severity high\nwhen\n  ...' });
    const since = h('input', { id: 'rule-since', name: 'since',
        type: 'date' });
    const out = h('div', { id: 'rule-result', 'aria-live': 'polite' });
    async function run(what) {
        out.replaceChildren(h('p', { class: 'muted' }, 'Working…'));
        try {
            if (what === 'test') {
                const body = { text: src.value };
                if (since.value)
                    body.since = since.value;
                const j = await post('/api/rules/test', body);
                out.replaceChildren(message('note', `Fired ${j.fired} times ` +
                    `on ${j.travellers} travellers, ${j.movements} movements` +
                    ' (nothing stored).'), table('Would raise', [
                    ['Movement', (x) => link(`#/movement/${x.movement_id}`,
                        x.movement_id)],
                    ['Traveller', (x) => link(`#/traveller/${x.traveller_id}`,
                        x.traveller_id)],
                    ['Rule', (x) => text(x.rule)],
                    ['Severity', (x) => text(x.severity)],
                    ['Why', (x) => text(x.reasons ? JSON.stringify(x.reasons) :
                        x.why)]], j.hits || []));
            } else {
                const j = await post('/api/rules', { text: src.value });
                out.replaceChildren(message('note', j.changed ?
                    `Saved ${j.name}, version ${j.version}.` :
                    `${j.name} is stored already, unchanged.`));
            }
        } catch (e) {
            out.replaceChildren(message('error', e.status === 403 ?
                `Your role may not do this: ${e.message}` : e.message),
            problems(e));
        }
    }
    return h('form', { id: 'rule-form', onsubmit: (e) => {
        e.preventDefault();
        run(e.submitter && e.submitter.value === 'save' ? 'save' : 'test');
    } },
    h('label', { for: 'rule-text' }, 'Rule (docs/rules.md)', src),
    h('div', { class: 'inline' },
        h('label', { for: 'rule-since' }, 'Test on traffic since', since),
        h('button', { type: 'submit', value: 'test', accesskey: 't' },
            'Test on past traffic'),
        h('button', { type: 'submit', value: 'save' }, 'Save')), out);
}

export async function rulesPage() {
    const j = await get('/api/rules');
    return h('section', {}, h('h1', {}, 'Rules'), editor(),
        table('Stored rules', [['Name', (r) => text(r.name)],
            ['Version', (r) => text(r.version)],
            ['Severity', (r) => text(r.severity)],
            ['Enabled', (r) => (r.enabled ? 'yes' : 'no')],
            ['Updated', (r) => `${text(r.updated_at)} by ${
                text(r.updated_by)}`],
            ['Text', (r) => h('pre', {}, text(r.text))]], j.rules || []));
}

export async function listsPage() {
    const j = await get('/api/lists');
    return h('section', {}, h('h1', {}, 'Watchlists'),
        table('Loaded lists', [['Name', (l) => text(l.name)],
            ['Format', (l) => text(l.format)],
            ['Version', (l) => text(l.version)],
            ['Loaded', (l) => text(l.loaded_at)],
            ['Entries', (l) => text(l.entries)],
            ['Skipped', (l) => text(l.skipped)],
            ['Bytes', (l) => text(l.bytes)]], j.lists || []));
}
