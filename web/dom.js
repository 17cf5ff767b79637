// paxwatch pages: building elements. Text always goes in as text, never
// as HTML, so stored data cannot inject markup.

export function h(tag, attrs = {}, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
        if (v === undefined || v === null || v === false)
            continue;
        if (k.startsWith('on'))
            el.addEventListener(k.slice(2), v);
        else
            el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const kid of kids.flat()) {
        if (kid === undefined || kid === null || kid === false)
            continue;
        el.append(kid instanceof Node ? kid : String(kid));
    }
    return el;
}

export const text = (v) => (v === undefined || v === null ? '–' : String(v));

// A table of rows; cols is [[heading, row => cell], ...].
export function table(caption, cols, rows) {
    return h('table', {},
        caption ? h('caption', { class: 'muted' }, caption) : null,
        h('thead', {}, h('tr', {}, cols.map(([t]) => h('th', { scope: 'col' },
            t)))),
        h('tbody', {}, rows.length ? rows.map((r) => h('tr', {},
            cols.map(([, f]) => h('td', {}, f(r))))) :
            h('tr', {}, h('td', { colspan: cols.length, class: 'muted' },
                'nothing'))));
}

export function dl(pairs) {
    return h('dl', {}, pairs.flatMap(([k, v]) => [h('dt', {}, k),
        h('dd', {}, v instanceof Node ? v : text(v))]));
}

export const link = (href, label) => h('a', { href }, text(label));

export function message(kind, msg) {
    return h('p', { class: `msg ${kind}`, role: kind === 'error' ?
        'alert' : 'status' }, msg);
}
