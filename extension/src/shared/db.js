// The extension's IndexedDB: the capture queue (sized for 8 MiB pages) and secrets (the bearer
// token). Extension pages and the worker can open it; content scripts cannot (other origin).
const DB_NAME = "kadun";
const VERSION = 2;
export const QUEUE = "queue";
export const SECRETS = "secrets";
let dbPromise = null;

function open() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains(QUEUE)) {
          db.createObjectStore(QUEUE, {keyPath: "client_id"}).createIndex("next_at", "next_at");
        }
        if (!db.objectStoreNames.contains(SECRETS)) db.createObjectStore(SECRETS);
      };
      req.onsuccess = () => {
        const db = req.result;
        db.onclose = () => { dbPromise = null; };
        db.onversionchange = () => { db.close(); dbPromise = null; };
        resolve(db);
      };
      req.onerror = () => { dbPromise = null; reject(req.error); };
    });
  }
  return dbPromise;
}

/** Run `body(store, done)` in one transaction on `storeName`; resolves with what `done` got. */
export async function run(storeName, mode, body) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode, {durability: "strict"});
    let result;
    Promise.resolve(body(tx.objectStore(storeName), (value) => { result = value; })).catch(reject);
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
  });
}
