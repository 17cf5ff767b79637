// paxwatch pages: the one module that talks to the HTTP API
// (docs/api.md). The session is the HttpOnly cookie the server sets.

export class ApiError extends Error {
    constructor(status, message, body) {
        super(message);
        this.status = status;
        this.body = body;
    }
}

export async function api(method, path, body) {
    const opt = { method, credentials: 'same-origin', headers: {} };
    if (body !== undefined) {
        opt.headers['Content-Type'] = 'application/json';
        opt.body = JSON.stringify(body);
    }
    const r = await fetch(path, opt);
    let j = null;
    try {
        j = await r.json();
    } catch {
        j = null;
    }
    if (!r.ok)
        throw new ApiError(r.status, (j && j.error) || `HTTP ${r.status}`, j);
    return j;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);

// Every page of a list answer (key names the array), at most cap rows:
// the server pages oldest first, the queue shows newest first.
export async function getAll(path, key, cap = 10000) {
    const out = [];
    const sep = path.includes('?') ? '&' : '?';
    for (let off = 0; out.length < cap; off += 1000) {
        const j = await get(`${path}${sep}limit=1000&offset=${off}`);
        out.push(...j[key]);
        if (!j.more)
            return { rows: out, capped: false };
    }
    return { rows: out, capped: true };
}
