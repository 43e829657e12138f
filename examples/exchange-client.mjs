// exchange-client.mjs is an exchange's side of Carbon Ledger: it submits keyed transfers, follows its account's
// entries over the plain-HTTP NDJSON feed, and reconciles what it expected with reconcileAccount.
// Node 20 or later, no packages: global fetch, and fetch's body reader for the feed.
//
// Environment:
//   CARBON_LEDGER_URL            the server, e.g. http://127.0.0.1:8080 (default)
//   CARBON_LEDGER_API_KEY        an ACCOUNT_HOLDER key of the holder whose account the units leave (clk_...)
//   CARBON_LEDGER_RETRY_SECONDS  how long to keep retrying one request before giving up (default 60)
//
// Usage:
//   node exchange-client.mjs transfer <fromAccountId> <toAccountId> <quantity> <reference> [idempotencyKey]
//   node exchange-client.mjs follow <accountId> [afterSeq] [untilSeq]
//       afterSeq: the last seq you have, -1 (default) for from the first entry. Without untilSeq it follows
//       live for ever, reconnecting after the last seq printed; with it, it stops once untilSeq is passed.
//   node exchange-client.mjs reconcile <accountId> <fromSeq> <toSeq> <expected.json>
//   node exchange-client.mjs run <accountId> <trades.json>
//       submits the trades, prints the account's feed over the seqs they were written at, and reconciles.
//
// trades.json / expected.json: [{"reference": "T-1", "counterpartAccountId": "A00000003N", "quantity": 10}, ...]
// Each trade moves `quantity` units from <accountId> to the counterpart. Every transfer carries an idempotency
// key, "exchange-" + reference (or, for a reference too long or not ASCII, "exchange-sha256-" + its SHA-256)
// unless the trade names an "idempotencyKey" (docs/API.md, "Safe retries"), so
// re-running the same file is safe: a trade already written answers its original seq and writes nothing new.
//
// Retries: a request that gets no definite answer (a lost connection, or the GraphQL error OUTCOME_UNKNOWN,
// UNAVAILABLE, RATE_LIMITED or OVERLOADED) is sent again, a transfer with the same idempotency key, after a
// pause that doubles from 0.2 s (or the server's Retry-After), until it gets one or CARBON_LEDGER_RETRY_SECONDS
// have passed. A transfer still without an answer then has an unknown outcome: it may yet be written. The client
// stops with exit status 3 and names the key; sending the transfer again with that key (or re-running the same
// trades file) tells which it was, and never writes it twice.
//
// Output, one line each, key=value so that scripts can read it:
//   submitted reference=T-1 seq=42 key=exchange-T-1        (or: rejected reference=T-1 code=UNITS_NOT_HELD)
//   entry seq=42 type=UNITS_TRANSFERRED reference=T-1 counterpart=A00000003N quantity=-10
//   reconciled matched=2 missingInRegistry=0 unexpectedInRegistry=0 mismatched=0
// Diagnostics, such as each retry, go to stderr and start with "#".
// Exit status: 0 when every expected movement is matched (and for transfer/follow, on success); 1 when
// reconciliation finds a difference or a transfer is rejected; 2 for bad usage; 3 when the server fails or a
// transfer's outcome is unknown.

import { createHash } from 'node:crypto';

const SERVER = (process.env.CARBON_LEDGER_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const API_KEY = process.env.CARBON_LEDGER_API_KEY;
/** How long one request is retried, and the first pause between attempts (doubling, at most the last). */
const RETRY_FOR_MILLIS = 1000 * Number(process.env.CARBON_LEDGER_RETRY_SECONDS ?? 60);
const RETRY_PAUSE_MILLIS = 200;
const RETRY_PAUSE_MAX_MILLIS = 10_000;
/** How long one attempt may wait for its answer before it counts as a lost connection. */
const REQUEST_TIMEOUT_MILLIS = 30_000;
/** GraphQL error codes after which the same request may still get a definite answer (docs/API.md, "Errors"). */
const RETRYABLE_CODES = new Set(['OUTCOME_UNKNOWN', 'UNAVAILABLE', 'RATE_LIMITED', 'OVERLOADED']);
/** Feed reconnects in a row that deliver nothing before the client gives up. */
const FEED_RECONNECTS_MAX = 10;

class ServerError extends Error {}
/** A request that got no definite answer before RETRY_FOR_MILLIS ran out. */
class NoAnswer extends ServerError {}
class UsageError extends Error {}

const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis));

function headers(extra = {}) {
  return API_KEY ? { authorization: `Bearer ${API_KEY}`, ...extra } : extra;
}

/** The pause after failed attempt `attempt` (from 1): Retry-After when the server gave one, else doubling. */
function pauseMillis(response, attempt) {
  const retryAfter = Number(response?.headers.get('retry-after'));
  return retryAfter > 0 ? retryAfter * 1000 : Math.min(RETRY_PAUSE_MILLIS * 2 ** (attempt - 1), RETRY_PAUSE_MAX_MILLIS);
}

/**
 * POSTs a GraphQL operation and returns its data. A lost connection or a RETRYABLE_CODES error sends the very same
 * request again (so a transfer keeps its idempotency key) until it gets an answer; NoAnswer after RETRY_FOR_MILLIS.
 */
async function graphql(query, variables) {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    let response;
    let failure;
    try {
      response = await fetch(`${SERVER}/graphql`, {
        method: 'POST',
        headers: headers({ 'content-type': 'application/json', accept: 'application/json' }),
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MILLIS),
      });
      const body = await response.json();
      const error = body.errors?.[0];
      if (!error && response.ok && body.data) return body.data;
      const code = error?.extensions?.code;
      if (!RETRYABLE_CODES.has(code)) throw new ServerError(`${code ?? response.status}: ${error?.message ?? 'no data'}`);
      failure = code;
    } catch (error) {
      if (error instanceof ServerError) throw error;
      if (error instanceof SyntaxError) throw new ServerError(`POST /graphql answered ${response.status}, not JSON`);
      failure = `connection lost (${error.cause?.code ?? error.message})`;
    }
    const pause = pauseMillis(response, attempt);
    if (Date.now() + pause - started > RETRY_FOR_MILLIS) throw new NoAnswer(`${failure} after ${attempt} attempts`);
    console.error(`# ${failure}; sending the same request again in ${pause} ms`);
    await sleep(pause);
  }
}

/**
 * The key of a trade: "exchange-" + reference when that is a valid key (1 to 100 printable ASCII characters), else
 * "exchange-sha256-" + the reference's SHA-256, so that a long or non-ASCII reference still has one stable key.
 */
function idempotencyKey(reference) {
  const key = `exchange-${reference}`;
  return /^[\x20-\x7e]{1,100}$/.test(key) ? key : `exchange-sha256-${createHash('sha256').update(reference).digest('hex')}`;
}

/** Submits one transfer with its idempotency key; returns {seq}, or {code} when the registry rejected it. */
async function transfer(fromAccountId, trade) {
  const key = trade.idempotencyKey ?? idempotencyKey(trade.reference);
  const input = {
    fromAccountId,
    toAccountId: trade.counterpartAccountId,
    units: { quantity: trade.quantity },
    reference: trade.reference,
    idempotencyKey: key,
  };
  let data;
  try {
    data = await graphql('mutation($input: TransferUnitsInput!) { transferUnits(input: $input) { seq userErrors { code message } } }',
      { input });
  } catch (error) {
    if (!(error instanceof NoAnswer)) throw error;
    throw new ServerError(`outcome unknown: transfer reference=${trade.reference} got no answer (${error.message}) and may still`
      + ` be written; send it again with idempotencyKey=${key} to learn which`);
  }
  const payload = data.transferUnits;
  if (payload.userErrors.length) {
    console.log(`rejected reference=${trade.reference} code=${payload.userErrors[0].code}`);
    return { code: payload.userErrors[0].code };
  }
  console.log(`submitted reference=${trade.reference} seq=${payload.seq} key=${key}`);
  return { seq: payload.seq };
}

/** A feed line as this client prints it, seen from `accountId`: units leaving it are negative. */
function movement(entry, accountId) {
  const data = entry.data ?? {};
  let counterpart = '-';
  let quantity = data.quantity ?? 0;
  if (entry.type === 'UNITS_TRANSFERRED') {
    const outgoing = data.fromAccountId === accountId;
    counterpart = outgoing ? data.toAccountId : data.fromAccountId;
    quantity = outgoing ? -quantity : quantity;
  } else if (entry.type === 'UNITS_RETIRED' || entry.type === 'UNITS_CANCELLED') {
    quantity = -quantity;
  }
  return { seq: entry.seq, type: entry.type, reference: data.reference ?? null, counterpart, quantity };
}

/**
 * Follows the account's feed after `afterSeq`, calling onEntry for each entry in seq order, exactly once:
 * after a dropped connection or a SUBSCRIBER_TOO_SLOW line it asks again after the last seq it has. With
 * `untilSeq` it returns once the server says every entry up to it was sent; without, it never returns.
 * With `live: false` it also stops at the log's end as the server found it (follow=false).
 */
async function follow(accountId, afterSeq, untilSeq, onEntry, { live = true } = {}) {
  let after = afterSeq;
  for (let idle = 0; idle < FEED_RECONNECTS_MAX; idle++) {
    const query = new URLSearchParams({ afterSeq: String(after) });
    if (untilSeq !== undefined) query.set('untilSeq', String(untilSeq));
    if (!live) query.set('follow', 'false');
    let response;
    try {
      response = await fetch(`${SERVER}/accounts/${accountId}/feed.ndjson?${query}`, { headers: headers() });
    } catch (error) {
      console.error(`# feed: ${error.cause?.code ?? error.message}; reconnecting after seq ${after}`);
      await sleep(pauseMillis(null, idle + 1));
      continue;
    }
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      const code = body.errors?.[0]?.extensions?.code ?? response.status;
      if (response.status === 429 || response.status === 503) {
        await sleep(pauseMillis(response, idle + 1));
        continue;
      }
      throw new ServerError(`feed refused: ${code}: ${body.errors?.[0]?.message ?? ''}`);
    }
    const before = after;
    let ended = false;
    try {
      for await (const line of lines(response.body)) {
        if (line.seq !== undefined) {
          if (line.seq <= after) continue; // never happens with this server; a guard for others
          after = line.seq;
          if (line.error) {
            console.error(`# entry ${line.seq} cannot be shown: ${line.error.code} (incident ${line.error.incident})`);
          } else {
            onEntry(line);
          }
        } else if (line.end) {
          return line.end.resumeAfterSeq;
        } else if (line.error) {
          console.error(`# feed: ${line.error.code}; resuming after seq ${line.error.resumeAfterSeq ?? after}`);
          if (line.error.resumeAfterSeq === undefined) throw new ServerError(`feed: ${line.error.message}`);
          ended = true;
        } // a heartbeat says the connection is alive; nothing to do
      }
    } catch (error) {
      if (error instanceof ServerError) throw error;
      console.error(`# feed dropped (${error.cause?.code ?? error.message}); resuming after seq ${after}`);
    }
    if (!ended) console.error(`# feed closed; resuming after seq ${after}`);
    if (after > before) idle = -1; // progress: the reconnect budget starts again
  }
  throw new ServerError(`feed: ${FEED_RECONNECTS_MAX} reconnects without progress`);
}

/** The JSON lines of an NDJSON body, read as they arrive. */
async function* lines(body) {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true });
    let newline;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const text = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (text) yield JSON.parse(text);
    }
  }
}

function printEntry(m) {
  console.log(`entry seq=${m.seq} type=${m.type} reference=${m.reference ?? '-'} counterpart=${m.counterpart} quantity=${m.quantity}`);
}

/** Reconciles the window [fromSeq, toSeq] with reconcileAccount; prints what differs and the summary, returns the exit status. */
async function reconcile(accountId, fromSeq, toSeq, expected) {
  // The server's quantities are signed changes to the account: the units a trade sends out are negative.
  const signed = expected.map((t) => ({ reference: t.reference, counterpartAccountId: t.counterpartAccountId, quantity: -t.quantity }));
  const data = await graphql(`query($accountId: ID!, $window: StatementWindowInput!, $expected: [ExpectedMovementInput!]!) {
    reconcileAccount(accountId: $accountId, window: $window, expected: $expected) {
      balanced
      matched { expected { index } }
      mismatched { expected { reference } movement { seq quantity counterpartAccountId } differences }
      missingInRegistry { reference }
      unexpectedInRegistry { seq kind reference } } }`, { accountId, window: { fromSeq, toSeq }, expected: signed });
  const answer = data.reconcileAccount;
  for (const m of answer.mismatched) {
    console.log(`mismatched reference=${m.expected.reference ?? '-'} seq=${m.movement.seq} counterpart=${m.movement.counterpartAccountId ?? '-'}`
      + ` quantity=${m.movement.quantity} differences=${m.differences.join(',')}`);
  }
  for (const m of answer.missingInRegistry) console.log(`missing reference=${m.reference ?? '-'}`);
  for (const m of answer.unexpectedInRegistry) console.log(`unexpected seq=${m.seq} kind=${m.kind} reference=${m.reference ?? '-'}`);
  console.log(`reconciled matched=${answer.matched.length} missingInRegistry=${answer.missingInRegistry.length} `
    + `unexpectedInRegistry=${answer.unexpectedInRegistry.length} mismatched=${answer.mismatched.length}`);
  return answer.balanced ? 0 : 1;
}

async function readTrades(path) {
  const { readFile } = await import('node:fs/promises');
  const trades = JSON.parse(await readFile(path, 'utf8'));
  if (!Array.isArray(trades) || trades.some((t) => !t.reference || !t.counterpartAccountId || !(t.quantity > 0))) {
    throw new UsageError(`${path}: expected [{"reference", "counterpartAccountId", "quantity" > 0}, ...]`);
  }
  return trades;
}

function seqArgument(text, name) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < -1) throw new UsageError(`${name} must be a seq or -1, got ${text}`);
  return value;
}

async function logSize() {
  return (await graphql('{ log { size } }')).log.size;
}

/** The whole exchange flow: submit, print what was written, reconcile. */
async function run(accountId, tradesPath) {
  const trades = await readTrades(tradesPath);
  let fromSeq = await logSize();
  let toSeq = fromSeq - 1; // an empty window, until a trade is written
  let rejected = 0;
  for (const trade of trades) {
    const outcome = await transfer(accountId, trade);
    if (outcome.seq === undefined) {
      rejected++;
      continue;
    }
    fromSeq = Math.min(fromSeq, outcome.seq); // a repeated key answers the seq it was first written at
    toSeq = Math.max(toSeq, outcome.seq);
  }
  if (toSeq >= fromSeq) {
    await follow(accountId, fromSeq - 1, toSeq, (entry) => printEntry(movement(entry, accountId)), { live: false });
  }
  const status = await reconcile(accountId, fromSeq, toSeq, trades);
  return rejected ? 1 : status;
}

async function main(argv) {
  const [command, ...args] = argv;
  if (!(RETRY_FOR_MILLIS >= 0)) throw new UsageError('CARBON_LEDGER_RETRY_SECONDS must be a number of seconds');
  switch (command) {
    case 'transfer': {
      const [from, to, quantity, reference, key] = args;
      if (!reference || !(Number(quantity) > 0)) throw new UsageError('transfer <from> <to> <quantity> <reference> [idempotencyKey]');
      const outcome = await transfer(from, {
        counterpartAccountId: to, quantity: Number(quantity), reference, idempotencyKey: key,
      });
      return outcome.seq === undefined ? 1 : 0;
    }
    case 'follow': {
      const [accountId, after = '-1', until] = args;
      if (!accountId) throw new UsageError('follow <accountId> [afterSeq] [untilSeq]');
      const untilSeq = until === undefined ? undefined : seqArgument(until, 'untilSeq');
      await follow(accountId, seqArgument(after, 'afterSeq'), untilSeq, (entry) => printEntry(movement(entry, accountId)));
      return 0;
    }
    case 'reconcile': {
      const [accountId, from, to, path] = args;
      if (!path) throw new UsageError('reconcile <accountId> <fromSeq> <toSeq> <expected.json>');
      return reconcile(accountId, seqArgument(from, 'fromSeq'), seqArgument(to, 'toSeq'), await readTrades(path));
    }
    case 'run': {
      const [accountId, path] = args;
      if (!path) throw new UsageError('run <accountId> <trades.json>');
      return run(accountId, path);
    }
    default:
      throw new UsageError('commands: transfer, follow, reconcile, run (see the comment at the top of this file)');
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(`# ${error.message}`);
  process.exitCode = error instanceof UsageError ? 2 : 3;
}
