// paxwatch pages: logging in (POST /api/login sets the session cookie).
import { ApiError, post } from './api.js';
import { h, message } from './dom.js';

// Where a role lands: a page it may use (docs/api.md, Roles).
const HOME = { rule_author: '#/rules', list_manager: '#/lists',
    dpo: '#/audit' };

export function loginPage() {
    const out = h('div', { id: 'login-result' });
    const name = h('input', { name: 'name', id: 'name', required: true,
        autocomplete: 'username', autofocus: true });
    const pass = h('input', { name: 'password', id: 'password',
        type: 'password', required: true,
        autocomplete: 'current-password' });
    async function submit(e) {
        e.preventDefault();
        out.replaceChildren();
        try {
            const j = await post('/api/login', { name: name.value,
                password: pass.value });
            sessionStorage.setItem('pw_who', `${j.user} (${j.role})`);
            location.hash = HOME[j.role] || '#/hits';
        } catch (err) {
            const why = err instanceof ApiError ? err.message : String(err);
            out.replaceChildren(message('error', why));
            pass.value = '';
            pass.focus();
        }
    }
    return h('section', {}, h('h1', {}, 'Log in'),
        h('form', { class: 'inline', onsubmit: submit },
            h('label', { for: 'name' }, 'Name', name),
            h('label', { for: 'password' }, 'Password', pass),
            h('button', { type: 'submit' }, 'Log in')), out);
}
