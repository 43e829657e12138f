package org.carbonledger.registry;

/**
 * OtherRegistration is the same activity registered in another program, over {@code period}; unless it is
 * recorded {@code cancelled}, units for days in that period may have been issued there, so issuing them here
 * would be double issuance.
 */
public record OtherRegistration(String program, String projectId, Period period, boolean cancelled) {}
