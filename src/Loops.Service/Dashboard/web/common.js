'use strict';
// Shared by the dashboard's pages: API calls, number and date formats, DOM building (text only, never HTML from data).
const Loops = (() => {
  const nf = (digits) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const formats = { 0: nf(0), 2: nf(2), 3: nf(3), 4: nf(4) };

  /** A number with thousands separators and a fixed number of decimals ("1,234.50"); int64 fields arrive as strings. */
  function num(value, digits = 2) {
    const x = Number(value ?? 0);
    return Number.isFinite(x) ? (formats[digits] || nf(digits)).format(x) : '–';
  }

  /** A share as a percentage ("12.3 %"). */
  function pct(value, digits = 1) { return `${num(Number(value) * 100, digits)} %`; }

  /** A time in UTC, to the second ("2026-12-01 23:17:10 UTC"). */
  function time(unixMs) {
    const ms = Number(unixMs);
    if (!ms) return '–';
    return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }

  /** A bucket label: the date and time to the minute, or to the second for buckets shorter than a minute. */
  function bucketLabel(unixMs, bucketSeconds) {
    const iso = new Date(Number(unixMs)).toISOString().replace('T', ' ');
    if (bucketSeconds >= 86400) return iso.slice(0, 10);
    return bucketSeconds >= 60 ? iso.slice(5, 16) : iso.slice(11, 19);
  }

  /** An estimate with its interval: "1.23 [0.50, 1.96]". */
  function interval(uplift, digits = 2) {
    const u = uplift || {};
    return `${num(u.estimate, digits)} [${num(u.lower, digits)}, ${num(u.upper, digits)}]`;
  }

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Calls the dashboard API; a 401 goes to the login page, other failures throw with the service's message. */
  async function api(path, options = {}) {
    const init = { credentials: 'same-origin', headers: { Accept: 'application/json' }, ...options };
    if (init.method && init.method !== 'GET') {
      init.headers = { ...init.headers, 'Content-Type': 'application/json', 'X-Loops-Dashboard': '1' };
    }
    const response = await fetch(`/dashboard/api${path}`, init);
    if (response.status === 401) {
      location.assign(`/dashboard/login?next=${encodeURIComponent(location.pathname + location.search)}`);
      throw new Error('not logged in');
    }
    const body = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) {
      const error = new Error((body && body.error) || `${response.status} ${response.statusText}`);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  /** Fills the header with who is logged in and a logout button; returns the identity. */
  async function header() {
    const me = await api('/me');
    const who = document.getElementById('who');
    who.textContent = `${me.name} (${me.role})`;
    document.getElementById('logout').addEventListener('click', async () => {
      await api('/logout', { method: 'POST' });
      location.assign('/dashboard/login');
    });
    return me;
  }

  function alertBadges(alerts) {
    if (!alerts || alerts.length === 0) return [el('span', { class: 'badge ok', text: 'none' })];
    return alerts.map((a) => el('span', { class: `badge ${a.severity}`, title: a.message, 'data-alert': a.code, text: a.code.replaceAll('_', ' ') }));
  }

  /** Marks the page done (tests and screenshots wait for it) or failed, with the message shown. */
  function done(error) {
    if (error) {
      const box = document.getElementById('page-error');
      if (box) box.textContent = `Could not load: ${error.message}`;
      document.body.dataset.status = 'error';
      return;
    }
    document.body.dataset.status = 'ready';
  }

  /** Asks to confirm in a modal dialog; resolves true when confirmed. */
  function confirmDialog(title, text, action) {
    return new Promise((resolve) => {
      const dialog = el('dialog', { id: 'confirm-dialog' },
        el('h2', { text: title }), el('p', { text }),
        el('div', { class: 'actions' },
          el('button', { type: 'button', id: 'confirm-cancel', text: 'Cancel', onclick: () => { dialog.close(); resolve(false); } }),
          el('button', { type: 'button', id: 'confirm-ok', class: 'danger', text: action, onclick: () => { dialog.close(); resolve(true); } })));
      dialog.addEventListener('close', () => dialog.remove());
      document.body.append(dialog);
      dialog.showModal();
    });
  }

  return { num, pct, time, bucketLabel, interval, el, api, header, alertBadges, done, confirmDialog };
})();
