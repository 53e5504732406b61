-- Japan Post's postal-code directory (KEN_ALL.CSV), imported by the shop and refreshed when
-- Japan Post publishes a new one. Reference data, replaced whole on each import.
CREATE TABLE postal_codes (
    postal_code TEXT NOT NULL,          -- NNN-NNNN
    prefecture  TEXT NOT NULL,
    city        TEXT NOT NULL,
    town        TEXT NOT NULL,
    PRIMARY KEY (postal_code, prefecture, city, town)
) STRICT, WITHOUT ROWID;
