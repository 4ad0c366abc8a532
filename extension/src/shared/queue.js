// The capture queue in IndexedDB (sized for 8 MiB pages, unlike chrome.storage). Items stay until
// the backend's receipt for them verifies; the worker can be stopped at any point in between.
import {QUEUE, run as runIn} from "./db.js";

const run = (mode, body) => runIn(QUEUE, mode, body);

export function put(item) {
  return run("readwrite", (store) => { store.put(item); });
}

export function remove(clientId) {
  return run("readwrite", (store) => { store.delete(clientId); });
}

export function count() {
  return run("readonly", (store, done) => {
    const req = store.count();
    req.onsuccess = () => done(req.result);
  });
}

/** Up to `limit` items whose next attempt is due, earliest first. */
export function due(now, limit = 4) {
  return run("readonly", (store, done) => {
    const req = store.index("next_at").getAll(IDBKeyRange.upperBound(now), limit);
    req.onsuccess = () => done(req.result);
  });
}

/** The time of the earliest pending attempt, or null when the queue is empty. */
export function nextDueAt() {
  return run("readonly", (store, done) => {
    const req = store.index("next_at").openCursor();
    req.onsuccess = () => done(req.result ? req.result.value.next_at : null);
  });
}

/** Make every waiting item due now (the backend answered again, so their backoff is moot). */
export function makeAllDue(now) {
  return run("readwrite", (store) => {
    const req = store.index("next_at").openCursor(IDBKeyRange.lowerBound(now, true));
    req.onsuccess = () => {
      const cursor = req.result;
      if (!cursor) return;
      cursor.update({...cursor.value, next_at: now});
      cursor.continue();
    };
  });
}

/** Hold every waiting item until at least `until` (a quota says nothing goes in before then). */
export function deferAll(until) {
  return run("readwrite", (store) => {
    const req = store.index("next_at").openCursor(IDBKeyRange.upperBound(until, true));
    req.onsuccess = () => {
      const cursor = req.result;
      if (!cursor) return;
      cursor.update({...cursor.value, next_at: until});
      cursor.continue();
    };
  });
}
