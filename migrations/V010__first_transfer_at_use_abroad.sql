-- Recomputes issuances.first_transfer under the first-transfer rule of docs/REGISTRY.md ("UNITS_RETIRED,
-- UNITS_CANCELLED"): under a letter whose first transfer is at use or cancellation, it is DONE once any of the
-- issuance's units was retired for a use outside its host country (not for the host's own NDC, nor for GX-ETS
-- units of a Japanese project) or cancelled for EXPORT or OTHER; else PENDING. Builds before this rule marked it
-- DONE at any retirement or cancellation, and the writer's registry (replayed from the log) follows the new rule:
-- this makes the tables a function of the log again. The sequencer's lock keeps batches out meanwhile.
SELECT pg_advisory_xact_lock(4846245118259121223);

UPDATE issuances i
   SET first_transfer = CASE WHEN EXISTS (
         SELECT 1 FROM movements m
           LEFT JOIN retirements r ON r.seq = m.seq
           LEFT JOIN cancellations c ON c.seq = m.seq
          WHERE m.issuance_id = i.issuance_id
            AND ((m.kind = 'RETIRED'
                  AND (CASE r.purpose WHEN 'NDC' THEN r.ndc_country WHEN 'GX_ETS' THEN 'JP' END) IS DISTINCT FROM a.host_country)
              OR (m.kind = 'CANCELLED' AND c.reason IN ('EXPORT', 'OTHER'))))
       THEN 'DONE' ELSE 'PENDING' END
  FROM authorisations a
 WHERE a.authorisation_id = i.authorisation_id
   AND a.first_transfer_definition = 'USE_OR_CANCELLATION';
