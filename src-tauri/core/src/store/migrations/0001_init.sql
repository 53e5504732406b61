-- Teikibin schema, version 1: shop settings and the members' register.
-- Append-only: never edit this file once released; add 0002_*.sql instead.
-- No ON DELETE CASCADE anywhere: nothing a user entered is ever deleted.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL            -- JSON document
) STRICT;

CREATE TABLE members (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('person', 'company')),
    name            TEXT NOT NULL,
    kana            TEXT NOT NULL DEFAULT '',
    company         TEXT NOT NULL DEFAULT '',
    department      TEXT NOT NULL DEFAULT '',
    postal_code     TEXT NOT NULL DEFAULT '',
    prefecture      TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL DEFAULT '',
    street          TEXT NOT NULL DEFAULT '',
    building        TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    mobile          TEXT NOT NULL DEFAULT '',
    fax             TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    birthday        TEXT,
    gender          TEXT CHECK (gender IN ('female', 'male', 'other')),
    joined_on       TEXT NOT NULL,
    valid_until     TEXT,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'withdrawn')),
    status_since    TEXT,
    dm_opt_out      INTEGER NOT NULL DEFAULT 0 CHECK (dm_opt_out IN (0, 1)),
    notes           TEXT NOT NULL DEFAULT '',
    merged_into     INTEGER REFERENCES members(id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    -- keys for matching; derived from the columns above on every write
    kana_key        TEXT NOT NULL DEFAULT '',
    name_key        TEXT NOT NULL DEFAULT '',
    phone_key       TEXT NOT NULL DEFAULT '',
    mobile_key      TEXT NOT NULL DEFAULT '',
    fax_key         TEXT NOT NULL DEFAULT '',
    email_key       TEXT NOT NULL DEFAULT '',
    search_text     TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX members_kana_key ON members (kana_key, code);
CREATE INDEX members_phone_key ON members (phone_key) WHERE phone_key <> '';
CREATE INDEX members_mobile_key ON members (mobile_key) WHERE mobile_key <> '';
CREATE INDEX members_email_key ON members (email_key) WHERE email_key <> '';

CREATE TABLE member_tags (
    member_id INTEGER NOT NULL REFERENCES members(id),
    tag       TEXT NOT NULL,
    PRIMARY KEY (member_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX member_tags_tag ON member_tags (tag);

-- Everything that happened to a member: creation, edits (with the changed fields),
-- status changes (with effective date and reason), merges.
CREATE TABLE member_history (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members(id),
    at            TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('created', 'updated', 'status_changed', 'merged', 'merged_away')),
    effective_on  TEXT,
    from_status   TEXT,
    to_status     TEXT,
    reason        TEXT NOT NULL DEFAULT '',
    staff         TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX member_history_member ON member_history (member_id, at);

CREATE TABLE member_contacts (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members(id),
    contacted_on  TEXT NOT NULL,
    channel       TEXT NOT NULL,
    staff         TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX member_contacts_member ON member_contacts (member_id, contacted_on);

-- Extra delivery addresses (gift recipients). Archived, never deleted.
CREATE TABLE member_addresses (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members(id),
    label         TEXT NOT NULL DEFAULT '',
    name          TEXT NOT NULL,
    kana          TEXT NOT NULL DEFAULT '',
    postal_code   TEXT NOT NULL,
    prefecture    TEXT NOT NULL DEFAULT '',
    city          TEXT NOT NULL DEFAULT '',
    street        TEXT NOT NULL DEFAULT '',
    building      TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX member_addresses_member ON member_addresses (member_id);
