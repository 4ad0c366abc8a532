// The one wrapper around extension state: settings and small state live in chrome.storage.local
// (they survive restarts), per-session facts (bytes already queued) in storage.session, and the
// bearer token in the extension's IndexedDB, where content scripts cannot read it (they can read
// storage.local, and they run in the page's process).
import {SECRETS, run} from "./db.js";
export const DEFAULT_BACKEND = "http://127.0.0.1:8765";

const DEFAULTS = Object.freeze({
  backendUrl: DEFAULT_BACKEND,
  token: null,         // kept in IndexedDB (see above), never in storage.local
  user: null,
  username: null,      // the account's name when signed in to a hosted account ("登录卡盾")
  keys: [],            // [{key_id, algorithm, public_key}] pinned from GET /v1/keys
  authState: "not_paired",   // paired | not_paired | unauthorized
  sites: [],           // extra shop hosts the user added
  paused: false,
  language: "auto",    // auto | zh_CN | en
  lastUpload: null,    // {at, url, id}
  lastWarnings: {},    // host → {at, url, id, warnings}
  remindersEnabled: true,    // the global switch of deadline reminders in this browser
  quotaNotice: null,   // {name, messages: {zh, en}, at, retry_at} while a quota holds captures back
});

const readToken = () => run(SECRETS, "readonly", (store, done) => {
  const req = store.get("token");
  req.onsuccess = () => done(req.result ?? null);
});

export async function getSettings() {
  const [stored, token] = await Promise.all([chrome.storage.local.get(Object.keys(DEFAULTS)), readToken()]);
  return {...DEFAULTS, ...stored, token};
}

export async function setSettings(patch) {
  const {token, ...rest} = patch;
  if (token !== undefined) {
    await run(SECRETS, "readwrite", (store) => { store.put(token, "token"); });
  }
  if (Object.keys(rest).length) await chrome.storage.local.set(rest);
}

export function normaliseBackend(url) {
  const text = String(url || "").trim() || DEFAULT_BACKEND;
  const parsed = new URL(text);
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new TypeError("backend URL must be http(s)");
  return parsed.origin + parsed.pathname.replace(/\/+$/, "");
}

/** Host names from free text (one per line, URLs or bare hosts), lower-cased, de-duplicated. */
export function parseSites(text) {
  const out = new Set();
  for (const raw of String(text || "").split(/[\s,，]+/)) {
    const item = raw.trim().toLowerCase();
    if (!item) continue;
    try {
      const host = new URL(item.includes("://") ? item : `https://${item.replace(/^\*\./, "")}`).hostname;
      // A site is a domain name (with a dot) or an IP address, nothing else.
      if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) || /^\[[0-9a-f:]+\]$/.test(host)) out.add(host);
    } catch {
      // not a host: ignore it rather than store garbage
    }
  }
  return [...out];
}

const SEEN_KEY = "seenSha256";
const SEEN_CAP = 2000;

/** Were these bytes already queued in this browser session (storage.session empties on restart)? */
export async function seenThisSession(sha256) {
  const {[SEEN_KEY]: seen = []} = await chrome.storage.session.get(SEEN_KEY);
  return seen.includes(sha256);
}

/** Remember bytes as queued for the rest of this browser session. */
export async function markSeen(sha256) {
  const {[SEEN_KEY]: seen = []} = await chrome.storage.session.get(SEEN_KEY);
  if (seen.includes(sha256)) return;
  seen.push(sha256);
  await chrome.storage.session.set({[SEEN_KEY]: seen.slice(-SEEN_CAP)});
}
