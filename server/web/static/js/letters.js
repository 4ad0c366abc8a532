// Letters formatted for where the buyer pastes them. The rules are data (one row per target):
// how long one pasted message may be, and whether the parts are numbered. A letter is never cut
// short: a long one becomes several parts, each with its own copy button, split at line and
// then sentence boundaries.
export const LETTER_TARGETS = {
  // WeChat takes long messages; one paste keeps the letter whole.
  wechat: {maxChars: 3000, numbered: true},
  // Shops' and platforms' chat boxes often stop at a few hundred characters.
  chat: {maxChars: 450, numbered: true},
  // The 12315 app's complaint text box; the rest goes in follow-up parts (补充说明).
  "12315": {maxChars: 500, numbered: true},
};

/** Plain text that pastes cleanly: no trailing spaces, no Markdown marks, at most one blank line. */
export function plain(text) {
  return String(text || "")
    .replace(/\r\n?/g, "\n")
    .split("\n").map((line) => line.replace(/^#{1,6}\s+/, "").replace(/\*\*(.+?)\*\*/g, "$1").replace(/[ \t]+$/g, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function splitLong(line, max) {
  // A line longer than a part: cut after a sentence mark (。！？；.!?;), else a comma, else hard.
  const out = [];
  let rest = line;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = Math.max(...["。", "！", "？", "；", ". ", "! ", "? ", "; "].map((m) => window.lastIndexOf(m)));
    if (cut < max * 0.4) cut = Math.max(window.lastIndexOf("，"), window.lastIndexOf(", "));
    cut = cut < max * 0.4 ? max : cut + 1;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

/** The parts to paste, for target "wechat" | "chat" | "12315". Joined, they hold the whole letter. */
export function formatLetter(text, target) {
  const rule = LETTER_TARGETS[target] || LETTER_TARGETS.wechat;
  const body = plain(text);
  // Leave room for the "（1/3）" mark of a numbered part.
  const max = rule.maxChars - (rule.numbered ? 8 : 0);
  const parts = [];
  let current = "";
  for (const line of body.split("\n")) {
    for (const piece of line.length > max ? splitLong(line, max) : [line]) {
      const next = current ? `${current}\n${piece}` : piece;
      if (next.length > max && current) {
        parts.push(current.trim());
        current = piece;
      } else {
        current = next;
      }
    }
  }
  if (current.trim()) parts.push(current.trim());
  if (parts.length > 1 && rule.numbered) return parts.map((part, i) => `（${i + 1}/${parts.length}）${part}`);
  return parts;
}
