// The extension's clock for reminders. In a store install it is Date.now(). A development install
// (unpacked in Chrome, temporary in Firefox) also honours an offset in chrome.storage.local, so the
// browser tests move time forward instead of sleeping; no store build ever reads it.
export const CLOCK_OFFSET_KEY = "devClockOffsetMs";
let development = null;

async function isDevelopment() {
  if (development === null) {
    try {
      development = (await chrome.management.getSelf()).installType === "development";
    } catch {
      development = false;   // no management.getSelf: behave as a store install
    }
  }
  return development;
}

/** Milliseconds this clock is ahead of the real one (0 outside a development install). */
export async function offsetMs() {
  if (!(await isDevelopment())) return 0;
  const {[CLOCK_OFFSET_KEY]: offset = 0} = await chrome.storage.local.get(CLOCK_OFFSET_KEY);
  return Number.isFinite(Number(offset)) ? Number(offset) : 0;
}

/** Now, in milliseconds since the epoch, by this clock. */
export async function now() {
  return Date.now() + await offsetMs();
}
