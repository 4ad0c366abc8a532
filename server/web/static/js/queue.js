// The upload queue: what the buyer shares or uploads goes into IndexedDB first and leaves only
// when the backend has acknowledged it (a 2xx answer naming what it stored, and for a file the
// SHA-256 of the very bytes we sent). Offline, the backend down or overloaded: the item waits and
// is tried again with backoff (on the next start, when the phone comes back online, from the
// service worker's background sync). A refusal (4xx) keeps the item with the backend's reason
// until the buyer removes it: nothing is dropped silently. One drain at a time, across the page
// and the service worker (Web Locks); retries reuse the item's client id.
import {ApiError, request} from "./api.js";
import {QUEUE, RESULTS, all, get, newId, openDb, put, setSetting} from "./db.js";
import {ENDPOINTS} from "./endpoints.js";

export const CHANNEL = "kadun-queue";
const LOCK = "kadun-queue-drain";
const BASE_DELAY_MS = 5000;
const MAX_DELAY_MS = 10 * 60 * 1000;
const KEEP_RESULTS = 100;

function announce(detail) {
  try {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage(detail);
    channel.close();
  } catch {
    // no BroadcastChannel: pages refresh on their own
  }
}

async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Queue a shared link for a server capture. */
export async function enqueueLink(url, {title = "", source = "app"} = {}) {
  const item = {id: newId("lnk"), type: "link", url, title, source, created_at: new Date().toISOString(),
                attempts: 0, next_at: 0, state: "pending", error: null};
  await put(QUEUE, item);
  announce({type: "queued", id: item.id});
  return item;
}

/** Queue a file (a screenshot): kept as a Blob with its SHA-256, for a dispute or on its own. */
export async function enqueueFile(blob, {name = "", kind = "other", disputeId = null, source = "app"} = {}) {
  const item = {id: newId("upl"), type: "file", blob, name: name || "screenshot", mime: blob.type || "",
                size: blob.size, sha256: await sha256Hex(blob), kind, dispute_id: disputeId, source,
                created_at: new Date().toISOString(), attempts: 0, next_at: 0, state: "pending", error: null};
  await put(QUEUE, item);
  announce({type: "queued", id: item.id});
  return item;
}

export const pending = () => all(QUEUE).then((items) => items.sort((a, b) => a.created_at.localeCompare(b.created_at)));
export const results = () => all(RESULTS).then((items) => items.sort((a, b) => b.at.localeCompare(a.at)));

/** Remove a refused item (the buyer's decision; a pending one is never removed for them). */
export async function discard(id) {
  const db = await openDb();
  await new Promise((resolve, reject) => {
    const tx = db.transaction(QUEUE, "readwrite");
    const store = tx.objectStore(QUEUE);
    const req = store.get(id);
    req.onsuccess = () => { if (req.result && req.result.state === "refused") store.delete(id); };
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  announce({type: "discarded", id});
}

async function send(item) {
  const previous = await ENDPOINTS.alreadyStored(item);
  if (previous) return {status: 200, data: previous};
  const {path, body, form, timeoutMs} = ENDPOINTS.requestFor(item);
  return request(path, {method: "POST", body: form || body, timeoutMs});
}

/** Is `data` the backend's acknowledgement of `item`? (a stored id; a file's own SHA-256) */
function acknowledged(item, data) {
  if (!data || typeof data !== "object") return false;
  const stored = ENDPOINTS.storedId(item, data);
  if (!stored) return false;
  if (item.type === "file") {
    let signed = null;
    try {
      signed = data.receipt && JSON.parse(data.receipt.payload).sha256;
    } catch {
      signed = null;
    }
    const named = data.sha256 || (data.attachment && data.attachment.sha256) || signed;
    if (named !== item.sha256 || (signed && signed !== item.sha256)) return false;
  }
  return true;
}

async function settle(item, data) {
  const result = {id: item.id, type: item.type, at: new Date().toISOString(), url: item.url || null,
                  name: item.name || null, kind: item.kind || null, dispute_id: item.dispute_id || null,
                  sha256: item.sha256 || null, response: ENDPOINTS.summary(item, data)};
  const db = await openDb();
  await new Promise((resolve, reject) => {
    const tx = db.transaction([QUEUE, RESULTS], "readwrite");
    tx.objectStore(RESULTS).put(result);
    tx.objectStore(QUEUE).delete(item.id);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  const kept = await results();
  for (const old of kept.slice(KEEP_RESULTS)) {
    await new Promise((resolve) => {
      openDb().then((d) => {
        const tx = d.transaction(RESULTS, "readwrite");
        tx.objectStore(RESULTS).delete(old.id);
        tx.oncomplete = resolve;
        tx.onerror = resolve;
      });
    });
  }
  return result;
}

function withLock(fn, wait) {
  // A routine drain skips when another (the service worker's, another tab's) is running; one the
  // buyer or the network asked for waits its turn, so it is never lost.
  if (globalThis.navigator && navigator.locks) {
    if (wait) return navigator.locks.request(LOCK, fn);
    return navigator.locks.request(LOCK, {ifAvailable: true}, (lock) => (lock ? fn() : {skipped: true}));
  }
  return fn();
}

/**
 * Send every due item once. `force`: also those waiting out a backoff (back online, or the
 * buyer asked). Resolves to {sent, waiting, refused, unauthorized, skipped}.
 */
export function drain({force = false} = {}) {
  return withLock(async () => {
    const outcome = {sent: 0, waiting: 0, refused: 0, unauthorized: false};
    for (const queued of await pending()) {
      // Re-read: another drain (before this lock) may have settled or changed it.
      const item = await get(QUEUE, queued.id);
      if (!item || item.state === "refused") {
        if (item) outcome.refused++;
        continue;
      }
      if (outcome.unauthorized || (!force && item.next_at > Date.now())) {
        outcome.waiting++;
        continue;
      }
      try {
        const {data} = await send(item);
        if (!acknowledged(item, data)) throw new ApiError(0, "not_acknowledged", "the answer does not name what was sent");
        await settle(item, data);
        outcome.sent++;
        announce({type: "sent", id: item.id});
      } catch (error) {
        const status = error instanceof ApiError ? error.status : 0;
        item.attempts += 1;
        item.error = {status, code: error.code || "error", message: error.message || String(error),
                      reason: (error.details && error.details.reason) || null,
                      messages: (error.details && error.details.messages) || null};
        if (status === 401) {
          // Not paired (revoked, or never): keep everything and wait for pairing.
          outcome.unauthorized = true;
          await setSetting("authState", "unauthorized");
        }
        if (error instanceof ApiError && !error.transient && status !== 401 && !ENDPOINTS.retryable(item, error)) {
          item.state = "refused";
          outcome.refused++;
        } else {
          item.next_at = Date.now() + Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(item.attempts - 1, 10));
          outcome.waiting++;
        }
        await put(QUEUE, item);
        announce({type: "failed", id: item.id});
      }
    }
    return outcome;
  }, force);
}
