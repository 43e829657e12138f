// subscribe.mjs follows a Carbon Ledger log live over WebSocket (GraphQL, graphql-transport-ws protocol) and
// prints one line per entry. Whenever the connection drops, it reconnects and resumes after the last seq it
// printed, so it prints every entry exactly once, in seq order, across restarts of the server too.
//
// Run it with Node 18 or later, from a scratch directory (do not install packages into the repository):
//   mkdir /tmp/cl-subscribe && cd /tmp/cl-subscribe
//   npm install graphql-ws ws
//   cp /path/to/carbon-ledger/examples/subscribe.mjs . && node subscribe.mjs [url] [afterSeq] [accountId]
// Examples:
//   node subscribe.mjs                                        new entries of the server on 127.0.0.1:8080
//   node subscribe.mjs ws://127.0.0.1:8080/graphql -1         every entry from entry 0, then live
//   node subscribe.mjs ws://127.0.0.1:8080/graphql 41 A00000001L   entries of one account after seq 41
//
// How resuming works: after a reconnect, graphql-ws sends the subscribe message again with the same
// variables object, serialized at that moment. Keeping afterSeq in that object at the last seq printed
// makes every retry ask for exactly what is missing. A too-slow close (4503), a server restart (1001) and
// a network drop (1006) are retried; protocol errors (44xx) are not, and end the program.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url = 'ws://127.0.0.1:8080/graphql', after, accountId] = process.argv.slice(2);

// "From now" must become a seq before the first connect, or a retry would skip what came in between.
async function logEnd() {
  const response = await fetch(url.replace(/^ws/, 'http'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ log { size } }' }),
  });
  const { data } = await response.json();
  return data.log.size - 1;
}

const variables = { afterSeq: after === undefined ? await logEnd() : Number(after) };
const query = accountId
  ? 'subscription($afterSeq: Long, $accountId: ID!) { entry: entriesOfAccount(accountId: $accountId, afterSeq: $afterSeq) { seq type time leafHash data } }'
  : 'subscription($afterSeq: Long) { entry: entries(afterSeq: $afterSeq) { seq type time leafHash data } }';
if (accountId) {
  variables.accountId = accountId;
}

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: {}, // a later server version reads an API key here
  retryAttempts: Infinity,
  shouldRetry: () => true,
  on: {
    closed: (event) => {
      if (event?.code && event.code !== 1000) {
        console.error(`# closed ${event.code} ${event.reason || ''}; resuming after seq ${variables.afterSeq}`);
      }
    },
  },
});

client.subscribe({ query, variables }, {
  next: ({ data, errors }) => {
    if (errors) {
      // One entry the server could not show: reported, and the stream goes on.
      console.error('# error event:', JSON.stringify(errors));
      return;
    }
    const entry = data.entry;
    if (entry.seq <= variables.afterSeq) {
      return; // never happens with this server; a guard for other ones
    }
    variables.afterSeq = entry.seq;
    console.log(`${entry.seq}\t${entry.time}\t${entry.type}\t${JSON.stringify(entry.data)}`);
  },
  error: (error) => {
    // A close event (a protocol error the client will not retry), or the GraphQL errors that ended the operation.
    console.error('# subscription ended:', error?.code ? `${error.code} ${error.reason}` : JSON.stringify(error));
    process.exit(1);
  },
  complete: () => process.exit(0),
});
