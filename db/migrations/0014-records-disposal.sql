-- zdA by the Registratur: the retention period chosen (proposed from the file plan), the
-- archival value (archivwürdig / prüfen = bewerten / vernichten) and a Registraturvermerk.
ALTER TABLE cases ADD COLUMN retention_years INTEGER CHECK (retention_years IS NULL OR retention_years BETWEEN 1 AND 100);
ALTER TABLE cases ADD COLUMN archival_value TEXT CHECK (archival_value IS NULL OR archival_value IN ('archivwürdig', 'prüfen', 'vernichten'));
ALTER TABLE cases ADD COLUMN records_note TEXT;
