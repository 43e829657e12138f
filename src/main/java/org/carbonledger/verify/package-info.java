/**
 * The offline verifier: it reads only what the log publishes (C2SP tlog-tiles, https://c2sp.org/tlog-tiles)
 * through a small {@link org.carbonledger.verify.LogSource} and checks it with the pure {@code ledger} package,
 * and replays it with the pure {@code registry} package, so it can ship alone. It never imports {@code store},
 * {@code api} or {@code server}.
 */
package org.carbonledger.verify;
