// audit.mjs runs the GraphQL-over-HTTP server audits of graphql-http against a running server.
//
//   node conformance/audit.mjs http://127.0.0.1:8080/graphql
//
// It prints one line per audit, "<id> <MUST|SHOULD|MAY> <ok|failed> <name>", with " -- <reason>" after a
// failure, then a summary line. It exits 1 when any MUST audit fails, counting one that could not run, and 2 on
// bad usage; SHOULD and MAY failures are reported but left to GraphQLHttpAuditTest, which checks that each
// SHOULD failure is explained in docs/API.md.
import { serverAudits } from 'graphql-http';

// One request of an audit may take this long; the audits are small, so a slow answer means a hung server.
const REQUEST_TIMEOUT_MILLIS = 10_000;
// A failure line quotes at most this much of the response body, enough to see the error code.
const BODY_QUOTE_CHARS_MAX = 200;

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql endpoint url>');
  process.exit(2);
}

// Every request gets a timeout, so a server that never answers fails the audit instead of hanging it.
const fetchFn = (input, init = {}) =>
  fetch(input, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MILLIS) });

/** The level of an audit is the first word of its name, as graphql-http writes it. */
function levelOf(name) {
  return name.split(' ', 1)[0];
}

/** What a failed audit saw: its reason, the status and the start of the body. */
async function describeFailure(result) {
  let seen = '';
  if (result.response) {
    seen = ` (status ${result.response.status}`;
    try {
      const body = await result.response.text();
      seen += `, body ${JSON.stringify(body.slice(0, BODY_QUOTE_CHARS_MAX))}`;
    } catch {
      // The audit read the body already; the status alone still says what happened.
    }
    seen += ')';
  }
  return `${result.reason}${seen}`;
}

/** Runs one audit; an exception (server down, timeout) is a failure of that audit, not a crash. */
async function run(audit) {
  try {
    const result = await audit.fn();
    if (result.status === 'ok') {
      return { ok: true };
    }
    return { ok: false, reason: await describeFailure(result) };
  } catch (error) {
    return { ok: false, reason: `could not run: ${error?.cause?.message ?? error?.message ?? error}` };
  }
}

const counts = { MUST: [0, 0], SHOULD: [0, 0], MAY: [0, 0] };
// One at a time: the lines come out in the package's order and the server sees no burst.
for (const audit of serverAudits({ url, fetchFn })) {
  const level = levelOf(audit.name);
  const outcome = await run(audit);
  counts[level][outcome.ok ? 0 : 1] += 1;
  const line = `${audit.id} ${level} ${outcome.ok ? 'ok' : 'failed'} ${audit.name.slice(level.length + 1)}`;
  console.log(outcome.ok ? line : `${line} -- ${outcome.reason}`);
}

const summary = Object.entries(counts).map(([level, [ok, failed]]) => `${level} ${ok} ok ${failed} failed`);
console.log(`summary: ${summary.join(', ')}`);
process.exit(counts.MUST[1] > 0 ? 1 : 0);
