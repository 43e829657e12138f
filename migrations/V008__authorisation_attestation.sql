-- A letter of authorisation may attest that the host country will apply the corresponding adjustment
-- (AUTHORISATION_RECORDED's optional correspondingAdjustmentAttested), which CORSIA's first phase accepts in place
-- of an applied one. Letters recorded before carry none.
ALTER TABLE authorisations ADD COLUMN corresponding_adjustment_attested boolean NOT NULL DEFAULT false;
