// The app's IndexedDB, shared by the page and the service worker: settings (the bearer token
// lives here, where both can read it), the upload queue, acknowledged results and the inbox of
// shares that the service worker took from the Web Share Target.
const NAME = "kadun-m";
const VERSION = 1;
export const KV = "kv";
export const QUEUE = "queue";
export const RESULTS = "results";
export const INBOX = "inbox";

let opening = null;

export function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(NAME, VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains(KV)) db.createObjectStore(KV);
        if (!db.objectStoreNames.contains(QUEUE)) db.createObjectStore(QUEUE, {keyPath: "id"});
        if (!db.objectStoreNames.contains(RESULTS)) db.createObjectStore(RESULTS, {keyPath: "id"});
        if (!db.objectStoreNames.contains(INBOX)) db.createObjectStore(INBOX, {keyPath: "id"});
      };
      req.onsuccess = () => {
        const db = req.result;
        // Another tab upgrading the schema: let it, and open again next time.
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      req.onerror = () => { opening = null; reject(req.error); };
      req.onblocked = () => { opening = null; reject(new Error("database blocked by another tab")); };
    });
  }
  return opening;
}

/** Run `fn(store, done)` in one transaction; resolves with what `done` was given, once committed. */
export async function run(storeName, mode, fn) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode);
    let result;
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
    fn(tx.objectStore(storeName), (value) => { result = value; });
  });
}

export const get = (storeName, key) => run(storeName, "readonly", (store, done) => {
  const req = store.get(key);
  req.onsuccess = () => done(req.result);
});

export const put = (storeName, value, key) => run(storeName, "readwrite", (store) => {
  if (key === undefined) store.put(value); else store.put(value, key);
});

export const remove = (storeName, key) => run(storeName, "readwrite", (store) => { store.delete(key); });

export const all = (storeName) => run(storeName, "readonly", (store, done) => {
  const req = store.getAll();
  req.onsuccess = () => done(req.result || []);
});

export const count = (storeName) => run(storeName, "readonly", (store, done) => {
  const req = store.count();
  req.onsuccess = () => done(req.result);
});

/** Settings: {token, user, language, keys, pairedAt, authState}; missing keys are null. */
export async function getSettings() {
  const names = ["token", "user", "language", "keys", "pairedAt", "authState"];
  const values = await run(KV, "readonly", (store, done) => {
    const out = {};
    let left = names.length;
    for (const name of names) {
      const req = store.get(name);
      req.onsuccess = () => { out[name] = req.result ?? null; if (--left === 0) done(out); };
    }
  });
  return values;
}

export const setSetting = (name, value) => run(KV, "readwrite", (store) => {
  if (value === null || value === undefined) store.delete(name); else store.put(value, name);
});

/** A fresh client id (the queue key and the server's idempotency key). */
export function newId(prefix = "m") {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `${prefix}-${Date.now().toString(36)}-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
