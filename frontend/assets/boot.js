// Loads the WASM app. A separate file (not an inline script) so that the
// Content-Security-Policy can forbid inline scripts altogether.
import init from '/humiao_frontend.js';

init().catch((err) => {
  const p = document.getElementById('loading');
  if (p) p.textContent = '加载失败，请刷新页面。Failed to load; please reload. ' + err;
});
