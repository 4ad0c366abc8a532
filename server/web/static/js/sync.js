// Sending the queue: now from this page, and later from the service worker's background sync
// (the browser wakes it when the phone is back online, even with the app closed).
import {drain} from "./queue.js";

const SYNC_TAG = "kadun-queue";

export async function kickQueue({force = false} = {}) {
  try {
    const registration = navigator.serviceWorker && window.isSecureContext
      ? await Promise.race([navigator.serviceWorker.ready, new Promise((resolve) => setTimeout(resolve, 2000))])
      : null;
    if (registration && registration.sync) await registration.sync.register(SYNC_TAG);
  } catch {
    // background sync unavailable: the page drains when it is open and online
  }
  return drain({force});
}
