package org.carbonledger.store;

/** BlockRow is one row of the {@code blocks} projection: serials [start, end] of an issuance in an account. */
record BlockRow(long start, long end, String issuanceId, String accountId, String state) {

  long quantity() {
    return end - start + 1;
  }

  BlockRow slice(long sliceStart, long sliceEnd) {
    return new BlockRow(sliceStart, sliceEnd, issuanceId, accountId, state);
  }
}
