// paxwatch pages: the rule editor (test on past traffic, then save).
import { ApiError, get, post } from './api.js';
import { h, link, message, table, text } from './dom.js';

// Where each problem is as line:column, the way editors count.
function problems(e) {
    const list = e instanceof ApiError && e.body && e.body.problems;
    return list ? table('Problems', [
        ['Where', (p) => `${text(p.line)}:${text(p.column)}`],
        ['Kind', (p) => text(p.kind)],
        ['Message', (p) => text(p.message)]], list) : null;
}

// A test hit's reasons as "field = value; ...".
function why(x) {
    if (!Array.isArray(x.reasons))
        return text(x.why);
    return x.reasons.map((r) => `${text(r.field)} = ${text(r.value)}`)
        .join('; ') || '–';
}

function storedRules(rules) {
    return table('Stored rules', [['Name', (r) => text(r.name)],
        ['Version', (r) => text(r.version)],
        ['Severity', (r) => text(r.severity)],
        ['Enabled', (r) => (r.enabled ? 'yes' : 'no')],
        ['Updated', (r) => `${text(r.updated_at)} by ${
            text(r.updated_by)}`],
        ['Text', (r) => h('pre', {}, text(r.text))]], rules || []);
}

// saved() is called after a save so the stored rules can be redrawn.
function editor(saved) {
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
                    ['Why', why]], j.hits || []));
            } else {
                const j = await post('/api/rules', { text: src.value });
                out.replaceChildren(message('note', j.changed ?
                    `Saved ${j.name}, version ${j.version}.` :
                    `${j.name} is stored already, unchanged.`));
                await saved();
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
    const stored = h('div', { id: 'stored-rules' }, storedRules(j.rules));
    async function saved() {
        try {
            stored.replaceChildren(storedRules((await get('/api/rules'))
                .rules));
        } catch {
            // the save stands; the table shows the next time
        }
    }
    return h('section', {}, h('h1', {}, 'Rules'), editor(saved), stored);
}
