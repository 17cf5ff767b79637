// paxwatch pages: the one module that talks to the HTTP API
// (docs/api.md). The session is the HttpOnly cookie the server sets.

export class ApiError extends Error {
    constructor(status, message, body) {
        super(message);
        this.status = status;
        this.body = body;
    }
}

export async function api(method, path, body, type) {
    const opt = { method, credentials: 'same-origin', headers: {} };
    if (type) {
        opt.headers['Content-Type'] = type;
        opt.body = body;
    } else if (body !== undefined) {
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
// Sends a file (a Blob) as the body, as it is.
export const upload = (path, file) => api('POST', path, file,
    file.type || 'application/octet-stream');

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
