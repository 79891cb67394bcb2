// Loads one of the app's WASM modules: the one named by `?app=` on this script's address
// (each module's page names its own, by its content-hashed name: see `shared/src/app.rs` and
// `xtask/src/site.rs`), else the main one. A separate file (not an inline script) so that the
// Content-Security-Policy can forbid inline scripts.
const named = new URL(import.meta.url).searchParams.get('app');
const app = /^humiao_[a-z]+(\.[0-9a-f]{16})?$/.test(named || '') ? named : 'humiao_frontend';

// Who is signed in, asked while the module downloads: the app takes this answer as it
// starts (`api::me_at_start`) instead of asking one round trip later (on a slow phone the
// session form appears that much sooner). Taken once; the app asks anew after that.
window.__humiaoMe = fetch('/api/v1/auth/me', {
  credentials: 'same-origin',
  headers: { Accept: 'application/json' },
}).catch(() => null);

import(`/${app}.js`)
  .then((module) => module.default())
  .catch((err) => {
    const p = document.getElementById('loading');
    if (p) p.textContent = '加载失败，请刷新页面。Failed to load; please reload. ' + err;
  });

// Keeps copies of the app for opening it without a network (see sw.js). Browsers allow
// service workers on HTTPS and localhost only; elsewhere the app works as before.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => {});
}
