import { details, h, link, mono } from '../dom.js';
import { entriesFor, troubleshootingEntries } from '../troubleshooting.js';

/** #/troubleshooting/REASON: what docs/troubleshooting.md says about a refusal reason. */
export async function renderTroubleshooting(section, [reason]) {
  section.append(h('p', {}, link('#/audit', '← Audit log')), h('h1', {}, 'Troubleshooting: ', mono(reason)));
  const found = entriesFor(await troubleshootingEntries(), reason);
  if (found.length === 0) {
    section.append(h('p', { class: 'note' }, 'docs/troubleshooting.md has no entry for this reason. ',
      'Refusals on the registry API (/v2) record their HTTP status; berth explain shows why a token matched no robot.'));
  }
  for (const entry of found) {
    section.append(h('h2', {}, entry.section), details([['Cause', entry.cause], ['Fix', entry.fix]]));
  }
  section.append(
    h('p', {}, link(`#/audit?reason=${encodeURIComponent(reason)}`, 'Audit entries with this reason')),
    h('p', { class: 'muted' }, 'From docs/troubleshooting.md of this Berth version, served by Berth at /console/docs/troubleshooting.md.'));
}
