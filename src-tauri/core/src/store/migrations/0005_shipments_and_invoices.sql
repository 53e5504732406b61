-- Shipments (parcels made from orders ready to ship), carrier export batches, issued invoices
-- kept unaltered with their PDF, and the returned-mail flag the bulletin mailing leaves out.

-- 宛先不明: the post office returned the bulletin; the member stays but gets no mail until fixed.
ALTER TABLE members ADD COLUMN mail_returned INTEGER NOT NULL DEFAULT 0 CHECK (mail_returned IN (0, 1));

-- One carrier CSV written (and re-writable): which file, when, by whom, with which replacements
-- of characters the carrier cannot print that the user confirmed.
CREATE TABLE shipment_exports (
    id            INTEGER PRIMARY KEY,
    carrier       TEXT NOT NULL,                 -- 'yamato_b2' or a template name
    created_at    TEXT NOT NULL,
    staff         TEXT NOT NULL DEFAULT '',
    rows          INTEGER NOT NULL,
    replacements  TEXT NOT NULL DEFAULT '{}'     -- JSON {"髙": "高", …}
) STRICT;

-- A parcel. Who and where are copied from the order when the shipment is made, so the slip
-- says what was sent even if the member moves later.
CREATE TABLE shipments (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,       -- S0000001: B2's お客様管理番号
    member_id        INTEGER NOT NULL REFERENCES members(id),
    address_id       INTEGER REFERENCES member_addresses(id),
    carrier          TEXT NOT NULL DEFAULT 'yamato',
    slip_type        TEXT NOT NULL CHECK (slip_type IN ('hatsubarai', 'collect', 'yu_mail', 'nekopos', 'compact', 'compact_collect')),
    cool             TEXT NOT NULL DEFAULT 'normal' CHECK (cool IN ('normal', 'frozen', 'chilled')),
    ship_date        TEXT NOT NULL,
    delivery_date    TEXT,
    time_slot        TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL,
    parcels          INTEGER NOT NULL DEFAULT 1 CHECK (parcels BETWEEN 1 AND 99),
    collect_amount   INTEGER NOT NULL DEFAULT 0 CHECK (collect_amount >= 0),
    collect_tax      INTEGER NOT NULL DEFAULT 0 CHECK (collect_tax >= 0),
    name             TEXT NOT NULL,
    kana             TEXT NOT NULL DEFAULT '',
    company          TEXT NOT NULL DEFAULT '',
    department       TEXT NOT NULL DEFAULT '',
    postal_code      TEXT NOT NULL,
    address          TEXT NOT NULL,              -- prefecture, city and street
    building         TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    honorific        TEXT NOT NULL DEFAULT '様',
    status           TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'exported', 'shipped', 'cancelled')),
    export_id        INTEGER REFERENCES shipment_exports(id),
    tracking_number  TEXT,
    shipped_at       TEXT,
    cancelled_at     TEXT,
    cancel_reason    TEXT NOT NULL DEFAULT '',
    staff            TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL
) STRICT;
CREATE INDEX shipments_ship_date ON shipments (ship_date, status);
CREATE INDEX shipments_export ON shipments (export_id);
CREATE INDEX shipments_member ON shipments (member_id);

CREATE TABLE shipment_orders (
    shipment_id  INTEGER NOT NULL REFERENCES shipments(id),
    order_id     INTEGER NOT NULL REFERENCES orders(id),
    PRIMARY KEY (shipment_id, order_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX shipment_orders_order ON shipment_orders (order_id);

-- Invoices Teikibin issues sit beside the ones imported from the old system ('imported').
-- An issued invoice keeps the document data it was printed from and the PDF itself; neither
-- may change afterwards (電子帳簿保存法): a correction voids it and issues a new one that
-- references it.
ALTER TABLE invoices ADD COLUMN kind TEXT NOT NULL DEFAULT 'imported' CHECK (kind IN ('imported', 'issued'));
ALTER TABLE invoices ADD COLUMN period_from TEXT;
ALTER TABLE invoices ADD COLUMN period_to TEXT;
ALTER TABLE invoices ADD COLUMN recipient TEXT NOT NULL DEFAULT '';   -- the name printed, for the search
ALTER TABLE invoices ADD COLUMN replaces_id INTEGER REFERENCES invoices(id);
ALTER TABLE invoices ADD COLUMN document TEXT;                        -- JSON of what was printed
ALTER TABLE invoices ADD COLUMN pdf BLOB;
ALTER TABLE invoices ADD COLUMN pdf_sha256 TEXT;
ALTER TABLE invoices ADD COLUMN staff TEXT NOT NULL DEFAULT '';
CREATE INDEX invoices_issued_on ON invoices (issued_on);
CREATE INDEX invoices_amount ON invoices (amount);

CREATE TABLE invoice_orders (
    invoice_id  INTEGER NOT NULL REFERENCES invoices(id),
    order_id    INTEGER NOT NULL REFERENCES orders(id),
    PRIMARY KEY (invoice_id, order_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX invoice_orders_order ON invoice_orders (order_id);

-- (Undoing an import may still take back the invoices that import brought.)
CREATE TRIGGER issued_invoices_are_kept BEFORE DELETE ON invoices WHEN OLD.kind = 'issued'
BEGIN
    SELECT RAISE(ABORT, '請求書は削除できません（取り消してください）');
END;

-- Only voiding (once) may touch an issued invoice.
CREATE TRIGGER issued_invoices_are_unaltered BEFORE UPDATE ON invoices
WHEN OLD.kind = 'issued' AND (
    NEW.kind IS NOT OLD.kind OR NEW.number IS NOT OLD.number OR NEW.member_id IS NOT OLD.member_id
    OR NEW.issued_on IS NOT OLD.issued_on OR NEW.due_on IS NOT OLD.due_on OR NEW.amount IS NOT OLD.amount
    OR NEW.amount_10 IS NOT OLD.amount_10 OR NEW.amount_8 IS NOT OLD.amount_8
    OR NEW.tax_10 IS NOT OLD.tax_10 OR NEW.tax_8 IS NOT OLD.tax_8
    OR NEW.period_from IS NOT OLD.period_from OR NEW.period_to IS NOT OLD.period_to
    OR NEW.recipient IS NOT OLD.recipient OR NEW.replaces_id IS NOT OLD.replaces_id
    OR NEW.document IS NOT OLD.document OR NEW.pdf IS NOT OLD.pdf OR NEW.pdf_sha256 IS NOT OLD.pdf_sha256
    OR NEW.created_at IS NOT OLD.created_at OR NEW.staff IS NOT OLD.staff
    OR OLD.voided_at IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, '発行済みの請求書は変更できません（取り消して再発行してください）');
END;

CREATE TRIGGER invoice_orders_are_kept BEFORE DELETE ON invoice_orders
BEGIN
    SELECT RAISE(ABORT, '請求書の明細は削除できません');
END;

CREATE TRIGGER invoice_orders_are_unaltered BEFORE UPDATE ON invoice_orders
BEGIN
    SELECT RAISE(ABORT, '請求書の明細は変更できません');
END;
