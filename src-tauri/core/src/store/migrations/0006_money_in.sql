-- Money in: payments that can be voided (never deleted), bank-statement imports and their
-- lines, names learned from confirmed matches, direct debit accounts, requests and results,
-- and the reminders sent.

-- A payment may settle more than its amount: the transfer fee the remitter deducted and the
-- shop bore (振込手数料) counts as paid. What is neither allocated nor fee is the member's credit.
ALTER TABLE payments ADD COLUMN fee INTEGER NOT NULL DEFAULT 0 CHECK (fee >= 0);
ALTER TABLE payments ADD COLUMN staff TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN voided_at TEXT;
ALTER TABLE payments ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE payment_allocations ADD COLUMN undo_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE payment_allocations ADD COLUMN staff TEXT NOT NULL DEFAULT '';

CREATE TABLE bank_imports (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL,
    file_sha256  TEXT NOT NULL,
    format       TEXT NOT NULL CHECK (format IN ('zengin01', 'zengin03', 'csv')),
    account      TEXT NOT NULL DEFAULT '',     -- bank, branch and account as the file names them
    period_from  TEXT,
    period_to    TEXT,
    deposits     INTEGER NOT NULL,
    ignored      INTEGER NOT NULL,
    duplicates   INTEGER NOT NULL,
    imported_at  TEXT NOT NULL,
    staff        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX bank_imports_sha ON bank_imports (file_sha256);

-- Every line of a statement, withdrawals and repeats included, so the screen can show the
-- whole file; only new deposits ever become payments.
CREATE TABLE bank_lines (
    id             INTEGER PRIMARY KEY,
    import_id      INTEGER NOT NULL REFERENCES bank_imports(id),
    line           INTEGER NOT NULL,               -- record position in the file, header = 1
    direction      TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    value_date     TEXT NOT NULL,
    amount         INTEGER NOT NULL,
    remitter_code  TEXT NOT NULL DEFAULT '',
    remitter_name  TEXT NOT NULL DEFAULT '',
    memo           TEXT NOT NULL DEFAULT '',
    line_key       TEXT NOT NULL,                  -- the same transaction in another file has the same key
    state          TEXT NOT NULL CHECK (state IN ('matched', 'suggested', 'unmatched', 'withdrawal', 'duplicate', 'cancelled')),
    auto           INTEGER NOT NULL DEFAULT 0,     -- matched by the rules, not by a person
    reason         TEXT NOT NULL DEFAULT '',
    candidates     TEXT NOT NULL DEFAULT '[]',     -- JSON: the suggestions shown
    payment_id     INTEGER REFERENCES payments(id),
    UNIQUE (import_id, line)
) STRICT;
CREATE INDEX bank_lines_key ON bank_lines (line_key);
CREATE INDEX bank_lines_state ON bank_lines (state);

ALTER TABLE payments ADD COLUMN bank_line_id INTEGER REFERENCES bank_lines(id);

-- Remitter names staff confirmed for a member (ﾔﾏﾀﾞ ﾊﾅｺ pays for 1234); forgotten, not deleted.
CREATE TABLE remitter_names (
    name_key       TEXT NOT NULL,
    member_id      INTEGER NOT NULL REFERENCES members(id),
    remitter_name  TEXT NOT NULL,
    learned_at     TEXT NOT NULL,
    staff          TEXT NOT NULL DEFAULT '',
    forgotten_at   TEXT,
    PRIMARY KEY (name_key, member_id)
) STRICT;

-- A member's debit account; a change ends the old one (kept) and starts a new one.
CREATE TABLE debit_accounts (
    id               INTEGER PRIMARY KEY,
    member_id        INTEGER NOT NULL REFERENCES members(id),
    bank_code        TEXT NOT NULL,
    bank_name        TEXT NOT NULL DEFAULT '',
    branch_code      TEXT NOT NULL,
    branch_name      TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL CHECK (kind IN ('1', '2', '3')),
    number           TEXT NOT NULL,
    holder           TEXT NOT NULL,
    mandate_on       TEXT,
    customer_number  TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    ended_at         TEXT,
    staff            TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE UNIQUE INDEX debit_accounts_current ON debit_accounts (member_id) WHERE ended_at IS NULL;
CREATE INDEX debit_accounts_customer ON debit_accounts (customer_number);

CREATE TABLE debit_requests (
    id             INTEGER PRIMARY KEY,
    month          TEXT NOT NULL UNIQUE,
    debit_on       TEXT NOT NULL,
    file_sha256    TEXT NOT NULL,
    records        INTEGER NOT NULL,
    total          INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    staff          TEXT NOT NULL DEFAULT '',
    result_sha256  TEXT,
    result_at      TEXT
) STRICT;

-- One record of a request: a member's invoices debited together.
CREATE TABLE debit_items (
    id               INTEGER PRIMARY KEY,
    request_id       INTEGER NOT NULL REFERENCES debit_requests(id),
    line             INTEGER NOT NULL,            -- record position in the file, header = 1
    member_id        INTEGER NOT NULL REFERENCES members(id),
    account_id       INTEGER NOT NULL REFERENCES debit_accounts(id),
    amount           INTEGER NOT NULL CHECK (amount > 0),
    customer_number  TEXT NOT NULL,
    new_code         TEXT NOT NULL,
    result           TEXT,                        -- NULL until the result arrives; '0' collected
    payment_id       INTEGER REFERENCES payments(id),
    next_step        TEXT NOT NULL DEFAULT '' CHECK (next_step IN ('', 'carry', 'transfer', 'hold')),
    UNIQUE (request_id, line)
) STRICT;
CREATE INDEX debit_items_member ON debit_items (member_id);

CREATE TABLE debit_item_invoices (
    item_id     INTEGER NOT NULL REFERENCES debit_items(id),
    invoice_id  INTEGER NOT NULL REFERENCES invoices(id),
    amount      INTEGER NOT NULL,
    PRIMARY KEY (item_id, invoice_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX debit_item_invoices_invoice ON debit_item_invoices (invoice_id);

-- 督促: each reminder sent, its level (1 first, 2 second, 3 final) and the invoices it named.
CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    level       INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
    sent_on     TEXT NOT NULL,
    total       INTEGER NOT NULL,
    contact_id  INTEGER REFERENCES member_contacts(id),
    staff       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX reminders_member ON reminders (member_id, sent_on);

CREATE TABLE reminder_invoices (
    reminder_id  INTEGER NOT NULL REFERENCES reminders(id),
    invoice_id   INTEGER NOT NULL REFERENCES invoices(id),
    balance      INTEGER NOT NULL,
    PRIMARY KEY (reminder_id, invoice_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX reminder_invoices_invoice ON reminder_invoices (invoice_id);

CREATE INDEX invoices_due ON invoices (due_on);
CREATE INDEX payments_line ON payments (bank_line_id);
