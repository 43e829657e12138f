-- The projects a letter of authorisation names (AUTHORISATION_RECORDED's projectIds), in id order; NULL for a letter
-- of any project of its host country, as every letter recorded before this column.
ALTER TABLE authorisations ADD COLUMN project_ids text[];
