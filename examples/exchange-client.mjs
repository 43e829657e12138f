// exchange-client.mjs is an exchange's side of Carbon Ledger: it submits keyed transfers, follows its account's
// entries over the plain-HTTP NDJSON feed, and reconciles what it expected against what the registry wrote.
// Node 20 or later, no packages: global fetch, and fetch's body reader for the feed.
//
// Environment:
//   CARBON_LEDGER_URL       the server, e.g. http://127.0.0.1:8080 (default)
//   CARBON_LEDGER_API_KEY   an ACCOUNT_HOLDER key of the holder whose account the units leave (clk_...)
//
// Usage:
//   node exchange-client.mjs transfer <fromAccountId> <toAccountId> <quantity> <reference> [idempotencyKey]
//   node exchange-client.mjs follow <accountId> [afterSeq] [untilSeq]
//       afterSeq: the last seq you have, -1 (default) for from the first entry. Without untilSeq it follows
//       live for ever, reconnecting after the last seq printed; with it, it stops once untilSeq is passed.
//   node exchange-client.mjs reconcile <accountId> <fromSeq> <toSeq> <expected.json>
//   node exchange-client.mjs run <accountId> <trades.json>
//       submits the trades, follows the account's feed over the seqs they were written at, and reconciles.
//
// trades.json / expected.json: [{"reference": "T-1", "counterpartAccountId": "A00000003N", "quantity": 10}, ...]
// Each trade moves `quantity` units from <accountId> to the counterpart; its idempotency key is
// "exchange-" + reference unless the trade names an "idempotencyKey", so re-running the same file is safe.
//
// Output, one line each, key=value so that scripts can read it:
//   submitted reference=T-1 seq=42 key=exchange-T-1        (or: rejected reference=T-1 code=INSUFFICIENT_UNITS)
//   entry seq=42 type=UNITS_TRANSFERRED reference=T-1 counterpart=A00000003N quantity=-10
//   reconciled via=feed matched=2 missingInRegistry=0 unexpectedInRegistry=0 mismatched=0
// Exit status: 0 when every expected movement is matched (and for transfer/follow, on success); 1 when
// reconciliation finds a difference or a transfer is rejected; 2 for bad usage; 3 when the server fails.
//
// Schema features this client uses only when the server has them (it asks the schema once, by introspection):
// TransferUnitsInput.idempotencyKey, and the reconcileAccount query. Without idempotency keys a transfer is
// retried only when the server certainly did not run it (429, 503), never after a lost connection, which
// could have committed it; without reconcileAccount the client reconciles from the feed by trade reference.

const SERVER = (process.env.CARBON_LEDGER_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const API_KEY = process.env.CARBON_LEDGER_API_KEY;
/** Attempts per request, and the first pause between them (doubling), unless the server says Retry-After. */
const ATTEMPTS_MAX = 5;
const RETRY_PAUSE_MILLIS = 200;
/** Feed reconnects in a row that deliver nothing before the client gives up. */
const FEED_RECONNECTS_MAX = 10;

class ServerError extends Error {}
class UsageError extends Error {}

const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis));

function headers(extra = {}) {
  return API_KEY ? { authorization: `Bearer ${API_KEY}`, ...extra } : extra;
}

/** Pause before attempt `attempt` (from 1): Retry-After when the server gave one, else doubling. */
function pauseMillis(response, attempt) {
  const retryAfter = Number(response?.headers.get('retry-after'));
  return retryAfter > 0 ? retryAfter * 1000 : RETRY_PAUSE_MILLIS * 2 ** (attempt - 1);
}

/**
 * POSTs a GraphQL operation and returns its data. `retryLostConnection` says whether a request whose answer was
 * lost may be sent again: true for queries and keyed mutations, false for a mutation the server cannot dedupe.
 */
async function graphql(query, variables, { retryLostConnection = true } = {}) {
  for (let attempt = 1; ; attempt++) {
    let response;
    try {
      response = await fetch(`${SERVER}/graphql`, {
        method: 'POST',
        headers: headers({ 'content-type': 'application/json', accept: 'application/json' }),
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      if (!retryLostConnection || attempt >= ATTEMPTS_MAX) {
        throw new ServerError(`POST /graphql: ${error.cause?.code ?? error.message}`);
      }
      console.error(`# network error (${error.cause?.code ?? error.message}); retrying, attempt ${attempt + 1}`);
      await sleep(pauseMillis(null, attempt));
      continue;
    }
    if ((response.status === 429 || response.status === 503) && attempt < ATTEMPTS_MAX) {
      await sleep(pauseMillis(response, attempt)); // refused before it ran: always safe to send again
      continue;
    }
    const body = await response.json().catch(() => ({}));
    if (body.errors?.length) {
      const first = body.errors[0];
      throw new ServerError(`${first.extensions?.code ?? response.status}: ${first.message}`);
    }
    if (!response.ok || !body.data) {
      throw new ServerError(`POST /graphql answered ${response.status}`);
    }
    return body.data;
  }
}

/** What the server's schema offers, asked once; a server without introspection offers nothing optional. */
async function schemaFeatures() {
  try {
    // One __type per request: graphql-java refuses introspection that repeats it (good-faith introspection).
    const ref = 'fragment ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }';
    const transfer = await graphql('{ __type(name: "TransferUnitsInput") { inputFields { name } } }');
    const query = await graphql(`{ __type(name: "Query") { fields { name args { name type { ...ref } } type { ...ref } } } } ${ref}`);
    const data = { transfer: transfer.__type, query: query.__type };
    const reconcile = data.query?.fields?.find((field) => field.name === 'reconcileAccount') ?? null;
    return {
      idempotencyKey: Boolean(data.transfer?.inputFields?.some((field) => field.name === 'idempotencyKey')),
      reconcile: reconcile && (await reconcileShape(reconcile)),
    };
  } catch (error) {
    console.error(`# cannot read the schema (${error.message}); using no optional features`);
    return { idempotencyKey: false, reconcile: null };
  }
}

function typeText(ref) {
  if (ref.kind === 'NON_NULL') return `${typeText(ref.ofType)}!`;
  if (ref.kind === 'LIST') return `[${typeText(ref.ofType)}]`;
  return ref.name;
}

function namedType(ref) {
  return ref.ofType ? namedType(ref.ofType) : ref;
}

/** The variable types of reconcileAccount's arguments and a selection for its four results, from the schema. */
async function reconcileShape(field) {
  const result = namedType(field.type);
  const data = await graphql('query($name: String!) { __type(name: $name) { fields { name type { ...ref } } } }'
    + ' fragment ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }',
    { name: result.name });
  const parts = [];
  for (const name of ['matched', 'missingInRegistry', 'unexpectedInRegistry', 'mismatched']) {
    const found = data.__type?.fields?.find((f) => f.name === name);
    if (!found) return null; // not the shape this client knows: reconcile from the feed instead
    const type = namedType(found.type);
    parts.push(type.kind === 'OBJECT' ? `${name} { ${(await hasReference(type.name)) ? 'reference' : '__typename'} }` : name);
  }
  const args = Object.fromEntries(field.args.map((arg) => [arg.name, typeText(arg.type)]));
  if (!args.accountId || !args.window || !args.expected) return null;
  return { args, selection: parts.join(' ') };
}

/** True when object type `name` has a `reference` field, so that a result can name its trades. */
async function hasReference(name) {
  const data = await graphql('query($name: String!) { __type(name: $name) { fields { name } } }', { name });
  return Boolean(data.__type?.fields?.some((f) => f.name === 'reference'));
}

/** Submits one transfer; returns {seq} or {code} when the registry rejected it. */
async function transfer(features, fromAccountId, trade) {
  const input = {
    fromAccountId,
    toAccountId: trade.counterpartAccountId,
    units: { quantity: trade.quantity },
    reference: trade.reference,
  };
  const key = trade.idempotencyKey ?? `exchange-${trade.reference}`;
  if (features.idempotencyKey) {
    input.idempotencyKey = key;
  }
  const data = await graphql('mutation($input: TransferUnitsInput!) { transferUnits(input: $input) { seq userErrors { code message } } }',
    { input }, { retryLostConnection: features.idempotencyKey });
  const payload = data.transferUnits;
  if (payload.userErrors.length) {
    console.log(`rejected reference=${trade.reference} code=${payload.userErrors[0].code}`);
    return { code: payload.userErrors[0].code };
  }
  console.log(`submitted reference=${trade.reference} seq=${payload.seq} key=${features.idempotencyKey ? key : '-'}`);
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

/**
 * Compares expected trades (units leaving the account) with the movements the feed showed, by reference. The
 * first movement with a trade's reference answers for it; any other movement in the window, including a second
 * one with the same reference (a trade written twice), is unexpected.
 */
function reconcileLocally(expected, movements) {
  const result = { matched: 0, missingInRegistry: 0, unexpectedInRegistry: 0, mismatched: 0 };
  const unused = movements.filter((m) => m.type !== 'ACCOUNT_OPENED' && m.type !== 'ACCOUNT_STATUS_CHANGED');
  for (const trade of expected) {
    const index = unused.findIndex((m) => m.reference === trade.reference);
    if (index < 0) {
      result.missingInRegistry++;
      console.log(`missing reference=${trade.reference}`);
      continue;
    }
    const [found] = unused.splice(index, 1);
    if (found.counterpart !== trade.counterpartAccountId || found.quantity !== -trade.quantity) {
      result.mismatched++;
      console.log(`mismatched reference=${trade.reference} seq=${found.seq} counterpart=${found.counterpart} quantity=${found.quantity}`);
    } else {
      result.matched++;
    }
  }
  for (const m of unused) {
    result.unexpectedInRegistry++;
    console.log(`unexpected seq=${m.seq} type=${m.type} reference=${m.reference ?? '-'}`);
  }
  return result;
}

/** Reconciles the window [fromSeq, toSeq]; prints the summary and returns the exit status. */
async function reconcile(features, accountId, fromSeq, toSeq, expected, movements) {
  let result;
  let via;
  if (features.reconcile) {
    const { args, selection } = features.reconcile;
    const query = `query($accountId: ${args.accountId}, $window: ${args.window}, $expected: ${args.expected}) {
      reconcileAccount(accountId: $accountId, window: $window, expected: $expected) { ${selection} } }`;
    // The server's quantities are signed changes to the account: the units a trade sends out are negative.
    const signed = expected.map((t) => ({ reference: t.reference, counterpartAccountId: t.counterpartAccountId, quantity: -t.quantity }));
    const data = await graphql(query, { accountId, window: { fromSeq, toSeq }, expected: signed });
    const answer = data.reconcileAccount;
    for (const missing of Array.isArray(answer.missingInRegistry) ? answer.missingInRegistry : []) {
      if (missing.reference !== undefined) console.log(`missing reference=${missing.reference ?? '-'}`);
    }
    const count = (value) => (Array.isArray(value) ? value.length : Number(value ?? 0));
    result = Object.fromEntries(Object.entries(answer).map(([name, value]) => [name, count(value)]));
    via = 'reconcileAccount';
  } else {
    if (movements === undefined) {
      movements = [];
      await follow(accountId, fromSeq - 1, toSeq, (entry) => movements.push(movement(entry, accountId)), { live: false });
    }
    result = reconcileLocally(expected, movements);
    via = 'feed';
  }
  console.log(`reconciled via=${via} matched=${result.matched} missingInRegistry=${result.missingInRegistry} `
    + `unexpectedInRegistry=${result.unexpectedInRegistry} mismatched=${result.mismatched}`);
  const clean = result.matched === expected.length && !result.missingInRegistry && !result.unexpectedInRegistry && !result.mismatched;
  return clean ? 0 : 1;
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

/** The whole exchange flow: submit, follow what was written, reconcile. */
async function run(accountId, tradesPath) {
  const trades = await readTrades(tradesPath);
  const features = await schemaFeatures();
  console.log(`features idempotencyKey=${features.idempotencyKey} reconcileAccount=${Boolean(features.reconcile)}`);
  let fromSeq = await logSize();
  let toSeq = fromSeq - 1;
  let rejected = 0;
  for (const trade of trades) {
    const outcome = await transfer(features, accountId, trade);
    if (outcome.seq === undefined) {
      rejected++;
      continue;
    }
    fromSeq = Math.min(fromSeq, outcome.seq); // a repeated key answers the seq it was first written at
    toSeq = Math.max(toSeq, outcome.seq);
  }
  const movements = [];
  if (toSeq >= fromSeq) {
    await follow(accountId, fromSeq - 1, toSeq, (entry) => {
      const m = movement(entry, accountId);
      movements.push(m);
      printEntry(m);
    }, { live: false });
  }
  const status = await reconcile(features, accountId, fromSeq, Math.max(fromSeq, toSeq), trades, movements);
  return rejected ? 1 : status;
}

async function main(argv) {
  const [command, ...args] = argv;
  switch (command) {
    case 'transfer': {
      const [from, to, quantity, reference, key] = args;
      if (!reference || !(Number(quantity) > 0)) throw new UsageError('transfer <from> <to> <quantity> <reference> [idempotencyKey]');
      const outcome = await transfer(await schemaFeatures(), from, {
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
      return reconcile(await schemaFeatures(), accountId, seqArgument(from, 'fromSeq'), seqArgument(to, 'toSeq'), await readTrades(path));
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
