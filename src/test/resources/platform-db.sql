-- A database with many object types, for round-trip tests of the PostgreSQL component.
CREATE EXTENSION pgcrypto;
CREATE EXTENSION hstore;
CREATE SCHEMA "Продажи";
CREATE SCHEMA inventory;
COMMENT ON SCHEMA inventory IS 'stock and warehouses';
CREATE TYPE inventory.status AS ENUM ('ordered', 'shipped', 'delivered');
CREATE DOMAIN inventory.positive_int AS integer CHECK (VALUE > 0);
CREATE SEQUENCE inventory.order_no START 1000 INCREMENT 7;
SELECT setval('inventory.order_no', 4242, true);
CREATE TABLE inventory."Quoted Items" (
    id bigserial PRIMARY KEY,
    "Name" text NOT NULL,
    qty inventory.positive_int,
    state inventory.status DEFAULT 'ordered',
    attrs jsonb,
    tags text[],
    props hstore,
    photo bytea,
    secret text DEFAULT encode(gen_random_bytes(8), 'hex'),
    created timestamptz DEFAULT now()
);
COMMENT ON TABLE inventory."Quoted Items" IS 'items with a quoted name';
COMMENT ON COLUMN inventory."Quoted Items".attrs IS 'free-form attributes';
INSERT INTO inventory."Quoted Items" ("Name", qty, state, attrs, tags, props, photo)
SELECT 'item ' || g, g % 10 + 1, (ARRAY['ordered','shipped','delivered'])[g % 3 + 1]::inventory.status,
       jsonb_build_object('n', g, 'even', g % 2 = 0, 'nested', jsonb_build_object('k', repeat('x', g % 50))),
       ARRAY['a' || g, 'b'], hstore('k', g::text), decode(md5(g::text), 'hex')
FROM generate_series(1, 5000) g;
CREATE TABLE "Продажи"."Заказы" (id int PRIMARY KEY, "Сумма" numeric(12,2), note text);
INSERT INTO "Продажи"."Заказы" SELECT g, g * 1.5, 'заказ №' || g FROM generate_series(1, 300) g;
CREATE TABLE inventory.events (id int, at date NOT NULL, payload text) PARTITION BY RANGE (at);
CREATE TABLE inventory.events_2023 PARTITION OF inventory.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE inventory.events_2024 PARTITION OF inventory.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO inventory.events SELECT g, DATE '2023-06-01' + (g % 400), 'e' || g FROM generate_series(1, 2000) g;
CREATE MATERIALIZED VIEW inventory.state_counts AS SELECT state, count(*) AS n FROM inventory."Quoted Items" GROUP BY state;
CREATE VIEW inventory.shipped AS SELECT id, "Name" FROM inventory."Quoted Items" WHERE state = 'shipped';
CREATE FUNCTION inventory.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.created := now(); RETURN NEW; END $$;
CREATE TRIGGER items_touch BEFORE UPDATE ON inventory."Quoted Items" FOR EACH ROW EXECUTE FUNCTION inventory.touch();
CREATE INDEX items_attrs ON inventory."Quoted Items" USING gin (attrs);
CREATE TABLE inventory.documents (id int PRIMARY KEY, blob oid);
INSERT INTO inventory.documents VALUES (1, lo_from_bytea(0, convert_to(repeat('large object ', 1000), 'UTF8')));
CREATE ROLE reader NOLOGIN;
CREATE ROLE writer LOGIN PASSWORD 'writer-password' IN ROLE reader;
GRANT USAGE ON SCHEMA inventory TO reader;
GRANT SELECT ON ALL TABLES IN SCHEMA inventory TO reader;
GRANT INSERT, UPDATE ON inventory."Quoted Items" TO writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA inventory GRANT SELECT ON TABLES TO reader;
-- Columns COPY must get exactly right: generated, dropped, identity, special text, floats, intervals.
CREATE TABLE inventory.measurements (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    gone text,
    "weird ""name""" text,
    reading double precision,
    span interval,
    doc xml,
    doubled double precision GENERATED ALWAYS AS (reading * 2) STORED,
    at timestamptz
);
INSERT INTO inventory.measurements ("weird ""name""", reading, span, doc, at)
SELECT E'tab\there, newline\nthere, back\\slash ' || g, 1.0 / (g + 3), make_interval(days => g, secs => g / 7.0),
       ('<m n="' || g || '"/>')::xml, TIMESTAMPTZ '2023-03-26 01:30:00+01' + g * INTERVAL '17 minutes'
FROM generate_series(1, 500) g;
INSERT INTO inventory.measurements ("weird ""name""", reading) VALUES (NULL, 'NaN'), ('', '-Infinity'), ('\N', 1e-310);
ALTER TABLE inventory.measurements DROP COLUMN gone;
CREATE TABLE inventory.no_columns ();
INSERT INTO inventory.no_columns DEFAULT VALUES;
INSERT INTO inventory.no_columns DEFAULT VALUES;
CREATE TABLE inventory.buckets (id int, label inventory.status) PARTITION BY HASH (id);
CREATE TABLE inventory.buckets_0 PARTITION OF inventory.buckets FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE inventory.buckets_1 PARTITION OF inventory.buckets FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO inventory.buckets SELECT g, (ARRAY['ordered','shipped','delivered'])[g % 3 + 1]::inventory.status FROM generate_series(1, 90) g;
CREATE TABLE inventory.private_notes (owner name DEFAULT current_user, note text);
ALTER TABLE inventory.private_notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_notes ON inventory.private_notes USING (owner = current_user);
INSERT INTO inventory.private_notes VALUES ('someone_else', 'hidden from others'), ('postgres', 'mine');
-- A name full of pattern characters: pg_dump must exclude exactly this table's rows when it is streamed.
CREATE TABLE inventory."Odd.Name*? ""x""$" (n int);
INSERT INTO inventory."Odd.Name*? ""x""$" VALUES (1), (2), (3);
CREATE UNLOGGED TABLE inventory.cache (k text PRIMARY KEY, v text);
INSERT INTO inventory.cache SELECT 'k' || g, 'v' || g FROM generate_series(1, 20) g;
