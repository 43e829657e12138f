-- The registry's projections: tables derived from the log, updated in the same transaction as the entry
-- that changes them, and rebuildable by replaying the entries (see docs/REGISTRY.md for the transitions).
-- `*_seq` columns name the entry that created or last changed a row.

CREATE TABLE account_holders (
  holder_id   text PRIMARY KEY,
  name        text NOT NULL,
  country     text NOT NULL,
  created_seq bigint NOT NULL
);

CREATE TABLE accounts (
  account_id  text PRIMARY KEY,
  holder_id   text NOT NULL REFERENCES account_holders,
  name        text NOT NULL,
  type        text NOT NULL,
  program     text,
  status      text NOT NULL,
  opened_seq  bigint NOT NULL,
  status_seq  bigint NOT NULL
);
CREATE UNIQUE INDEX accounts_one_issuance_account_per_program ON accounts (program) WHERE type = 'ISSUANCE';
CREATE INDEX accounts_holder ON accounts (holder_id);

CREATE TABLE projects (
  project_id         text PRIMARY KEY,
  program            text NOT NULL,
  program_project_id text NOT NULL,
  name               text NOT NULL,
  host_country       text NOT NULL,
  methodology        text NOT NULL,
  category           text NOT NULL,
  mitigation_type    text NOT NULL,
  crediting_start    date NOT NULL,
  crediting_end      date NOT NULL,
  activity_start     date NOT NULL,
  tse_market_class   text,
  registered_seq     bigint NOT NULL,
  UNIQUE (program, program_project_id)
);

-- The same activity registered in other programs: what the cross-program double-issuance rule reads.
CREATE TABLE project_registrations (
  project_id   text NOT NULL REFERENCES projects,
  position     integer NOT NULL,
  program      text NOT NULL,
  external_id  text NOT NULL,
  period_start date NOT NULL,
  period_end   date NOT NULL,
  cancelled    boolean NOT NULL,
  PRIMARY KEY (project_id, position)
);

CREATE TABLE authorisations (
  authorisation_id          text PRIMARY KEY,
  host_country              text NOT NULL,
  loa_reference             text NOT NULL UNIQUE,
  loa_date                  date NOT NULL,
  purpose                   text NOT NULL,
  first_transfer_definition text NOT NULL,
  authorised_quantity       bigint NOT NULL,
  vintage_from              integer NOT NULL,
  vintage_to                integer NOT NULL,
  recorded_seq              bigint NOT NULL
);

CREATE TABLE issuances (
  issuance_id             text PRIMARY KEY,
  project_id              text NOT NULL REFERENCES projects,
  account_id              text NOT NULL REFERENCES accounts,
  monitoring_start        date NOT NULL,
  monitoring_end          date NOT NULL,
  vintage                 integer NOT NULL,
  quantity                bigint NOT NULL CHECK (quantity > 0),
  serial_start            bigint NOT NULL,
  serial_end              bigint NOT NULL,
  unit_type               text NOT NULL,
  labels                  text[] NOT NULL,
  authorisation_id        text REFERENCES authorisations,
  corresponding_adjustment text NOT NULL,
  ca_report_reference     text,
  ca_seq                  bigint,
  first_transfer          text NOT NULL,
  issued_seq              bigint NOT NULL,
  CHECK (serial_end - serial_start + 1 = quantity)
);
CREATE INDEX issuances_project ON issuances (project_id);
CREATE INDEX issuances_authorisation ON issuances (authorisation_id);

-- Units, as blocks of consecutive serials. The exclusion constraint makes a serial in two blocks
-- impossible even for a buggy projector: double issuance is refused by the database as well as the rules.
CREATE TABLE blocks (
  serial_start bigint PRIMARY KEY CHECK (serial_start > 0),
  serial_end   bigint NOT NULL,
  issuance_id  text NOT NULL REFERENCES issuances,
  account_id   text NOT NULL REFERENCES accounts,
  state        text NOT NULL,
  updated_seq  bigint NOT NULL,
  CHECK (serial_end >= serial_start),
  EXCLUDE USING gist (int8range(serial_start, serial_end, '[]') WITH &&)
);
CREATE INDEX blocks_account_state ON blocks (account_id, state);
CREATE INDEX blocks_issuance ON blocks (issuance_id);

-- Every movement of units, one row per serial range per entry: the chain of custody and the statements.
CREATE TABLE movements (
  seq          bigint NOT NULL,
  position     integer NOT NULL,
  kind         text NOT NULL,
  serial_start bigint NOT NULL,
  serial_end   bigint NOT NULL,
  issuance_id  text NOT NULL,
  from_account text,
  to_account   text,
  PRIMARY KEY (seq, position)
);
CREATE INDEX movements_serials ON movements USING gist (int8range(serial_start, serial_end, '[]'));
CREATE INDEX movements_from ON movements (from_account, seq);
CREATE INDEX movements_to ON movements (to_account, seq);

CREATE TABLE transfers (
  seq             bigint PRIMARY KEY,
  from_account    text NOT NULL,
  to_account      text NOT NULL,
  quantity        bigint NOT NULL,
  reference       text
);
CREATE INDEX transfers_reference ON transfers (reference) WHERE reference IS NOT NULL;

CREATE TABLE retirements (
  seq                     bigint PRIMARY KEY,
  account_id              text NOT NULL,
  quantity                bigint NOT NULL,
  purpose                 text NOT NULL,
  beneficiary_name        text NOT NULL,
  beneficiary_id          text,
  claim_start             date,
  claim_end               date,
  reporting_year          integer,
  corsia_operator         text,
  corsia_operator_state   text,
  corsia_compliance_period text,
  ndc_country             text,
  note                    text
);

CREATE TABLE cancellations (
  seq                bigint PRIMARY KEY,
  account_id         text NOT NULL,
  quantity           bigint NOT NULL,
  reason             text NOT NULL,
  target_registry    text,
  external_reference text,
  note               text
);
