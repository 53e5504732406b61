-- Version 7: the reports (集計) read every order of a period, and every order of every member,
-- from covering indexes of the orders that count (not cancelled) instead of the rows: a year of
-- sales on 100,000 members reads 40 MB less, and the customer reports get the orders already
-- grouped by member.
CREATE INDEX orders_sales ON orders (ordered_on, kind, payment_method, subscription_id, total_10, tax_10, total_8, tax_8, shipping_fee, cod_fee, total)
    WHERE status <> 'cancelled';
CREATE INDEX orders_purchases ON orders (member_id, ordered_on, total) WHERE status <> 'cancelled';
