package org.carbonledger.registry;

/** CorsiaDetails names the aeroplane operator, its state and the compliance period of a CORSIA retirement. */
public record CorsiaDetails(String operator, String operatorState, CompliancePeriod compliancePeriod) {}
