package org.carbonledger.registry;

/** Holder is an account holder: a participant (company, exchange, government) that holds accounts. */
public record Holder(String holderId, String name, String country) {}
