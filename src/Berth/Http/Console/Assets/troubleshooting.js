// The troubleshooting entries of docs/troubleshooting.md, which the binary carries at /console/docs/: the
// console's links to them (#/troubleshooting/no_robot_matched) work offline and always match the running
// version. A reason code is the stable key; the doc's tables are read here, rows of "| `code` | cause | fix |".

let loaded = null;

/** Map of reason (a code such as audience_mismatch, or a message) to [{ section, cause, fix }]. */
export function troubleshootingEntries() {
  loaded ??= fetch('docs/troubleshooting.md', { credentials: 'omit', cache: 'no-cache' })
    .then(response => (response.ok ? response.text() : ''))
    .then(parse)
    .catch(() => new Map());
  return loaded;
}

function parse(markdown) {
  const entries = new Map();
  let section = '';
  for (const line of markdown.split('\n')) {
    const heading = /^##\s+(.*)$/.exec(line);
    if (heading) {
      section = plain(heading[1]);
      continue;
    }
    if (!line.startsWith('| `')) continue;
    const cells = line.split('|').slice(1, -1).map(c => c.trim());
    // Reason tables: reason | cause | fix. The first table: message | where | cause | fix.
    const [key, cause, fix] = cells.length >= 4 ? [cells[0], cells[2], cells[3]] : cells;
    for (const code of key.matchAll(/`([^`]+)`/g)) {
      const list = entries.get(code[1]) ?? [];
      list.push({ section, cause: plain(cause ?? ''), fix: plain(fix ?? ''), aliases: [...(cause ?? '').matchAll(/shown as `([^`]+)`/g)].map(m => m[1]) });
      entries.set(code[1], list);
    }
  }
  return entries;
}

/** Markdown inline text as plain text: code marks and link targets dropped. */
function plain(text) {
  return text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
}

/** The entries for a reason, following "shown as `message`" to the message's own entry. */
export function entriesFor(entries, reason) {
  const own = entries.get(reason) ?? [];
  return [...own, ...own.flatMap(e => e.aliases.flatMap(alias => entries.get(alias) ?? []))];
}
