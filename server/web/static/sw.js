// The mobile app's service worker (a module, scope /m/). It keeps the offline shell (every
// static file of this version, listed by the backend when it serves this file), holds a share
// from the Web Share Target in IndexedDB for the app's confirm screen (it cannot tell the share
// sheet's POST from another site's form, so it queues nothing), and drains the upload queue in
// the background.
// It never caches the API: /v1/ requests always go to the network.
import {drain} from "./js/queue.js";
import {holdShare, shareFromForm} from "./js/share.js";

const VERSION = "__KADUN_VERSION__";
const SHELL = ["__KADUN_SHELL__"];
const CACHE = `kadun-shell-${VERSION}`;
const SYNC_TAG = "kadun-queue";

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // cache: "reload" skips the HTTP cache, so the shell is this version's files.
    await cache.addAll(SHELL.map((url) => new Request(url, {cache: "reload"})));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("kadun-shell-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function shellResponse(request) {
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  if (request.mode === "navigate") {
    // Every page of the app is the one shell; its routes live in the fragment and the query.
    return (await cache.match("/m/")) || fetch(request);
  }
  const hit = await cache.match(url.pathname);
  return hit || fetch(request);
}

async function takeShare(request) {
  let target = "/m/#/capture";
  try {
    const share = await shareFromForm(await request.formData());
    await holdShare(share);
    target = `/m/#/inbox/${share.id}`;
  } catch (error) {
    target = `/m/#/capture?share_error=${encodeURIComponent(String(error && error.message || error).slice(0, 200))}`;
  }
  return Response.redirect(target, 303);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith("/m/")) return;  // the API: network
  if (request.method === "POST" && url.pathname === "/m/share") {
    event.respondWith(takeShare(request));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate" || SHELL.includes(url.pathname)) {
    event.respondWith(shellResponse(request));
  }
});

async function drainOrRetry() {
  // The browser fires this when the network is back: waiting items are due now.
  const outcome = await drain({force: true});
  // Rejecting makes the browser run the sync again later, with its own backoff.
  if (outcome && outcome.waiting && !outcome.unauthorized) throw new Error(`${outcome.waiting} item(s) still waiting`);
}

self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(drainOrRetry());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "drain") event.waitUntil(drain({force: !!event.data.force}));
  if (event.data && event.data.type === "version" && event.ports[0]) event.ports[0].postMessage({version: VERSION});
});
