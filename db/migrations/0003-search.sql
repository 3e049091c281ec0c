-- Full-text search: one folded text per case (see main/features/cases/search.ts for the folding).
-- Trigram tokenizer: substring and prefix matches; rowid = cases.rowid.
CREATE VIRTUAL TABLE case_fts USING fts5 (text, tokenize = 'trigram remove_diacritics 1');
