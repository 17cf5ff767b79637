// paxwatch pages: a movement with its travellers, and a traveller's
// history (docs/review.md: the same person's movements, bookings, hits
// and co-travellers).
import { get } from './api.js';
import { dl, h, link, message, table, text } from './dom.js';

// The columns a..e of pw_traveller_history rows, by kind.
const KINDS = {
    movement: ['Movements', (r) => [
        ['Movement', link(`#/movement/${r.id}`, r.a)], ['Date', r.b],
        ['From', r.c], ['To', r.d], ['As', r.e]]],
    booking: ['Bookings', (r) => [
        ['Locator', r.a], ['Carrier', r.b], ['Created', r.c],
        ['Itinerary', r.d], ['Movement', r.movement_id ?
            link(`#/movement/${r.movement_id}`, r.movement_id) : null]]],
    hit: ['Hits', (r) => [
        ['Hit', link(`#/hit/${r.id}`, `#${r.id}`)], ['Kind', r.a],
        ['List', r.b], ['Entry', r.c], ['Status', r.d], ['Raised', r.e]]],
    link: ['Co-travellers', (r) => [
        ['Name', link(`#/traveller/${r.traveller_id}`,
            `${text(r.a)}, ${text(r.b)}`)], ['Born', r.e],
        ['Shares', `${text(r.c)} ${text(r.d)}`],
        ['Movement', link(`#/movement/${r.movement_id}`, r.movement_id)]]],
};

export function historyTables(hist, kinds) {
    return h('div', {}, kinds.map((k) => {
        const [title, cells] = KINDS[k];
        const rows = hist.rows.filter((r) => r.kind === k);
        const heads = cells({}).map(([t]) => t);
        return table(title, heads.map((t, i) => [t, (r) => {
            const v = cells(r)[i][1];
            return v instanceof Node ? v : text(v);
        }]), rows);
    }));
}

export async function travellerPage(id) {
    const hist = await get(`/api/travellers/${id}/history`);
    return h('article', {}, h('h1', {}, `Traveller ${id}: history`),
        historyTables(hist, ['movement', 'booking', 'hit', 'link']));
}

export async function movementPage(id) {
    const m = await get(`/api/movements/${id}?limit=1000`);
    return h('article', {},
        h('h1', {}, `Movement ${id}: ${text(m.number || m.vessel)}`),
        m.depersonalised_at ? message('note', 'Personal data removed on ' +
            `${m.depersonalised_at} by retention (docs/privacy.md): ` +
            'names, documents and contacts are no longer kept.') : null,
        dl([['Mode', m.mode], ['Carrier', m.carrier], ['Date', m.date],
            ['From', m.from], ['To', m.to], ['Passengers', m.passengers],
            ['Crew', m.crew], ['Updated', m.updated_at]]),
        table('Current travellers', [
            ['Name', (t) => link(`#/traveller/${t.id}`,
                `${text(t.surname)}, ${text(t.given_names)}`)],
            ['Born', (t) => text(t.birth_date)],
            ['Nationality', (t) => text(t.nationality)],
            ['Role', (t) => text(t.role)],
            ['List', (t) => text(t.list_type)],
            ['Booking', (t) => text(t.booking_ref)],
            ['Screened', (t) => t.screened_in_part ? 'in part' : 'in full'],
            ['Hits', (t) => link(`#/hits?movement=${id}`, 'hits')],
        ], m.travellers || []));
}
