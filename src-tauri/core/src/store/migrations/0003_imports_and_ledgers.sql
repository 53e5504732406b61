-- Version 3: import batches, and the first tables of the catalogue and the ledgers that a shop's
-- old data lands in (products, subscriptions, orders, payments, invoices). The courses/orders and
-- payments issues extend these tables with later migrations; the columns here are the minimum an
-- import needs and never change meaning.
-- Money is integer yen. No ON DELETE CASCADE: the only rows ever removed are those of an import
-- batch the user undoes while nothing depends on them; the batch record itself stays.

CREATE TABLE import_batches (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('members', 'products', 'subscriptions', 'orders', 'payments', 'receivables')),
    file_name    TEXT NOT NULL,
    file_hash    TEXT NOT NULL,            -- SHA-256 of the file's bytes, hex
    encoding     TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    staff        TEXT NOT NULL DEFAULT '',
    imported     INTEGER NOT NULL,
    updated      INTEGER NOT NULL,
    skipped      INTEGER NOT NULL,
    warnings     INTEGER NOT NULL,
    undone_at    TEXT,
    undone_by    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX import_batches_hash ON import_batches (file_hash);

-- What an import changed in rows that existed before it ("update existing"): the row as it was,
-- so that undoing the batch can put it back.
CREATE TABLE import_changes (
    batch_id   INTEGER NOT NULL REFERENCES import_batches(id),
    table_name TEXT NOT NULL,
    row_id     INTEGER NOT NULL,
    before     TEXT NOT NULL,              -- JSON of the row before the import
    PRIMARY KEY (batch_id, table_name, row_id)
) STRICT, WITHOUT ROWID;

ALTER TABLE members ADD COLUMN import_batch INTEGER REFERENCES import_batches(id);
ALTER TABLE member_contacts ADD COLUMN import_batch INTEGER REFERENCES import_batches(id);
CREATE INDEX members_import_batch ON members (import_batch) WHERE import_batch IS NOT NULL;
-- 名寄せ by kana + postal code: without it the pair query reads a table row per candidate
-- (1.2 s → 0.1 s on 100,000 members); every import of members asks it.
CREATE INDEX members_kana_postal ON members (kana_key, postal_code, merged_into) WHERE kana_key <> '' AND postal_code <> '';

CREATE TABLE products (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    product_group  TEXT NOT NULL DEFAULT '',      -- 商品群
    unit_price     INTEGER NOT NULL CHECK (unit_price >= 0),
    tax_rate       INTEGER NOT NULL CHECK (tax_rate IN (8, 10)),
    unit           TEXT NOT NULL DEFAULT '',
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    import_batch   INTEGER REFERENCES import_batches(id)
) STRICT;

-- A member's running subscription. `course_name` keeps the old system's course as written until
-- the shop's courses are set up and the subscription is assigned to one.
CREATE TABLE subscriptions (
    id              INTEGER PRIMARY KEY,
    legacy_id       TEXT,                          -- the old system's number, when it had one
    member_id       INTEGER NOT NULL REFERENCES members(id),
    course_name     TEXT NOT NULL DEFAULT '',
    product_id      INTEGER REFERENCES products(id),
    quantity        INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
    interval_unit   TEXT NOT NULL CHECK (interval_unit IN ('month', 'week', 'day')),
    interval_count  INTEGER NOT NULL CHECK (interval_count > 0),
    anchor_day      INTEGER,                       -- day of month for monthly intervals (1-31)
    next_date       TEXT,
    unit_price      INTEGER CHECK (unit_price >= 0),   -- price per delivery when it differs from the product's
    payment_method  TEXT NOT NULL CHECK (payment_method IN ('bank_transfer', 'direct_debit', 'cod', 'card')),
    status          TEXT NOT NULL CHECK (status IN ('active', 'paused', 'stopped')),
    started_on      TEXT,
    deliveries      INTEGER NOT NULL DEFAULT 0 CHECK (deliveries >= 0),
    created_at      TEXT NOT NULL,
    import_batch    INTEGER REFERENCES import_batches(id),
    CHECK (course_name <> '' OR product_id IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX subscriptions_legacy_id ON subscriptions (legacy_id) WHERE legacy_id IS NOT NULL;
CREATE INDEX subscriptions_member ON subscriptions (member_id);

CREATE TABLE orders (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    member_id     INTEGER NOT NULL REFERENCES members(id),
    ordered_on    TEXT NOT NULL,
    channel       TEXT NOT NULL DEFAULT '',        -- 定期 / 電話 / … as the old system called it
    -- tax-included totals per rate and the tax in them, rounded once per rate
    total_10      INTEGER NOT NULL DEFAULT 0,
    total_8       INTEGER NOT NULL DEFAULT 0,
    tax_10        INTEGER NOT NULL DEFAULT 0,
    tax_8         INTEGER NOT NULL DEFAULT 0,
    shipping_fee  INTEGER NOT NULL DEFAULT 0,
    total         INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'delivered' CHECK (status IN ('open', 'delivered', 'cancelled')),
    created_at    TEXT NOT NULL,
    import_batch  INTEGER REFERENCES import_batches(id)
) STRICT;
CREATE INDEX orders_member ON orders (member_id, ordered_on);

CREATE TABLE order_lines (
    order_id      INTEGER NOT NULL REFERENCES orders(id),
    line_no       INTEGER NOT NULL,
    product_id    INTEGER REFERENCES products(id),
    product_code  TEXT NOT NULL DEFAULT '',
    name          TEXT NOT NULL,
    quantity      INTEGER NOT NULL,
    unit_price    INTEGER NOT NULL,
    amount        INTEGER NOT NULL,
    tax_rate      INTEGER NOT NULL CHECK (tax_rate IN (8, 10)),
    PRIMARY KEY (order_id, line_no)
) STRICT, WITHOUT ROWID;

-- Invoices: for now the open receivables brought from the old system; the billing issue adds
-- the ones Teikibin issues. Paid and balance come from the allocations.
CREATE TABLE invoices (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    member_id     INTEGER NOT NULL REFERENCES members(id),
    issued_on     TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    amount        INTEGER NOT NULL CHECK (amount >= 0),
    amount_10     INTEGER,                         -- tax-included amount at 10%, when known
    amount_8      INTEGER,                         -- tax-included amount at 8%, when known
    tax_10        INTEGER,
    tax_8         INTEGER,
    voided_at     TEXT,
    void_reason   TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    import_batch  INTEGER REFERENCES import_batches(id)
) STRICT;
CREATE INDEX invoices_member ON invoices (member_id, issued_on);

CREATE TABLE payments (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members(id),
    paid_on       TEXT NOT NULL,
    amount        INTEGER NOT NULL CHECK (amount > 0),
    method        TEXT NOT NULL CHECK (method IN ('bank_transfer', 'direct_debit', 'cod', 'card', 'cash', 'postal_transfer', 'other')),
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    import_batch  INTEGER REFERENCES import_batches(id)
) STRICT;
CREATE INDEX payments_member ON payments (member_id, paid_on);

CREATE TABLE payment_allocations (
    id            INTEGER PRIMARY KEY,
    payment_id    INTEGER NOT NULL REFERENCES payments(id),
    invoice_id    INTEGER NOT NULL REFERENCES invoices(id),
    amount        INTEGER NOT NULL CHECK (amount > 0),
    created_at    TEXT NOT NULL,
    undone_at     TEXT
) STRICT;
CREATE INDEX payment_allocations_invoice ON payment_allocations (invoice_id);
CREATE INDEX payment_allocations_payment ON payment_allocations (payment_id);
