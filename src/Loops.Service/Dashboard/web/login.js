'use strict';
// Posts the login as JSON with the dashboard's header (see common.js), then goes to the page asked for.
(() => {
  const form = document.getElementById('login');
  const message = document.getElementById('message');
  const params = new URLSearchParams(location.search);
  const next = params.get('ReturnUrl') || params.get('next') || '/dashboard/';
  const target = next.startsWith('/dashboard') ? next : '/dashboard/';

  async function login(body) {
    message.textContent = '';
    const response = await fetch('/dashboard/api/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Loops-Dashboard': '1' },
      body: JSON.stringify(body),
    });
    if (response.ok) {
      location.assign(target);
      return;
    }
    const error = await response.json().catch(() => ({ error: response.statusText }));
    message.textContent = error.error || 'Login failed.';
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = form.token.value.trim();
    login(token ? { token } : { name: form.name.value.trim(), password: form.password.value });
  });

  // A login URL with ?token= (as the service logs it) logs in at once, the way Jupyter's does.
  const token = params.get('token');
  if (token) {
    history.replaceState(null, '', location.pathname);
    login({ token });
  }
  document.body.dataset.status = 'ready';
})();
