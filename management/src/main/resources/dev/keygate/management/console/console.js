/*
 * Keygate API keys page: plain ES2020 module, no framework, no build, nothing loaded from elsewhere
 * (CSP: default-src 'self'; frame-ancestors 'none'). Every value from the API is inserted as text
 * (textContent / createElement / attribute values), never as HTML. The management key lives in one
 * module variable only: never in web storage, a cookie, the URL or the browser's log.
 *
 * Stable hooks for tests (ids unless marked data-test):
 *   header        #product-name, #org-name, #sign-out
 *   feedback      #notice (role=status, outcome of the last action; class notice-error on failure),
 *                 #error-banner (list load failures), #loading
 *   sign-in       #sign-in-view, #sign-in-form, #management-key, #toggle-key-visibility, #sign-in-submit,
 *                 #management-key-error, #session-ended ("Your session ended; sign in again.")
 *   session mode  #session-required-view, #session-retry
 *   list          #keys-view, #keys-heading, #refresh, #create-key, #filter-status, #filter-environment,
 *                 #key-count ("12 keys"), #empty-state, #empty-create, #no-match, #keys-table, #keys-body,
 *                 #paging, #page-prev, #page-info, #page-next
 *   a key row     tr[data-test=key-row][data-key-id=ID] with cells td[data-test=name|hint|scopes|environment|
 *                 status|created|expires|last-used|usage|actions]; inside: [data-test=scope-chip],
 *                 [data-test=full-access-chip], [data-test=status-badge] (text Active|Revoked|Expired),
 *                 [data-test=expires-soon], [data-test=leaked-badge] ("Leaked": revoked by a leak report),
 *                 [data-test=compromised-badge] ("Compromised": reported leaked, still working),
 *                 [data-test=leak-note] (when and where it was found), buttons [data-test=regenerate|revoke|delete]
 *   create        #create-dialog, #create-form, #create-name, #create-full-access (only when the caller may
 *                 grant full access), #create-scope-groups with fieldset[data-test=scope-group][data-section]
 *                 and input[data-test=scope-checkbox][data-scope=NAME], #create-environment, #create-expiry
 *                 (30|60|90|365|never|custom), #create-expiry-date, #create-expiry-summary ("Expires on ..."),
 *                 #create-allowed-ips, #create-advanced (details), #create-rate-requests, #create-rate-period,
 *                 errors #create-name-error, #create-scopes-error, #create-environment-error,
 *                 #create-expiry-error, #create-allowed-ips-error, #create-rate-limit-error, #create-error,
 *                 #create-cancel, #create-submit
 *   show once     #show-once-dialog, #show-once-name, #show-once-key, #show-once-copy ("Copy" -> "Copied"),
 *                 #show-once-warning, #show-once-close, #show-once-confirm ("Have you saved the key?"),
 *                 #show-once-confirm-yes, #show-once-confirm-no
 *   regenerate    #regenerate-dialog, #regenerate-name, #regenerate-grace (0|3600|86400|604800),
 *                 #regenerate-error, #regenerate-cancel, #regenerate-submit
 *   revoke        #revoke-dialog, #revoke-name, #revoke-error, #revoke-cancel, #revoke-submit ("Revoke key")
 *   delete        #delete-dialog, #delete-name, #delete-error, #delete-cancel, #delete-submit
 */

const PAGE_SIZE = 50;
const DAY_MS = 86_400_000;
const SOON_MS = 7 * DAY_MS;
const WORKING = 'Working…';
const SESSION_ENDED = 'Your session ended; sign in again.';

const $ = (id) => document.getElementById(id);

/* ------------------------------------------------------------------ state */

const config = { apiBase: '/api/v1', productName: 'API keys', signIn: 'key' };
/** The management key (mode "key"): this variable is its only home. */
let managementKey = null;
/** Who is signed in: {organization, subject, full_access, scopes}. */
let session = null;
let environments = [];
let catalogue = { scopes: [], full_access_grantable: false };
/**
 * The page shown: it starts after `cursor` (null: the first page), at position `start`; `back` holds
 * the {cursor, start} of the pages before it, `nextCursor` the API's next_cursor (null on the last page).
 */
const list = { cursor: null, start: 0, back: [], nextCursor: null, total: 0, items: [], status: '', environment: '' };

/** Back to the first page (a new filter, a new session). */
function firstPage() {
  list.cursor = null;
  list.start = 0;
  list.back = [];
  list.nextCursor = null;
}
/** Bumped on sign-out so that answers to requests sent before it are ignored. */
let generation = 0;
/** The key shown once: kept only while its dialog is open. */
let shownKey = null;

/* ------------------------------------------------------------------ API */

class ApiError extends Error {
  constructor(status, detail, body, retryAfter) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.body = body || {};
    this.retryAfter = retryAfter;
  }
}

class SessionGone extends Error {}

/**
 * Calls the management API. Resolves with the JSON body (null for 204); rejects with ApiError.
 * A 401 after sign-in ends the session (back to sign-in) and rejects with SessionGone.
 */
async function api(method, path, body, { signingIn = false } = {}) {
  const gen = generation;
  const headers = { Accept: 'application/json' };
  if (config.signIn === 'key' && managementKey !== null) {
    headers['X-API-Key'] = managementKey;
  }
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store', referrerPolicy: 'no-referrer' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(config.apiBase + path, init);
  } catch (e) {
    throw new ApiError(0, 'Could not reach the server. Check your connection and try again.');
  }
  if (gen !== generation) {
    throw new SessionGone();
  }
  let data = null;
  if (res.status !== 204) {
    try {
      data = await res.json();
    } catch (e) {
      data = null;
    }
  }
  if (res.ok) {
    return data;
  }
  const detail = data && typeof data.detail === 'string' && data.detail !== ''
    ? data.detail : defaultDetail(res.status);
  const error = new ApiError(res.status, detail, data, res.headers.get('Retry-After'));
  if (res.status === 401 && !signingIn) {
    endSession(SESSION_ENDED);
    throw new SessionGone();
  }
  throw error;
}

function defaultDetail(status) {
  if (status === 401) return 'This key is not valid.';
  if (status === 403) return 'This key is not allowed to do that.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many requests.';
  if (status >= 500) return 'The server could not answer; try again later.';
  return `The request failed (HTTP ${status}).`;
}

/** The words to show for a failed request. */
function describe(error) {
  if (!(error instanceof ApiError)) {
    return 'Something went wrong; try again.';
  }
  if (error.status === 429) {
    const seconds = Number.parseInt(error.retryAfter, 10);
    return Number.isFinite(seconds) && seconds >= 0
      ? `Too many requests. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`
      : `Too many requests. ${error.detail}`;
  }
  if (error.status === 503) {
    return `${error.detail} Try again in a moment.`;
  }
  return error.detail;
}

/* ------------------------------------------------------------------ small helpers */

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function show(node, visible) {
  node.hidden = !visible;
}

let noticeTimer = 0;
function notify(text, isError = false) {
  const notice = $('notice');
  clearTimeout(noticeTimer);
  notice.classList.toggle('notice-error', isError);
  notice.textContent = text;
  if (!isError) {
    noticeTimer = setTimeout(() => { notice.textContent = ''; }, 8000);
  }
}

function clearNotice() {
  clearTimeout(noticeTimer);
  $('notice').textContent = '';
}

/** Disables a button and shows "Working…" while the action runs; restores it afterwards. */
async function withProgress(button, action) {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = WORKING;
  button.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } finally {
    button.disabled = false;
    button.textContent = label;
    button.removeAttribute('aria-busy');
  }
}

const numberFormat = new Intl.NumberFormat('en-US');
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

function isoDate(date) {
  return date.toISOString().slice(0, 10);
}

function isoDateTime(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function readableDateTime(date) {
  return `${isoDate(date)} ${date.toISOString().slice(11, 16)} UTC`;
}

function relativeTime(date, now = Date.now()) {
  const diff = date.getTime() - now;
  const abs = Math.abs(diff);
  const units = [
    ['year', 365 * DAY_MS], ['month', 30 * DAY_MS], ['day', DAY_MS],
    ['hour', 3_600_000], ['minute', 60_000],
  ];
  for (const [unit, ms] of units) {
    if (abs >= ms) {
      return relative.format(Math.round(diff / ms), unit);
    }
  }
  return diff <= 0 ? 'just now' : 'in less than a minute';
}

function parseDate(value) {
  if (typeof value !== 'string' || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function plural(count, one, many) {
  return `${numberFormat.format(count)} ${count === 1 ? one : many}`;
}

/* ------------------------------------------------------------------ dialogs */

const openers = new WeakMap();

/**
 * Opens a modal dialog (native focus trap) and remembers what to focus when it closes: the opener
 * if it is still on the page, else the same action in the same key's row (the list is redrawn after
 * every action), else the list's heading.
 */
function openDialog(dialog, opener) {
  const from = opener || document.activeElement;
  openers.set(dialog, {
    element: from,
    keyId: from && from.closest ? from.closest('tr[data-key-id]')?.dataset.keyId : undefined,
    test: from && from.dataset ? from.dataset.test : undefined,
  });
  dialog.showModal();
}

function openerOf(dialog) {
  return openers.get(dialog)?.element || null;
}

function restoreFocus(dialog) {
  const saved = openers.get(dialog);
  openers.delete(dialog);
  if (!saved) return;
  focusTarget(saved);
}

function focusTarget({ element, keyId, test }) {
  if (document.querySelector('dialog[open]')) return;
  if (element && element.isConnected && !element.closest('[hidden]') && !element.disabled) {
    element.focus();
    return;
  }
  if (keyId) {
    const row = rowOf(keyId);
    const same = row && test ? row.querySelector(`[data-test="${CSS.escape(test)}"]`) : null;
    const any = row ? row.querySelector('button') : null;
    if (same || any) {
      (same || any).focus();
      return;
    }
  }
  const heading = $('keys-view').hidden ? null : $('keys-heading');
  if (heading) heading.focus();
}

function rowOf(keyId) {
  return $('keys-body').querySelector(`tr[data-key-id="${CSS.escape(keyId)}"]`);
}

function setupDialog(dialog, { onCancel } = {}) {
  dialog.addEventListener('close', () => restoreFocus(dialog));
  // a click on the backdrop lands on the dialog itself (its content fills it edge to edge)
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) {
      if (onCancel) onCancel();
      else dialog.close();
    }
  });
  if (onCancel) {
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      onCancel();
    });
  }
}

function closeAllDialogs() {
  for (const dialog of document.querySelectorAll('dialog[open]')) {
    openers.delete(dialog);
    dialog.close();
  }
}

/* ------------------------------------------------------------------ views */

function showView(name) {
  show($('loading'), name === 'loading');
  show($('sign-in-view'), name === 'sign-in');
  show($('session-required-view'), name === 'session-required');
  show($('keys-view'), name === 'keys');
  const signedIn = name === 'keys';
  show($('org'), signedIn);
  show($('sign-out'), signedIn && config.signIn === 'key');
}

function showSignIn(message) {
  const ended = $('session-ended');
  ended.textContent = message || '';
  show(ended, Boolean(message));
  clearFieldError($('management-key'), $('management-key-error'));
  showView('sign-in');
  $('management-key').focus();
}

/** Forgets everything about the signed-in caller and returns to sign-in. */
function endSession(message) {
  generation += 1;
  managementKey = null;
  session = null;
  catalogue = { scopes: [], full_access_grantable: false };
  environments = [];
  forgetShownKey();
  closeAllDialogs();
  list.items = [];
  list.total = 0;
  firstPage();
  $('keys-body').replaceChildren();
  $('org-name').textContent = '';
  $('error-banner').hidden = true;
  clearNotice();
  if (config.signIn === 'key') {
    showSignIn(message);
  } else {
    $('session-required-message').textContent = message || 'Sign in to the application, then reload this page.';
    showView('session-required');
    $('session-retry').focus();
  }
}

/* ------------------------------------------------------------------ sign-in */

function setFieldError(input, errorNode, text) {
  errorNode.textContent = text;
  errorNode.hidden = false;
  input.setAttribute('aria-invalid', 'true');
}

function clearFieldError(input, errorNode) {
  errorNode.textContent = '';
  errorNode.hidden = true;
  input.removeAttribute('aria-invalid');
}

async function signInWithKey(event) {
  event.preventDefault();
  const input = $('management-key');
  const errorNode = $('management-key-error');
  const key = input.value.trim();
  clearFieldError(input, errorNode);
  if (key === '') {
    setFieldError(input, errorNode, 'Enter a management key.');
    input.focus();
    return;
  }
  managementKey = key;
  try {
    await withProgress($('sign-in-submit'), () => startSession());
    input.value = '';
    setKeyVisible(false);
  } catch (error) {
    managementKey = null;
    if (error instanceof SessionGone) return;
    let text = describe(error);
    if (error instanceof ApiError && error.status === 403) {
      text = 'This key cannot manage keys.';
    } else if (error instanceof ApiError && error.status === 401) {
      text = `This key was not accepted: ${error.detail}`;
    }
    showView('sign-in');
    setFieldError(input, errorNode, text);
    input.focus();
  }
}

/** Asks who is signed in, then loads the catalogue, the environments and the first page of keys. */
async function startSession() {
  const gen = generation;
  const who = await api('GET', '/session', undefined, { signingIn: true });
  const [scopes, envs] = await Promise.all([
    api('GET', '/scopes', undefined, { signingIn: true }),
    api('GET', '/environments', undefined, { signingIn: true }),
  ]);
  if (gen !== generation) throw new SessionGone();
  session = who || {};
  catalogue = normaliseCatalogue(scopes);
  environments = Array.isArray(envs?.environments) ? envs.environments.filter((e) => typeof e === 'string') : [];
  $('org-name').textContent = session.organization || '';
  fillEnvironmentSelect($('filter-environment'), 'All');
  firstPage();
  list.status = '';
  list.environment = '';
  $('filter-status').value = '';
  $('session-ended').hidden = true;
  showView('keys');
  await loadKeys();
  $('keys-heading').focus();
}

function normaliseCatalogue(body) {
  const scopes = Array.isArray(body?.scopes) ? body.scopes.filter((s) => s && typeof s.name === 'string') : [];
  return { scopes, full_access_grantable: body?.full_access_grantable === true };
}

function fillEnvironmentSelect(select, emptyLabel) {
  const current = select.value;
  select.replaceChildren(el('option', { value: '', text: emptyLabel }));
  for (const env of environments) {
    select.append(el('option', { value: env, text: env }));
  }
  select.value = environments.includes(current) ? current : '';
}

function setKeyVisible(visible) {
  const input = $('management-key');
  const toggle = $('toggle-key-visibility');
  input.type = visible ? 'text' : 'password';
  toggle.textContent = visible ? 'Hide' : 'Show';
  toggle.setAttribute('aria-pressed', String(visible));
  toggle.setAttribute('aria-label', visible ? 'Hide the management key' : 'Show the management key');
}

/* ------------------------------------------------------------------ the list */

async function loadKeys() {
  const params = new URLSearchParams();
  if (list.status) params.set('status', list.status);
  if (list.environment) params.set('environment', list.environment);
  if (list.cursor) params.set('cursor', list.cursor);
  params.set('limit', String(PAGE_SIZE));
  try {
    const page = await api('GET', `/keys?${params}`);
    list.items = Array.isArray(page?.items) ? page.items : [];
    list.total = Number.isFinite(page?.total) ? page.total : list.items.length;
    list.nextCursor = page?.has_more === true && typeof page.next_cursor === 'string' ? page.next_cursor : null;
    if (list.items.length === 0 && list.back.length > 0) {
      // the last page emptied (a delete): step back one page
      ({ cursor: list.cursor, start: list.start } = list.back.pop());
      return loadKeys();
    }
    $('error-banner').hidden = true;
    renderKeys();
  } catch (error) {
    if (error instanceof SessionGone) throw error;
    $('error-banner').textContent = `The keys could not be loaded. ${describe(error)}`;
    $('error-banner').hidden = false;
  }
  return undefined;
}

function renderKeys() {
  const body = $('keys-body');
  // the list is redrawn after every action: keep the focus on the same button of the same key
  const focused = body.contains(document.activeElement) ? {
    element: null,
    keyId: document.activeElement.closest('tr[data-key-id]')?.dataset.keyId,
    test: document.activeElement.dataset.test,
  } : null;

  const now = Date.now();
  body.replaceChildren(...list.items.map((key) => keyRow(key, now)));

  const filtered = list.status !== '' || list.environment !== '';
  $('key-count').textContent = plural(list.total, 'key', 'keys');
  show($('empty-state'), list.total === 0 && !filtered);
  show($('no-match'), list.total === 0 && filtered);
  show($('keys-table-wrap'), list.items.length > 0);
  show($('filters'), list.total > 0 || filtered);

  const pages = list.total > PAGE_SIZE;
  show($('paging'), pages);
  if (pages) {
    const first = list.start + 1;
    const last = list.start + list.items.length;
    $('page-info').textContent = `${numberFormat.format(first)}–${numberFormat.format(last)} of ${numberFormat.format(list.total)}`;
    $('page-prev').disabled = list.back.length === 0;
    $('page-next').disabled = list.nextCursor === null;
  }
  if (focused) focusTarget(focused);
}

function cell(label, test, ...children) {
  const nowrap = test === 'created';
  return el('td', { 'data-label': label, 'data-test': test, class: nowrap ? 'nowrap' : undefined }, ...children);
}

function keyRow(key, now) {
  const id = String(key.id ?? '');
  const name = String(key.name ?? '');
  const status = ['active', 'revoked', 'expired'].includes(key.status) ? key.status : 'expired';
  const created = parseDate(key.created_at);
  const expires = parseDate(key.expires_at);
  const lastUsed = parseDate(key.last_used_at);

  const row = el('tr', { 'data-test': 'key-row', 'data-key-id': id, 'data-status': status });
  row.append(
    el('td', { class: 'name', 'data-label': 'Name', 'data-test': 'name', text: name }),
    cell('Key', 'hint', el('code', { text: hintText(key.hint), title: `Key id ${id}` })),
    cell('Scopes', 'scopes', scopeChips(key)),
    cell('Environment', 'environment', key.environment
      ? document.createTextNode(String(key.environment)) : el('span', { class: 'muted', text: 'None' })),
    cell('Status', 'status', statusBadges(status, expires, now, key)),
    cell('Created', 'created', created
      ? el('time', { datetime: isoDateTime(created), title: readableDateTime(created), text: isoDate(created) })
      : el('span', { text: '—' })),
    cell('Expires', 'expires', expires
      ? el('span', { title: readableDateTime(expires), text: relativeTime(expires, now) })
      : el('span', { text: 'Never' })),
    cell('Last used', 'last-used', lastUsed
      ? el('span', { title: readableDateTime(lastUsed), text: relativeTime(lastUsed, now) })
      : el('span', { class: 'muted', text: 'Never' })),
    el('td', { class: 'num', 'data-label': 'Usage', 'data-test': 'usage',
      text: numberFormat.format(Number.isFinite(key.usage_count) ? key.usage_count : 0) }),
    cell('Actions', 'actions', rowActions(key, id, name, status)),
  );
  return row;
}

/** The hint as a shortened key: "kg_live_AbCdEf…". */
function hintText(hint) {
  const text = String(hint ?? '');
  return text.endsWith('…') ? text : `${text}…`;
}

function scopeChips(key) {
  const chips = el('ul', { class: 'chips' });
  const scopes = Array.isArray(key.scopes) ? key.scopes : [];
  if (key.full_access === true || scopes.length === 0) {
    chips.append(el('li', { class: 'chip chip-full', 'data-test': 'full-access-chip', text: 'All permissions',
      title: 'Full access to the organization' }));
  } else {
    for (const scope of scopes) {
      chips.append(el('li', { class: 'chip', 'data-test': 'scope-chip', text: String(scope) }));
    }
  }
  return chips;
}

const STATUS_LABELS = { active: 'Active', revoked: 'Revoked', expired: 'Expired' };

function statusBadges(status, expires, now, key) {
  const badges = el('div', { class: 'badges' },
    el('span', { class: `badge badge-${status}`, 'data-test': 'status-badge', text: STATUS_LABELS[status] }));
  if (status === 'active' && expires && expires.getTime() - now <= SOON_MS) {
    badges.append(el('span', { class: 'badge badge-soon', 'data-test': 'expires-soon', text: 'Expires soon' }));
  }
  const leak = key.leak && typeof key.leak === 'object' ? key.leak : null;
  if (status === 'revoked' && key.revoked_reason === 'leaked') {
    badges.append(el('span', { class: 'badge badge-leaked', 'data-test': 'leaked-badge', text: 'Leaked',
      title: 'Revoked: leaked (reported by GitHub secret scanning)' }));
  } else if (status === 'active' && key.compromised === true) {
    badges.append(el('span', { class: 'badge badge-compromised', 'data-test': 'compromised-badge', text: 'Compromised',
      title: 'Found in public and still working: regenerate or revoke it' }));
  }
  if (!leak || !(key.revoked_reason === 'leaked' || key.compromised === true)) {
    return badges;
  }
  // when and where, as text: the URL comes from the report and is never made a link
  const found = parseDate(leak.reported_at);
  const where = String(leak.url ?? '');
  const note = el('p', { class: 'leak-note', 'data-test': 'leak-note',
    text: key.revoked_reason === 'leaked'
      ? `Revoked: leaked (reported by GitHub secret scanning${found ? ` on ${isoDate(found)}` : ''}).`
      : `Reported leaked by GitHub secret scanning${found ? ` on ${isoDate(found)}` : ''}; it still works. Regenerate or revoke it.` });
  if (where !== '') {
    note.append(el('br'), el('span', { class: 'leak-url', title: where, text: `Found at ${where}` }));
  }
  return el('div', {}, badges, note);
}

function rowActions(key, id, name, status) {
  const actions = el('div', { class: 'row-actions' });
  const button = (test, text, handler, extra = '') => {
    const b = el('button', { type: 'button', class: `button button-secondary button-small ${extra}`,
      'data-test': test, 'aria-label': `${text} ${name}`, text });
    b.addEventListener('click', () => handler(key, b));
    return b;
  };
  if (status === 'active') {
    actions.append(button('regenerate', 'Regenerate', openRegenerate),
      button('revoke', 'Revoke', openRevoke, 'button-danger-text'));
  } else {
    actions.append(button('delete', 'Delete', openDelete, 'button-danger-text'));
  }
  return actions;
}

/** Runs after an action: reloads the list, turning a lost session into a return to sign-in. */
async function refreshAfterAction() {
  try {
    await loadKeys();
  } catch (error) {
    if (!(error instanceof SessionGone)) throw error;
  }
}

/* ------------------------------------------------------------------ create */

const CREATE_FIELDS = {
  name: ['create-name', 'create-name-error'],
  scopes: ['create-full-access', 'create-scopes-error'],
  environment: ['create-environment', 'create-environment-error'],
  expires_at: ['create-expiry', 'create-expiry-error'],
  allowed_ips: ['create-allowed-ips', 'create-allowed-ips-error'],
  rate_limit: ['create-rate-requests', 'create-rate-limit-error'],
};

function fieldInput(field) {
  if (field === 'scopes') {
    return $('create-full-access-row').hidden
      ? ($('create-scope-groups').querySelector('input') || $('create-scopes')) : $('create-full-access');
  }
  if (field === 'expires_at' && $('create-expiry').value === 'custom') return $('create-expiry-date');
  return $(CREATE_FIELDS[field][0]);
}

function setCreateError(field, text) {
  const [, errorId] = CREATE_FIELDS[field];
  setFieldError(fieldInput(field), $(errorId), text);
  if (field === 'rate_limit') $('create-advanced').open = true;
}

function clearCreateErrors() {
  for (const field of Object.keys(CREATE_FIELDS)) {
    clearFieldError(fieldInput(field), $(CREATE_FIELDS[field][1]));
  }
  for (const input of $('create-dialog').querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  $('create-error').hidden = true;
  $('create-error').textContent = '';
}

async function openCreate(event) {
  const opener = event.currentTarget;
  clearNotice();
  const form = $('create-form');
  form.reset();
  clearCreateErrors();
  $('create-advanced').open = false;
  $('create-expiry-date-row').hidden = true;
  fillEnvironmentSelect($('create-environment'), 'Not set');
  try {
    // the catalogue may have changed since sign-in
    catalogue = normaliseCatalogue(await withProgress(opener, () => api('GET', '/scopes')));
  } catch (error) {
    if (error instanceof SessionGone) return;
    notify(`The scopes could not be loaded. ${describe(error)}`, true);
    return;
  }
  renderScopeChoices();
  updateExpirySummary();
  openDialog($('create-dialog'), opener);
  $('create-name').focus();
}

function renderScopeChoices() {
  const grantable = catalogue.scopes.filter((s) => s.grantable === true);
  const sections = new Map();
  for (const scope of grantable) {
    const section = scope.name.includes('.') ? scope.name.slice(0, scope.name.indexOf('.')) : scope.name;
    if (!sections.has(section)) sections.set(section, []);
    sections.get(section).push(scope);
  }
  const groups = [];
  let n = 0;
  for (const [section, scopes] of sections) {
    const group = el('fieldset', { class: 'scope-group', 'data-test': 'scope-group', 'data-section': section },
      el('legend', { text: section }));
    for (const scope of scopes) {
      n += 1;
      const inputId = `scope-option-${n}`;
      const descId = `scope-option-${n}-description`;
      const description = typeof scope.description === 'string' ? scope.description : '';
      const input = el('input', { type: 'checkbox', id: inputId, value: scope.name, 'data-test': 'scope-checkbox',
        'data-scope': scope.name, 'aria-describedby': description ? descId : undefined });
      input.addEventListener('change', () => clearFieldError(fieldInput('scopes'), $('create-scopes-error')));
      const option = el('div', { class: 'scope-option' }, input, el('label', { for: inputId, text: scope.name }));
      if (description) option.append(el('span', { class: 'scope-description', id: descId, text: description }));
      group.append(option);
    }
    groups.push(group);
  }
  $('create-scope-groups').replaceChildren(...groups);
  $('create-full-access-row').hidden = !catalogue.full_access_grantable;
  $('create-full-access').checked = false;
  $('create-scopes-none').hidden = grantable.length > 0 || catalogue.full_access_grantable;
  applyFullAccessSwitch();
}

function applyFullAccessSwitch() {
  const on = $('create-full-access').checked && catalogue.full_access_grantable;
  for (const box of $('create-scope-groups').querySelectorAll('input[type=checkbox]')) {
    box.disabled = on;
    box.closest('.scope-option').classList.toggle('disabled', on);
  }
  clearFieldError(fieldInput('scopes'), $('create-scopes-error'));
}

function expiryChoice() {
  const choice = $('create-expiry').value;
  if (choice === 'never') return { never: true };
  if (choice === 'custom') {
    const value = $('create-expiry-date').value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return { error: 'Choose the date the key expires.' };
    const date = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(date.getTime())) return { error: 'Choose the date the key expires.' };
    if (date.getTime() <= Date.now()) return { error: 'Choose a date in the future.' };
    return { date };
  }
  const days = Number.parseInt(choice, 10);
  return { date: new Date(Date.now() + days * DAY_MS) };
}

function updateExpirySummary() {
  const custom = $('create-expiry').value === 'custom';
  $('create-expiry-date-row').hidden = !custom;
  if (custom) $('create-expiry-date').min = isoDate(new Date(Date.now() + DAY_MS));
  const choice = expiryChoice();
  const summary = $('create-expiry-summary');
  if (choice.never) summary.textContent = 'The key never expires.';
  else if (choice.date) summary.textContent = `Expires on ${isoDate(choice.date)}`;
  else summary.textContent = '';
  clearFieldError(fieldInput('expires_at'), $('create-expiry-error'));
}

/* IP addresses and CIDR ranges, as the API accepts them */

function isIPv4(text) {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

function isIPv6(text) {
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || text.length > 45) return false;
  let head = text;
  let extra = 0;
  const lastColon = head.lastIndexOf(':');
  if (head.includes('.')) {
    // an embedded IPv4 address takes the place of the last two groups
    if (!isIPv4(head.slice(lastColon + 1))) return false;
    head = `${head.slice(0, lastColon + 1)}0:0`;
    extra = 0;
  }
  const halves = head.split('::');
  if (halves.length > 2) return false;
  const groups = (half) => (half === '' ? [] : half.split(':'));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const all = left.concat(right);
  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const count = all.length + extra;
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** Null when the line is an address or range; else why not. */
function ipLineProblem(line) {
  const slash = line.indexOf('/');
  const address = slash < 0 ? line : line.slice(0, slash);
  const prefix = slash < 0 ? null : line.slice(slash + 1);
  const v4 = isIPv4(address);
  const v6 = !v4 && isIPv6(address);
  if (!v4 && !v6) return 'is not an IPv4 or IPv6 address';
  if (prefix !== null) {
    const max = v4 ? 32 : 128;
    if (!/^(0|[1-9]\d{0,2})$/.test(prefix) || Number(prefix) > max) {
      return `has a range size that is not 0 to ${max}`;
    }
  }
  return null;
}

/** {ips} or {error} for the allowed addresses text. */
function parseAllowedIps(text) {
  const lines = text.split('\n');
  const ips = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i].trim();
    if (line === '') continue;
    const problem = ipLineProblem(line);
    if (problem) return { error: `Line ${i + 1} ("${line.length > 60 ? `${line.slice(0, 60)}…` : line}") ${problem}.` };
    ips.push(line);
  }
  return { ips };
}

function validateAllowedIps() {
  const result = parseAllowedIps($('create-allowed-ips').value);
  if (result.error) setCreateError('allowed_ips', result.error);
  else clearFieldError($('create-allowed-ips'), $('create-allowed-ips-error'));
  return result;
}

/** Builds the request body, or shows every problem beside its field and returns null. */
function createRequest() {
  clearCreateErrors();
  const problems = [];
  const body = {};

  const name = $('create-name').value.trim();
  if (name === '') problems.push(['name', 'Enter a name for the key.']);
  else body.name = name;

  const full = catalogue.full_access_grantable && $('create-full-access').checked;
  const chosen = [...$('create-scope-groups').querySelectorAll('input[type=checkbox]:checked')].map((b) => b.value);
  if (full) {
    body.scopes = [];
  } else if (chosen.length === 0) {
    problems.push(['scopes', catalogue.full_access_grantable
      ? 'Choose at least one scope, or turn on All permissions.' : 'Choose at least one scope.']);
  } else {
    body.scopes = chosen;
  }

  const environment = $('create-environment').value;
  if (environment !== '') body.environment = environment;

  const expiry = expiryChoice();
  if (expiry.error) problems.push(['expires_at', expiry.error]);
  else if (expiry.date) body.expires_at = isoDateTime(expiry.date);

  const ips = parseAllowedIps($('create-allowed-ips').value);
  if (ips.error) problems.push(['allowed_ips', ips.error]);
  else if (ips.ips.length > 0) body.allowed_ips = ips.ips;

  const requestsText = $('create-rate-requests').value.trim();
  if (requestsText !== '' || $('create-rate-requests').validity.badInput) {
    const requests = Number(requestsText);
    if (!Number.isInteger(requests) || requests < 1 || requests > 1_000_000_000) {
      problems.push(['rate_limit', 'Enter a whole number of requests of at least 1.']);
    } else {
      body.rate_limit = { requests, period_seconds: Number($('create-rate-period').value) };
    }
  }

  for (const [field, text] of problems) setCreateError(field, text);
  if (problems.length > 0) {
    fieldInput(problems[0][0]).focus();
    return null;
  }
  return body;
}

/** "at most 100 entries" -> "At most 100 entries." */
function sentence(text) {
  const trimmed = text.trim();
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** "name: is required" -> ['name', 'is required']; "allowed_ips[1]: ..." -> ['allowed_ips', ...]. */
function fieldOfDetail(detail) {
  const match = /^([a-z_]+)(?:[.[][^:]*)?:\s*(.+)$/s.exec(detail);
  if (!match || !(match[1] in CREATE_FIELDS)) return null;
  return [match[1], match[2]];
}

async function submitCreate(event) {
  event.preventDefault();
  const body = createRequest();
  if (body === null) return;
  const dialog = $('create-dialog');
  let created;
  try {
    created = await withProgress($('create-submit'), () => api('POST', '/keys', body));
  } catch (error) {
    if (error instanceof SessionGone) return;
    showCreateFailure(error);
    return;
  }
  const opener = openerOf(dialog);
  dialog.close();
  notify('Key created.');
  showOnce(created, opener, 'create');
  await refreshAfterAction();
}

function showCreateFailure(error) {
  if (error instanceof ApiError && error.status === 403 && Array.isArray(error.body.ungranted_scopes)) {
    setCreateError('scopes', error.detail);
    fieldInput('scopes').focus();
    return;
  }
  const field = error instanceof ApiError && error.status === 400 ? fieldOfDetail(error.detail) : null;
  if (field) {
    setCreateError(field[0], sentence(field[1]));
    fieldInput(field[0]).focus();
    return;
  }
  $('create-error').textContent = describe(error);
  $('create-error').hidden = false;
}

/* ------------------------------------------------------------------ show once */

let copyTimer = 0;

function showOnce(key, opener, reason) {
  shownKey = typeof key?.key === 'string' ? key.key : '';
  $('show-once-name').textContent = String(key?.name ?? '');
  $('show-once-key').value = shownKey;
  $('show-once-copy').textContent = 'Copy';
  $('show-once-copy-status').textContent = '';
  $('show-once-confirm').hidden = true;
  $('show-once-actions').hidden = false;
  $('show-once-dialog').dataset.reason = reason;
  openDialog($('show-once-dialog'), opener);
  $('show-once-key').focus();
  $('show-once-key').select();
}

/** The first attempt to close asks "Have you saved the key?"; the next one closes. */
function requestShowOnceClose() {
  if ($('show-once-confirm').hidden) {
    $('show-once-confirm').hidden = false;
    $('show-once-actions').hidden = true;
    $('show-once-confirm-yes').focus();
    return;
  }
  closeShowOnce();
}

function closeShowOnce() {
  const dialog = $('show-once-dialog');
  forgetShownKey();
  if (dialog.open) dialog.close();
}

function forgetShownKey() {
  shownKey = null;
  clearTimeout(copyTimer);
  $('show-once-key').value = '';
  $('show-once-name').textContent = '';
  $('show-once-copy').textContent = 'Copy';
}

async function copyShownKey() {
  if (!shownKey) return;
  const button = $('show-once-copy');
  const status = $('show-once-copy-status');
  let copied = false;
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(shownKey);
      copied = true;
    }
  } catch (e) {
    copied = false;
  }
  if (!copied) {
    const field = $('show-once-key');
    field.focus();
    field.select();
    try {
      copied = document.execCommand('copy');
    } catch (e) {
      copied = false;
    }
  }
  clearTimeout(copyTimer);
  if (copied) {
    button.textContent = 'Copied';
    status.textContent = 'The key is on your clipboard.';
    copyTimer = setTimeout(() => {
      button.textContent = 'Copy';
      status.textContent = '';
    }, 2000);
  } else {
    status.textContent = 'Copying is blocked here: the key is selected, copy it with your keyboard.';
    $('show-once-key').select();
  }
}

/* ------------------------------------------------------------------ regenerate, revoke, delete */

/** The key a confirmation dialog acts on. */
const pending = { regenerate: null, revoke: null, delete: null };

function openConfirm(kind, key, opener) {
  pending[kind] = key;
  clearNotice();
  $(`${kind}-name`).textContent = String(key.name ?? '');
  $(`${kind}-error`).textContent = '';
  $(`${kind}-error`).hidden = true;
  if (kind === 'regenerate') $('regenerate-grace').value = '0';
  openDialog($(`${kind}-dialog`), opener);
  $(kind === 'regenerate' ? 'regenerate-grace' : `${kind}-cancel`).focus();
}

function openRegenerate(key, opener) { openConfirm('regenerate', key, opener); }
function openRevoke(key, opener) { openConfirm('revoke', key, opener); }
function openDelete(key, opener) { openConfirm('delete', key, opener); }

async function runConfirmed(kind, event, request, done) {
  event.preventDefault();
  const key = pending[kind];
  if (!key) return;
  const dialog = $(`${kind}-dialog`);
  const errorNode = $(`${kind}-error`);
  errorNode.hidden = true;
  let result;
  try {
    result = await withProgress($(`${kind}-submit`), () => request(encodeURIComponent(String(key.id))));
  } catch (error) {
    if (error instanceof SessionGone) return;
    errorNode.textContent = describe(error);
    errorNode.hidden = false;
    if (error instanceof ApiError && (error.status === 404 || error.status === 409)) {
      await refreshAfterAction();
    }
    return;
  }
  pending[kind] = null;
  const opener = openerOf(dialog);
  dialog.close();
  done(result, opener);
  await refreshAfterAction();
}

function submitRegenerate(event) {
  const grace = Number($('regenerate-grace').value);
  return runConfirmed('regenerate', event,
    (id) => api('POST', `/keys/${id}/rotate`, grace > 0 ? { grace_period_seconds: grace } : undefined),
    (rotated, opener) => {
      const own = config.signIn === 'key' && session !== null && rotated.id === session.subject;
      if (own) {
        // the key this tab signed in with: its old secret can no longer manage keys (nor, without a
        // grace period, call anything), so the page goes on with the new one it has just been shown
        managementKey = rotated.key;
      }
      notify((grace > 0 ? 'Key regenerated. The previous secret keeps working during the grace period.'
        : 'Key regenerated. The previous secret no longer works.')
        + (own ? ' You are signed in with this key: this page now uses its new secret.' : ''));
      showOnce(rotated, opener, 'regenerate');
    });
}

function submitRevoke(event) {
  return runConfirmed('revoke', event, (id) => api('POST', `/keys/${id}/revoke`),
    () => notify('Key revoked.'));
}

function submitDelete(event) {
  return runConfirmed('delete', event, (id) => api('DELETE', `/keys/${id}`),
    () => notify('Key deleted.'));
}

/* ------------------------------------------------------------------ start */

async function loadConfig() {
  try {
    const res = await fetch('config.json', { cache: 'no-store', credentials: 'same-origin' });
    if (!res.ok) throw new Error(String(res.status));
    const body = await res.json();
    if (typeof body.api_base === 'string' && /^\/(?!\/)/.test(body.api_base)) {
      config.apiBase = body.api_base.replace(/\/+$/, '');
    }
    if (typeof body.product_name === 'string' && body.product_name.trim() !== '') {
      config.productName = body.product_name.trim();
    }
    if (body.sign_in === 'session') config.signIn = 'session';
    return true;
  } catch (e) {
    return false;
  }
}

function wire() {
  $('sign-in-form').addEventListener('submit', signInWithKey);
  $('toggle-key-visibility').addEventListener('click', () => {
    setKeyVisible($('management-key').type === 'password');
    $('management-key').focus();
  });
  $('management-key').addEventListener('input', () => clearFieldError($('management-key'), $('management-key-error')));
  $('sign-out').addEventListener('click', () => {
    endSession();
    notify('Signed out.');
  });
  $('session-retry').addEventListener('click', () => startSessionMode());

  $('refresh').addEventListener('click', (event) => withProgress(event.currentTarget, refreshAfterAction));
  $('filter-status').addEventListener('change', () => {
    list.status = $('filter-status').value;
    firstPage();
    refreshAfterAction();
  });
  $('filter-environment').addEventListener('change', () => {
    list.environment = $('filter-environment').value;
    firstPage();
    refreshAfterAction();
  });
  $('page-prev').addEventListener('click', () => {
    if (list.back.length === 0) return;
    ({ cursor: list.cursor, start: list.start } = list.back.pop());
    refreshAfterAction().then(() => $('keys-heading').focus());
  });
  $('page-next').addEventListener('click', () => {
    if (list.nextCursor === null) return;
    list.back.push({ cursor: list.cursor, start: list.start });
    list.start += list.items.length;
    list.cursor = list.nextCursor;
    refreshAfterAction().then(() => $('keys-heading').focus());
  });

  $('create-key').addEventListener('click', openCreate);
  $('empty-create').addEventListener('click', openCreate);
  $('create-form').addEventListener('submit', submitCreate);
  $('create-cancel').addEventListener('click', () => $('create-dialog').close());
  $('create-full-access').addEventListener('change', applyFullAccessSwitch);
  $('create-expiry').addEventListener('change', updateExpirySummary);
  $('create-expiry-date').addEventListener('input', updateExpirySummary);
  $('create-allowed-ips').addEventListener('input', validateAllowedIps);
  $('create-name').addEventListener('input', () => clearFieldError($('create-name'), $('create-name-error')));
  $('create-environment').addEventListener('change',
    () => clearFieldError($('create-environment'), $('create-environment-error')));
  $('create-rate-requests').addEventListener('input',
    () => clearFieldError($('create-rate-requests'), $('create-rate-limit-error')));
  setupDialog($('create-dialog'));

  setupDialog($('show-once-dialog'), { onCancel: requestShowOnceClose });
  $('show-once-close').addEventListener('click', requestShowOnceClose);
  $('show-once-confirm-yes').addEventListener('click', closeShowOnce);
  $('show-once-confirm-no').addEventListener('click', () => {
    $('show-once-confirm').hidden = true;
    $('show-once-actions').hidden = false;
    $('show-once-copy').focus();
  });
  $('show-once-copy').addEventListener('click', copyShownKey);
  $('show-once-dialog').addEventListener('close', forgetShownKey);

  for (const kind of ['regenerate', 'revoke', 'delete']) {
    setupDialog($(`${kind}-dialog`));
    $(`${kind}-cancel`).addEventListener('click', () => $(`${kind}-dialog`).close());
    $(`${kind}-dialog`).addEventListener('close', () => { pending[kind] = null; });
  }
  $('regenerate-form').addEventListener('submit', submitRegenerate);
  $('revoke-form').addEventListener('submit', submitRevoke);
  $('delete-form').addEventListener('submit', submitDelete);
}

async function startSessionMode() {
  showView('loading');
  try {
    await startSession();
  } catch (error) {
    if (error instanceof SessionGone) return;
    const message = error instanceof ApiError && error.status === 401
      ? 'Sign in to the application, then try again.'
      : error instanceof ApiError && error.status === 403 ? 'Your account cannot manage API keys.' : describe(error);
    endSession(message);
  }
}

async function main() {
  wire();
  const loaded = await loadConfig();
  $('product-name').textContent = config.productName;
  document.title = `API keys · ${config.productName}`;
  if (!loaded) {
    $('loading').hidden = true;
    $('error-banner').textContent = 'The page could not load its settings (config.json). Reload to try again.';
    $('error-banner').hidden = false;
    return;
  }
  if (config.signIn === 'session') {
    await startSessionMode();
  } else {
    showSignIn();
  }
}

main();
