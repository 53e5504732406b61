-- Version 4: regular courses (定期コース), the subscriptions' lifecycle (3S and pauses), orders with
-- their shipping state, the monthly run (月次処理) and the bulletin slips (会報誌).
-- Runs with foreign keys off (Db::migrate) because `orders` is rebuilt to widen its status; the
-- migration then asserts `PRAGMA foreign_key_check` is clean before it commits.

ALTER TABLE products ADD COLUMN stock INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN size_class TEXT NOT NULL DEFAULT '';          -- 60, 80, ネコポス …
ALTER TABLE products ADD COLUMN weight_g INTEGER NOT NULL DEFAULT 0 CHECK (weight_g >= 0);
-- 0 for a membership fee or a download: nothing to put in a parcel.
ALTER TABLE products ADD COLUMN shipped INTEGER NOT NULL DEFAULT 1 CHECK (shipped IN (0, 1));

CREATE TABLE courses (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('regular', 'membership')),
    interval_unit        TEXT NOT NULL CHECK (interval_unit IN ('month', 'week', 'day')),
    interval_count       INTEGER NOT NULL CHECK (interval_count BETWEEN 1 AND 366),
    -- A fixed delivery day (monthly) or weekday (weekly, 0 = Monday); NULL: the start date's own.
    day_of_month         INTEGER CHECK (day_of_month BETWEEN 1 AND 31),
    weekday              INTEGER CHECK (weekday BETWEEN 0 AND 6),
    min_deliveries       INTEGER NOT NULL DEFAULT 0 CHECK (min_deliveries >= 0),
    free_shipping        INTEGER NOT NULL DEFAULT 1 CHECK (free_shipping IN (0, 1)),
    -- Membership courses: the renewal notice goes out this many days before valid-until.
    renewal_notice_days  INTEGER NOT NULL DEFAULT 30 CHECK (renewal_notice_days >= 0),
    -- Members on this course receive one copy of this product each month (the bulletin).
    bulletin_product_id  INTEGER REFERENCES products(id),
    active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    note                 TEXT NOT NULL DEFAULT '',
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
) STRICT;

CREATE TABLE course_items (
    course_id   INTEGER NOT NULL REFERENCES courses(id),
    line_no     INTEGER NOT NULL,
    product_id  INTEGER NOT NULL REFERENCES products(id),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (course_id, line_no)
) STRICT, WITHOUT ROWID;

-- Price from delivery number `from_delivery` on: a price for the whole delivery, or a discount
-- off the items' list prices.
CREATE TABLE course_prices (
    course_id         INTEGER NOT NULL REFERENCES courses(id),
    from_delivery     INTEGER NOT NULL CHECK (from_delivery >= 1),
    price             INTEGER CHECK (price >= 0),
    discount_percent  INTEGER CHECK (discount_percent BETWEEN 0 AND 100),
    PRIMARY KEY (course_id, from_delivery),
    CHECK ((price IS NULL) <> (discount_percent IS NULL))
) STRICT, WITHOUT ROWID;

ALTER TABLE subscriptions ADD COLUMN course_id INTEGER REFERENCES courses(id);
ALTER TABLE subscriptions ADD COLUMN address_id INTEGER REFERENCES member_addresses(id);
ALTER TABLE subscriptions ADD COLUMN time_slot TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN paused_until TEXT;
ALTER TABLE subscriptions ADD COLUMN valid_until TEXT;
-- The delivery count at which the current course's price position starts (a switch may restart it).
ALTER TABLE subscriptions ADD COLUMN course_start_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscriptions ADD COLUMN status_since TEXT;
ALTER TABLE subscriptions ADD COLUMN stop_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX subscriptions_due ON subscriptions (status, next_date);
-- Courses show their subscriber counts; without it every course read scans all subscriptions.
CREATE INDEX subscriptions_course ON subscriptions (course_id, status);

-- Every lifecycle event of a subscription, kept forever. A skip taken back is marked, not removed.
CREATE TABLE subscription_events (
    id               INTEGER PRIMARY KEY,
    subscription_id  INTEGER NOT NULL REFERENCES subscriptions(id),
    kind             TEXT NOT NULL CHECK (kind IN ('started', 'skip', 'skip_cancelled', 'switch', 'pause', 'resume', 'stop', 'restart', 'changed')),
    happened_on      TEXT NOT NULL,
    -- skip: the delivery skipped; pause: paused until (NULL: indefinitely); resume/restart: next delivery.
    target_date      TEXT,
    from_course_id   INTEGER REFERENCES courses(id),
    to_course_id     INTEGER REFERENCES courses(id),
    reason           TEXT NOT NULL DEFAULT '',
    detail           TEXT NOT NULL DEFAULT '',
    staff            TEXT NOT NULL DEFAULT '',
    cancelled_at     TEXT,
    created_at       TEXT NOT NULL
) STRICT;
CREATE INDEX subscription_events_subscription ON subscription_events (subscription_id, id);
CREATE INDEX subscription_events_skips ON subscription_events (subscription_id, target_date)
    WHERE kind = 'skip' AND cancelled_at IS NULL;

CREATE TABLE month_runs (
    id              INTEGER PRIMARY KEY,
    month           TEXT NOT NULL,
    ran_at          TEXT NOT NULL,
    staff           TEXT NOT NULL DEFAULT '',
    orders_created  INTEGER NOT NULL,
    bulletin_slips  INTEGER NOT NULL,
    skipped         INTEGER NOT NULL
) STRICT;

-- Orders get their shipping life: received → ready → shipped → invoiced → paid, or cancelled.
-- SQLite cannot widen a CHECK in place, so the table is rebuilt with the same ids.
CREATE TABLE orders_v4 (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    member_id        INTEGER NOT NULL REFERENCES members(id),
    ordered_on       TEXT NOT NULL,
    channel          TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL DEFAULT 'one_off' CHECK (kind IN ('one_off', 'subscription', 'membership')),
    subscription_id  INTEGER REFERENCES subscriptions(id),
    delivery_no      INTEGER,
    scheduled_for    TEXT,                       -- the subscription's delivery date this order is for
    month_run_id     INTEGER REFERENCES month_runs(id),
    address_id       INTEGER REFERENCES member_addresses(id),   -- NULL: the member's own address
    delivery_date    TEXT,
    time_slot        TEXT NOT NULL DEFAULT '',
    payment_method   TEXT CHECK (payment_method IN ('bank_transfer', 'direct_debit', 'cod', 'card', 'cash', 'postal_transfer', 'other')),
    total_10         INTEGER NOT NULL DEFAULT 0,
    total_8          INTEGER NOT NULL DEFAULT 0,
    tax_10           INTEGER NOT NULL DEFAULT 0,
    tax_8            INTEGER NOT NULL DEFAULT 0,
    shipping_fee     INTEGER NOT NULL DEFAULT 0,
    cod_fee          INTEGER NOT NULL DEFAULT 0,
    total            INTEGER NOT NULL,
    status           TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'ready', 'shipped', 'invoiced', 'paid', 'cancelled')),
    status_since     TEXT,
    cancel_reason    TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    staff            TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    import_batch     INTEGER REFERENCES import_batches(id)
) STRICT;
INSERT INTO orders_v4 (id, number, member_id, ordered_on, channel, total_10, total_8, tax_10, tax_8, shipping_fee, total,
        status, created_at, import_batch)
    SELECT id, number, member_id, ordered_on, channel, total_10, total_8, tax_10, tax_8, shipping_fee, total,
        CASE status WHEN 'open' THEN 'received' WHEN 'cancelled' THEN 'cancelled' ELSE 'shipped' END, created_at, import_batch
    FROM orders;
DROP TABLE orders;
ALTER TABLE orders_v4 RENAME TO orders;
CREATE INDEX orders_member ON orders (member_id, ordered_on);
CREATE INDEX orders_status ON orders (status, delivery_date);
CREATE INDEX orders_month ON orders (ordered_on);
-- The monthly run's guard: one order per subscription delivery date, however often it runs.
CREATE UNIQUE INDEX orders_subscription_delivery ON orders (subscription_id, scheduled_for) WHERE subscription_id IS NOT NULL;

CREATE TABLE bulletin_slips (
    id               INTEGER PRIMARY KEY,
    month            TEXT NOT NULL,              -- YYYY-MM
    member_id        INTEGER NOT NULL REFERENCES members(id),
    subscription_id  INTEGER REFERENCES subscriptions(id),
    product_id       INTEGER NOT NULL REFERENCES products(id),
    month_run_id     INTEGER REFERENCES month_runs(id),
    cancelled_at     TEXT,
    created_at       TEXT NOT NULL,
    UNIQUE (month, member_id)
) STRICT;
