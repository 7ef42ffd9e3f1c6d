-- Bench seed, step 2: bulk generation with generate_series.
-- Variables (psql -v): np persons, nr referrals, nf follow-ups, nd districts, napprove
-- proposed activations for the approve benchmark.
-- Row i of every table belongs to district idx = i % nd (idx 0 = the demo district).
-- Three years of history end yesterday: persons arrive uniformly in time, each with a first
-- referral five minutes later; the other nr - np referrals are spread uniformly over time,
-- each for a random person registered before it. Referrals of the last 45 days are pending
-- (draft/submitted/scheduled/info_requested/deferred); older ones were decided at the monthly
-- table (the 15th): 60% accepted (each becomes a case), or rejected/redirected/withdrawn.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TIME ZONE 'UTC';
SET synchronous_commit = off;
SET work_mem = '256MB';
\timing on

SELECT (date_trunc('day', localtimestamp) - interval '1 day')::timestamp AS tend \gset
SELECT (:'tend'::timestamp - interval '3 years')::timestamp AS t0 \gset
SELECT extract(epoch FROM :'tend'::timestamp - :'t0'::timestamp) AS span \gset
SELECT date_trunc('month', :'t0'::timestamp)::timestamp AS m0 \gset

\echo '  - meetings'
-- Monthly meetings of every district (the 15th), closed in the past, planned ahead.
CREATE TABLE bench.m AS
SELECT d.idx, m, bench.uid(:'m0'::timestamp + make_interval(months => m) - interval '20 days', 30, d.idx * 100 + m) AS id,
       (:'m0'::timestamp + make_interval(months => m) + interval '14 days')::date AS day
FROM bench.d d CROSS JOIN generate_series(0, 38) m;
CREATE UNIQUE INDEX ON bench.m (idx, m);
ANALYZE bench.d;
ANALYZE bench.m;

INSERT INTO meetings (id, district_id, title, scheduled_for, location, status, participants,
    minutes_md, minutes_html, opened_at, closed_at, created_by, created_at, updated_at)
SELECT m.id, d.district_id, 'Tavolo mensile ' || to_char(m.day, 'MM/YYYY'), m.day,
    'Sala consiliare', CASE WHEN m.day < current_date THEN 'closed' ELSE 'planned' END,
    '["Ufficio di Piano","CPI","Agenzie accreditate"]',
    CASE WHEN m.day < current_date THEN '# Verbale\n\nEsaminate le segnalazioni in agenda.' END,
    CASE WHEN m.day < current_date THEN '<h1>Verbale</h1><p>Esaminate le segnalazioni in agenda.</p>' END,
    CASE WHEN m.day < current_date THEN m.day + time '09:30' END,
    CASE WHEN m.day < current_date THEN m.day + time '12:30' END,
    d.u_coord, m.day - 20 + time '10:00', m.day - 20 + time '10:00'
FROM bench.m m JOIN bench.d d USING (idx)
WHERE m.day < current_date + 62;

\echo '  - persons'
-- ------------------------------------------------------------------------------ persons
INSERT INTO persons (id, district_id, tax_code, first_name, last_name, name_key, birth_date,
    gender, birth_place_code, residence_municipality_code, citizenship, email, phone, address,
    education_level, employment_status, cluster, target_groups, has_disability,
    disability_notes, criminal_justice, criminal_justice_notes, created_by, created_at, updated_at)
SELECT bench.uid(g.ts, 1, i), d.district_id,
    upper(rpad(regexp_replace(g.last, '[^A-Za-z]', '', 'g'), 3, 'X'))
      || upper(rpad(g.first, 3, 'X')) || lpad(i::text, 10, '0'),
    g.first, g.last, lower(g.last || ' ' || g.first),
    date '1962-01-01' + (bench.h(i, 4) % 15700)::int,
    g.gender, g.place, (ARRAY['016024','016024','016024','016115','016150','016169','016202','016214','016198'])[1 + bench.h(i, 6) % 9],
    CASE WHEN g.place LIKE 'Z%' THEN 'estera' ELSE 'italiana' END,
    CASE WHEN bench.h(i, 7) % 10 < 6 THEN lower(g.first || '.' || regexp_replace(g.last, '[^A-Za-z]', '', 'g')) || i || '@example.org' END,
    '+39 3' || lpad((bench.h(i, 8) % 1000000000)::text, 9, '0'),
    'Via ' || (ARRAY['Roma','Garibaldi','Mazzini','Verdi','Dante','Manzoni','Cavour','XX Settembre'])[1 + bench.h(i, 9) % 8] || ' ' || (1 + bench.h(i, 10) % 180),
    (ARRAY['none','primary','lower_secondary','lower_secondary','vocational','upper_secondary','upper_secondary','tertiary'])[1 + bench.h(i, 11) % 8],
    (ARRAY['unemployed','unemployed','unemployed','unemployed','unemployed','unemployed','unemployed','unemployed','unemployed','unemployed','unemployed','unemployed','working_poor','working_poor','working_poor','inactive','inactive','student','employed','employed'])[1 + bench.h(i, 12) % 20],
    (ARRAY['band_1','band_2','band_2','band_3','band_3','band_4'])[1 + bench.h(i, 13) % 6],
    (ARRAY['[]','[]','[]','["long_term_unemployed"]','["youth_neet"]','["migrant"]','["over_50"]','["migrant","income_support"]','["women_returning"]','["over_50","long_term_unemployed"]','["income_support"]','["youth_neet","care_leaver"]'])[1 + bench.h(i, 14) % 12],
    bench.h(i, 15) % 20 = 0,
    CASE WHEN bench.h(i, 15) % 20 = 0 THEN 'Iscrizione L. 68/99, invalidità civile 67%' END,
    bench.h(i, 16) % 50 = 0,
    CASE WHEN bench.h(i, 16) % 50 = 0 THEN 'Programma UEPE in corso' END,
    CASE bench.h(i, 100) % 3 WHEN 0 THEN d.u_social WHEN 1 THEN d.u_pass ELSE d.u_cpi END,
    g.ts, g.ts
FROM generate_series(1, :np) i
JOIN bench.d d ON d.idx = i % :nd
CROSS JOIN LATERAL (
  SELECT :'t0'::timestamp + make_interval(secs => i::float8 / :np * :span) AS ts,
    (ARRAY['Rossi','Russo','Ferrari','Esposito','Bianchi','Romano','Colombo','Ricci','Marino',
      'Greco','Bruno','Gallo','Conti','De Luca','Mancini','Costa','Giordano','Rizzo','Lombardi',
      'Moretti','Barbieri','Fontana','Santoro','Mariani','Rinaldi','Caruso','Ferrara','Galli',
      'Martini','Leone','Longo','Gentile','Martinelli','Vitale','Lombardo','Serra','Coppola',
      'De Santis','Marchetti','Parisi','Villa','Conte','Ferraro','Ferri','Fabbri','Bianco',
      'Marini','Grasso','Valentini','Messina','Sala','De Angelis','Gatti','Pellegrini',
      'Palumbo','Sanna','Farina','Rota','Pesenti','Locatelli','Gritti','Bonfanti','Brambilla',
      'Cattaneo','Invernizzi','Mazzoleni','Carminati','Zanchi','Belotti','Previtali','Rosso',
      'Rossetti','Benali','Popescu','El Amrani','Hoxha','Singh','Diallo','Traore','Chen',
      'Rodriguez','Garcia','Mendoza','Petrov','Kovacs','Nowak','Morina','Krasniqi','Ahmed',
      'Mohamed','Okafor','Mensah','Bonetti','Pagani','Ghilardi','Cortinovis'])[1 + bench.h(i, 1) % 96] AS last,
    CASE WHEN bench.h(i, 3) % 2 = 0 THEN
      (ARRAY['Mario','Luca','Marco','Giuseppe','Francesco','Alessandro','Andrea','Matteo',
        'Lorenzo','Davide','Paolo','Stefano','Giorgio','Roberto','Ahmed','Mohamed','Ion',
        'Omar','Karim','Simone','Federico','Riccardo','Gabriele','Emanuele','Antonio'])[1 + bench.h(i, 2) % 25]
    ELSE
      (ARRAY['Giulia','Sara','Anna','Chiara','Francesca','Elena','Martina','Laura','Valentina',
        'Silvia','Alessia','Federica','Paola','Maria','Ioana','Fatima','Aisha','Elisa',
        'Roberta','Monica','Claudia','Beatrice','Alice','Giorgia','Sofia'])[1 + bench.h(i, 2) % 25]
    END AS first,
    CASE WHEN bench.h(i, 3) % 2 = 0 THEN 'M' ELSE 'F' END AS gender,
    (ARRAY['A794','A794','A794','A794','I628','F205','G273','F839','Z330','Z129','Z100','Z336'])[1 + bench.h(i, 5) % 12] AS place
) g;
ANALYZE persons;

\echo '  - referrals'
-- ---------------------------------------------------------------------------- referrals
-- j <= np: the first referral of person j; j > np: a later referral of an earlier person.
CREATE UNLOGGED TABLE bench.r AS
SELECT j, p, p % :nd AS idx, ts, pts, sub,
  CASE WHEN st IN ('draft', 'submitted', 'withdrawn') THEN NULL::int
       WHEN st = 'scheduled' THEN (SELECT min(m) FROM bench.m WHERE idx = 0 AND day >= current_date)
       WHEN st IN ('deferred', 'info_requested') THEN (SELECT max(m) FROM bench.m WHERE idx = 0 AND day < current_date)
       ELSE ((extract(year FROM sub)::int - extract(year FROM :'m0'::timestamp)::int) * 12
             + extract(month FROM sub)::int - extract(month FROM :'m0'::timestamp)::int
             + CASE WHEN extract(day FROM sub) >= 15 THEN 1 ELSE 0 END) END AS mi,
  st
FROM (
  SELECT j, p, ts, pts,
    CASE WHEN st = 'draft' THEN NULL ELSE least(ts + make_interval(hours => 1 + (bench.h(j, 22) % 48)::int),
                                                 greatest(ts + interval '1 minute', localtimestamp - interval '2 hours')) END AS sub,
    st
  FROM (
    SELECT j, p, pts,
      CASE WHEN j <= :np THEN pts + interval '5 minutes'
           ELSE :'t0'::timestamp + make_interval(secs => (j - :np)::float8 / greatest(1, :nr - :np) * :span) END AS ts
    FROM (
      SELECT j, p, :'t0'::timestamp + make_interval(secs => p::float8 / :np * :span) AS pts
      FROM (
        SELECT j, CASE WHEN j <= :np THEN j
          ELSE 1 + bench.h(j, 20) % greatest(1, floor(:np * ((j - :np)::float8 / greatest(1, :nr - :np))))::bigint END AS p
        FROM generate_series(1, :nr) j
      ) a
    ) b
  ) c
  CROSS JOIN LATERAL (
    SELECT CASE WHEN c.ts > :'tend'::timestamp - interval '45 days' THEN
      (ARRAY['draft','draft','draft','submitted','submitted','submitted','submitted','submitted',
        'submitted','submitted','submitted','scheduled','scheduled','scheduled','scheduled',
        'info_requested','info_requested','deferred','deferred','deferred'])[1 + bench.h(c.j, 21) % 20]
    ELSE
      (ARRAY['accepted','accepted','accepted','accepted','accepted','accepted','accepted',
        'accepted','accepted','accepted','accepted','accepted','rejected','rejected',
        'redirected','redirected','withdrawn','withdrawn','withdrawn','withdrawn'])[1 + bench.h(c.j, 21) % 20]
    END AS st
  ) s
) e;
ALTER TABLE bench.r ADD COLUMN id text, ADD COLUMN decided timestamp, ADD COLUMN op int;
UPDATE bench.r r SET id = bench.uid(r.ts, 2, r.j),
  op = (bench.h(CASE WHEN r.j <= :np THEN r.j ELSE r.j + 7 END, 100) % 3)::int,
  decided = CASE WHEN r.st IN ('accepted','rejected','redirected','deferred','info_requested')
    THEN least(greatest(m.day + time '11:00' + make_interval(secs => (bench.h(r.j, 23) % 3600)::float8),
                        r.sub + interval '1 hour'), localtimestamp - interval '1 hour') END
FROM bench.m m WHERE m.idx = r.idx AND m.m = coalesce(r.mi, 0);
ANALYZE bench.r;

INSERT INTO referrals (id, district_id, person_id, organization_id, created_by, source, needs,
    reason, urgency, status, meeting_id, status_note, submitted_at, created_at, updated_at)
SELECT r.id, d.district_id, bench.uid(r.pts, 1, r.p),
  CASE r.op WHEN 0 THEN d.social WHEN 1 THEN d.pass ELSE d.cpi END,
  CASE r.op WHEN 0 THEN d.u_social WHEN 1 THEN d.u_pass ELSE d.u_cpi END,
  CASE r.op WHEN 0 THEN 'social_worker' WHEN 1 THEN 'front_desk' ELSE 'cpi' END,
  (ARRAY['["work"]','["work","training"]','["work","housing"]','["work","income"]',
    '["training"]','["work","family_care"]','["work","health","relational"]','["work","transport"]'])[1 + bench.h(r.j, 24) % 8],
  (ARRAY['Disoccupato da oltre 12 mesi, chiede supporto nella ricerca attiva di lavoro.',
    'Giovane NEET, interessato a un percorso di formazione e tirocinio.',
    'Percettore di sostegno al reddito, necessario patto per il lavoro.',
    'Rientro nel mercato del lavoro dopo un lungo periodo di cura familiare.',
    'Over 50 espulso dal ciclo produttivo, competenze da aggiornare.',
    'Persona con disabilità iscritta al collocamento mirato.',
    'Lavoratore povero con contratto part-time involontario.',
    'Cittadino straniero, necessita di corso di italiano e orientamento.'])[1 + bench.h(r.j, 25) % 8],
  (ARRAY['low','normal','normal','normal','normal','high'])[1 + bench.h(r.j, 26) % 6],
  r.st,
  CASE WHEN r.mi IS NOT NULL THEN m.id END,
  CASE r.st WHEN 'rejected' THEN 'Requisiti non soddisfatti'
            WHEN 'redirected' THEN 'Inviato ai servizi specialistici'
            WHEN 'info_requested' THEN 'Servono ISEE e curriculum aggiornati'
            WHEN 'withdrawn' THEN 'La persona ha trovato lavoro autonomamente' END,
  r.sub, r.ts, coalesce(r.decided, r.sub, r.ts)
FROM bench.r r JOIN bench.d d USING (idx)
LEFT JOIN bench.m m ON m.idx = r.idx AND m.m = r.mi;

\echo '  - cases'
-- -------------------------------------------------------------------------------- cases
CREATE UNLOGGED TABLE bench.c AS
SELECT row_number() OVER (ORDER BY r.j) AS n, r.j, r.id AS referral_id, r.idx,
  bench.uid(r.pts, 1, r.p) AS person_id, r.decided + interval '30 minutes' AS ts
FROM bench.r r WHERE r.st = 'accepted';
ALTER TABLE bench.c ADD COLUMN id text, ADD COLUMN ag int, ADD COLUMN status text,
  ADD COLUMN closed_at timestamp, ADD COLUMN outcome text, ADD COLUMN fmd date;
UPDATE bench.c SET id = bench.uid(ts, 3, n), ag = (bench.h(n, 30) % 3)::int,
  status = CASE WHEN ts < :'tend'::timestamp - interval '365 days' THEN
      (ARRAY['closed','closed','closed','closed','closed','closed','closed','closed','closed',
        'closed','closed','closed','closed','closed','closed','closed','monitoring','active',
        'active','suspended'])[1 + bench.h(n, 31) % 20]
    ELSE
      (ARRAY['assigned','assigned','assigned','in_charge','in_charge','in_charge','in_charge',
        'in_charge','active','active','active','active','active','active','active','monitoring',
        'monitoring','monitoring','suspended','closed'])[1 + bench.h(n, 31) % 20]
    END;
UPDATE bench.c SET
  fmd = CASE WHEN status <> 'assigned' THEN (ts + interval '10 days')::date END,
  closed_at = CASE WHEN status = 'closed' THEN least(ts + make_interval(days => 150 + (bench.h(n, 32) % 240)::int), :'tend'::timestamp - interval '2 hours') END,
  outcome = CASE WHEN status = 'closed' THEN
    (ARRAY['hired','hired','hired','hired','traineeship','traineeship','training','training',
      'not_reachable','dropped_out','moved','transferred','other'])[1 + bench.h(n, 33) % 13] END;
ANALYZE bench.c;

INSERT INTO cases (id, district_id, person_id, referral_id, agency_id, case_manager_id, status,
    suspended_from, first_meeting_date, plan_goals, outcome, outcome_details, closed_at,
    next_due_date, created_at, updated_at)
SELECT c.id, d.district_id, c.person_id, c.referral_id,
  CASE c.ag WHEN 0 THEN d.ag1 WHEN 1 THEN d.ag2 ELSE d.ag3 END,
  CASE c.ag WHEN 0 THEN d.u_op1 WHEN 1 THEN d.u_op2 ELSE d.u_op3 END,
  c.status, CASE WHEN c.status = 'suspended' THEN 'active' END, c.fmd,
  CASE WHEN c.fmd IS NOT NULL THEN 'Bilancio di competenze, tirocinio di 6 mesi, ricerca attiva.' END,
  c.outcome,
  CASE WHEN c.outcome = 'hired' THEN '{"contract_type":"' || (ARRAY['permanent','fixed_term','apprenticeship','temporary'])[1 + bench.h(c.n, 34) % 4]
    || '","hours_per_week":' || (20 + bench.h(c.n, 35) % 21) || ',"employer":"Impresa ' || (bench.h(c.n, 36) % 5000) || ' Srl"}' END,
  c.closed_at,
  -- open cases: next follow-up due between 30 days ago and 90 days ahead (~25% overdue)
  CASE WHEN c.status <> 'closed' THEN current_date - 30 + (bench.h(c.n, 37) % 120)::int END,
  c.ts, coalesce(c.closed_at, greatest(c.ts, :'tend'::timestamp - make_interval(days => (bench.h(c.n, 38) % 60)::int)))
FROM bench.c c JOIN bench.d d USING (idx);

SELECT count(*) AS nc FROM bench.c \gset

\echo '  - follow-ups'
-- --------------------------------------------------------------------------- follow-ups
-- Follow-up i belongs to case n = 1 + (i-1) % nc (the k-th of that case, k = (i-1) / nc),
-- dated evenly through the life of the case.
CREATE INDEX ON bench.c (n);
INSERT INTO follow_ups (id, case_id, kind, date, note, next_due_date, created_by, created_at)
SELECT bench.uid(x.at, 4, x.i), x.case_id, x.kind, x.day,
  (ARRAY['Colloquio di orientamento, aggiornato il curriculum.',
    'Telefonata di verifica: la persona cerca attivamente lavoro.',
    'Inviate tre candidature a imprese del territorio.',
    'Avviato il corso di formazione previsto dal piano.',
    'Incontro con il tutor aziendale del tirocinio.',
    'Revisione del piano individuale con l''assistente sociale.',
    'La persona non si è presentata, riprogrammato il colloquio.'])[1 + bench.h(x.i, 41) % 7],
  x.day + 30,
  CASE x.ag WHEN 0 THEN d.u_op1 WHEN 1 THEN d.u_op2 ELSE d.u_op3 END,
  x.at
FROM (
  SELECT a.i, c.id AS case_id, c.ag, c.idx, dd.day,
    greatest(c.ts + interval '1 minute', dd.day + time '09:00' + make_interval(secs => (bench.h(a.i, 42) % 28800)::float8)) AS at,
    (ARRAY['meeting','meeting','meeting','meeting','meeting','meeting','meeting','call',
      'call','call','call','call','call','call','review','review','note','note',
      'training_started','hired'])[1 + bench.h(a.i, 40) % 20] AS kind
  FROM (SELECT i, 1 + (i - 1) % :nc AS n, (i - 1) / :nc AS k FROM generate_series(1, :nf) i) a
  JOIN bench.c c ON c.n = a.n
  CROSS JOIN LATERAL (
    SELECT (c.ts + (a.k + 1)::float8 / (:nf::float8 / :nc + 1)
                   * (least(coalesce(c.closed_at, :'tend'::timestamp), :'tend'::timestamp) - c.ts))::date AS day
  ) dd
) x
JOIN bench.d d ON d.idx = x.idx;

\echo '  - activations'
-- -------------------------------------------------------------------------- activations
-- One measure per case that was taken in charge, in the state the case implies.
CREATE UNLOGGED TABLE bench.a AS
SELECT c.n, c.idx, c.ag, c.id AS case_id,
  bench.uid(c.fmd + time '10:00' + interval '2 days' + make_interval(secs => (bench.h(c.n, 50) % 20000)::float8), 5, c.n) AS id,
  c.fmd + time '10:00' + interval '2 days' AS at,
  CASE WHEN bench.h(c.n, 51) % 5 < 3 THEN 'DUL' ELSE 'GG' END AS code,
  CASE c.status
    WHEN 'closed' THEN CASE WHEN bench.h(c.n, 52) % 5 = 0 THEN 'interrupted' ELSE 'completed' END
    WHEN 'monitoring' THEN 'completed'
    WHEN 'active' THEN 'running'
    WHEN 'suspended' THEN 'running'
    ELSE CASE WHEN bench.h(c.n, 52) % 2 = 0 THEN 'proposed' ELSE 'approved' END
  END AS status,
  c.closed_at
FROM bench.c c WHERE c.fmd IS NOT NULL;
ANALYZE bench.a;

INSERT INTO activations (id, case_id, measure_id, threshold_id, amount_cents, spent_cents, status,
    note, created_by, created_at, updated_at)
SELECT a.id, a.case_id, CASE a.code WHEN 'DUL' THEN d.dul ELSE d.gg END, NULL,
  CASE a.code WHEN 'DUL' THEN 150000 ELSE 120000 END,
  CASE WHEN a.status IN ('completed', 'interrupted') THEN CASE a.code WHEN 'DUL' THEN 120000 ELSE 96000 END END,
  a.status, 'proposta dal tavolo',
  CASE a.ag WHEN 0 THEN d.u_op1 WHEN 1 THEN d.u_op2 ELSE d.u_op3 END,
  a.at, least(a.at + interval '30 days', localtimestamp - interval '1 hour')
FROM bench.a a JOIN bench.d d USING (idx);

\echo '  - state changes'
-- -------------------------------------------------------------------------- state changes
-- The audit trail the workflow writes: one row per transition of referrals, cases, activations.
INSERT INTO state_changes (id, entity_type, entity_id, action, from_state, to_state, reason, actor_id, at)
SELECT bench.uid(t.at, 6, r.j * 8 + t.k), 'referral', r.id, t.action, t.from_state, t.to_state, t.reason,
  CASE WHEN t.k >= 3 THEN d.u_coord ELSE CASE r.op WHEN 0 THEN d.u_social WHEN 1 THEN d.u_pass ELSE d.u_cpi END END,
  t.at
FROM bench.r r JOIN bench.d d USING (idx)
CROSS JOIN LATERAL (VALUES
  (0, 'create', NULL, 'draft', NULL, r.ts),
  (1, 'submit', 'draft', 'submitted', NULL, r.sub),
  (2, 'schedule', 'submitted', 'scheduled', NULL,
      CASE WHEN r.st NOT IN ('draft', 'submitted', 'withdrawn') THEN r.sub + interval '30 minutes' END),
  (3, CASE r.st WHEN 'accepted' THEN 'accept' WHEN 'rejected' THEN 'reject' WHEN 'redirected' THEN 'redirect'
                WHEN 'deferred' THEN 'defer' ELSE 'request_info' END,
      'scheduled', r.st, 'Decisione del tavolo', r.decided),
  (4, 'withdraw', 'submitted', 'withdrawn', 'La persona ha trovato lavoro autonomamente',
      CASE WHEN r.st = 'withdrawn' THEN r.sub + interval '3 days' END)
) AS t(k, action, from_state, to_state, reason, at)
WHERE t.at IS NOT NULL;

INSERT INTO state_changes (id, entity_type, entity_id, action, from_state, to_state, reason, actor_id, at)
SELECT bench.uid(t.at, 11, c.n * 8 + t.k), 'case', c.id, t.action, t.from_state, t.to_state, t.reason,
  CASE WHEN t.k = 0 THEN d.u_coord ELSE CASE c.ag WHEN 0 THEN d.u_op1 WHEN 1 THEN d.u_op2 ELSE d.u_op3 END END,
  t.at
FROM bench.c c JOIN bench.d d USING (idx)
CROSS JOIN LATERAL (VALUES
  (0, 'assign', NULL, 'assigned', 'decisione del tavolo del ' || to_char(c.ts, 'DD/MM/YYYY'), c.ts),
  (1, 'take_charge', 'assigned', 'in_charge', NULL, c.fmd + time '10:00'),
  (2, 'measure_started', 'in_charge', 'active', NULL,
      CASE WHEN c.status IN ('active', 'monitoring', 'suspended', 'closed')
           THEN least(c.fmd + time '10:00' + interval '9 days', localtimestamp - interval '1 hour') END),
  (3, 'suspend', 'active', 'suspended', 'Ricovero ospedaliero',
      CASE WHEN c.status = 'suspended' THEN least(c.fmd + time '10:00' + interval '40 days', localtimestamp - interval '30 minutes') END),
  (4, 'close', 'active', 'closed', c.outcome, c.closed_at)
) AS t(k, action, from_state, to_state, reason, at)
WHERE t.at IS NOT NULL;

INSERT INTO state_changes (id, entity_type, entity_id, action, from_state, to_state, reason, actor_id, at)
SELECT bench.uid(t.at, 12, a.n * 8 + t.k), 'activation', a.id, t.action, t.from_state, t.to_state, NULL,
  CASE WHEN t.k = 1 THEN d.u_coord ELSE CASE a.ag WHEN 0 THEN d.u_op1 WHEN 1 THEN d.u_op2 ELSE d.u_op3 END END,
  t.at
FROM bench.a a JOIN bench.d d USING (idx)
CROSS JOIN LATERAL (VALUES
  (0, 'propose', NULL, 'proposed', a.at),
  (1, 'approve', 'proposed', 'approved',
      CASE WHEN a.status <> 'proposed' THEN least(a.at + interval '1 day', localtimestamp - interval '50 minutes') END),
  (2, 'start', 'approved', 'running',
      CASE WHEN a.status IN ('running', 'completed', 'interrupted') THEN least(a.at + interval '7 days', localtimestamp - interval '40 minutes') END),
  (3, CASE a.status WHEN 'interrupted' THEN 'interrupt' ELSE 'complete' END, 'running', a.status,
      CASE WHEN a.status IN ('completed', 'interrupted')
           THEN least(coalesce(a.closed_at - interval '1 day', a.at + interval '120 days'), localtimestamp - interval '35 minutes') END)
) AS t(k, action, from_state, to_state, at)
WHERE t.at IS NOT NULL;

\echo '  - outcome checks'
-- ------------------------------------------------------------------------ outcome checks
INSERT INTO outcome_checks (id, case_id, months, due_date, status, employed, note, recorded_by,
    recorded_at, created_at)
SELECT bench.uid(c.closed_at + make_interval(secs => mo), 7, c.n * 4 + mo), c.id, mo,
  (c.closed_at + make_interval(months => mo))::date,
  CASE WHEN (c.closed_at + make_interval(months => mo))::date < current_date - 7 THEN 'done' ELSE 'due' END,
  CASE WHEN (c.closed_at + make_interval(months => mo))::date < current_date - 7 THEN bench.h(c.n, 60 + mo) % 3 > 0 END,
  CASE WHEN (c.closed_at + make_interval(months => mo))::date < current_date - 7 THEN 'Verifica telefonica' END,
  CASE WHEN (c.closed_at + make_interval(months => mo))::date < current_date - 7
       THEN CASE c.ag WHEN 0 THEN d.u_op1 WHEN 1 THEN d.u_op2 ELSE d.u_op3 END END,
  CASE WHEN (c.closed_at + make_interval(months => mo))::date < current_date - 7
       THEN (c.closed_at + make_interval(months => mo))::date + time '10:00' + interval '3 days' END,
  c.closed_at
FROM bench.c c JOIN bench.d d USING (idx)
CROSS JOIN (VALUES (3), (6), (12)) AS m(mo)
WHERE c.status = 'closed';

\echo '  - approve stock'
-- --------------------------------------------------------- the approve benchmark's stock
-- Proposed activations (note 'bench-approve', 1 euro each) on agency 1's open cases of the
-- demo district whose person is eligible for DUL; run.sh resets and approves them.
INSERT INTO activations (id, case_id, measure_id, threshold_id, amount_cents, spent_cents, status,
    note, created_by, created_at, updated_at)
SELECT bench.uid(localtimestamp - interval '1 hour', 15, q.rn), q.case_id, d.dul, NULL, 100, NULL,
  'proposed', 'bench-approve', d.u_op1, localtimestamp - interval '1 hour', localtimestamp - interval '1 hour'
FROM (
  SELECT row_number() OVER (ORDER BY c.n) AS rn, c.id AS case_id
  FROM bench.c c JOIN persons p ON p.id = c.person_id
  WHERE c.idx = 0 AND c.ag = 0 AND c.status IN ('in_charge', 'active', 'monitoring')
    AND p.employment_status IN ('unemployed', 'working_poor')
    AND p.birth_date BETWEEN current_date - interval '65 years' AND current_date - interval '19 years'
    AND NOT p.has_disability AND NOT p.criminal_justice
  ORDER BY c.n LIMIT :napprove
) q CROSS JOIN bench.d d WHERE d.idx = 0;

-- Room for the approvals under agency 1's DUL threshold of the demo district.
UPDATE thresholds t SET cap_cents = t.cap_cents + 100000000000, updated_at = localtimestamp
FROM bench.d d
WHERE d.idx = 0 AND t.agency_id = d.ag1 AND t.measure_id = d.dul
  AND t.period_start <= current_date AND t.period_end >= current_date;

\echo '  - networks'
-- ------------------------------------------------------------------------ networks
-- A region's networks in the demo district (the worst case): 200 networks, 250 member
-- organizations (municipalities, third sector) in each, so 50,000 memberships; agency 1 is a
-- member of one network in four, and a fifth of the memberships are withdrawn (history).
-- Ids share the day's timestamp, so each statement finds the rows of the one before.
INSERT INTO organizations (id, district_id, name, kind, active, created_at, updated_at)
SELECT bench.uid(date_trunc('day', localtimestamp), 40, g), d.district_id, 'Ente di rete ' || g,
  CASE WHEN g % 2 = 0 THEN 'municipality' ELSE 'third_sector' END, TRUE, localtimestamp, localtimestamp
FROM generate_series(1, 250) g CROSS JOIN bench.d d WHERE d.idx = 0;
INSERT INTO networks (id, district_id, kind, name, objectives, status, accepts_join_requests,
    coordinating_organization_id, created_at, updated_at)
SELECT bench.uid(date_trunc('day', localtimestamp), 41, g), d.district_id,
  (ARRAY['territorial_pact', 'territorial_partnership', 'inclusion_pact'])[1 + g % 3],
  'Rete ' || g, '["reinsertion"]', CASE WHEN g % 5 = 0 THEN 'forming' ELSE 'active' END, TRUE,
  bench.uid(date_trunc('day', localtimestamp), 40, 1 + g % 250), localtimestamp, localtimestamp
FROM generate_series(1, 200) g CROSS JOIN bench.d d WHERE d.idx = 0;
INSERT INTO network_members (id, network_id, organization_id, role, joined_on, withdrawn_on,
    withdrawal_reason, created_at, updated_at)
SELECT bench.uid(date_trunc('day', localtimestamp), 42, n.g * 1000 + o.g), bench.uid(date_trunc('day', localtimestamp), 41, n.g),
  bench.uid(date_trunc('day', localtimestamp), 40, o.g), 'member', current_date - (o.g % 700),
  CASE WHEN (n.g + o.g) % 5 = 0 THEN current_date - (o.g % 30) END,
  CASE WHEN (n.g + o.g) % 5 = 0 THEN 'bench' END, localtimestamp, localtimestamp
FROM generate_series(1, 200) n(g) CROSS JOIN generate_series(1, 250) o(g);
INSERT INTO network_members (id, network_id, organization_id, role, joined_on, created_at, updated_at)
SELECT bench.uid(date_trunc('day', localtimestamp), 43, g), bench.uid(date_trunc('day', localtimestamp), 41, g), d.ag1, 'member',
  current_date - 30, localtimestamp, localtimestamp
FROM generate_series(4, 200, 4) g CROSS JOIN bench.d d WHERE d.idx = 0;

\echo '  - organizations, agreements and documents of the networks'
-- A region's 5,000 organizations: the districts' own, the 250 above, and employers (target
-- employers of the partnerships' collective actions) spread over the districts.
INSERT INTO organizations (id, district_id, name, kind, active, created_at, updated_at)
SELECT bench.uid(date_trunc('day', localtimestamp), 44, g), d.district_id, 'Impresa ' || g, 'employer',
  TRUE, localtimestamp, localtimestamp
FROM generate_series(1, GREATEST(0, 5000 - (SELECT count(*) FROM organizations))) g
JOIN bench.d d ON d.idx = g % (SELECT count(*) FROM bench.d);
-- Five agreements per network (a convention and four protocols, signed), and 100,000
-- documents: 500 per network, one in five the signed text of one of its agreements.
INSERT INTO agreements (id, network_id, kind, subject, party_member_ids, status, signed_on,
    valid_from, valid_until, created_at, updated_at)
SELECT bench.uid(date_trunc('day', localtimestamp), 45, n.g * 10 + a.g), bench.uid(date_trunc('day', localtimestamp), 41, n.g),
  CASE WHEN a.g = 1 THEN 'convention' ELSE 'protocol' END, 'Accordo ' || a.g || ' della rete ' || n.g,
  '[]', 'signed', current_date - 100 * a.g, current_date - 100 * a.g, current_date + 365,
  localtimestamp, localtimestamp
FROM generate_series(1, 200) n(g) CROSS JOIN generate_series(1, 5) a(g);
INSERT INTO documents (id, network_id, agreement_id, file_name, media_type, size_bytes, sha256,
    content, uploaded_by, uploaded_at)
SELECT bench.uid(date_trunc('day', localtimestamp), 46, n.g * 1000 + k.g), bench.uid(date_trunc('day', localtimestamp), 41, n.g),
  CASE WHEN k.g % 5 = 0 THEN bench.uid(date_trunc('day', localtimestamp), 45, n.g * 10 + 1 + (k.g / 5) % 5) END,
  'documento-' || k.g || '.pdf', 'application/pdf', 14, md5(n.g || '-' || k.g) || md5(k.g || '-' || n.g),
  convert_to('%PDF-1.4 bench', 'UTF8'), d.u_coord, localtimestamp - k.g * interval '1 hour'
FROM generate_series(1, 200) n(g) CROSS JOIN generate_series(1, 500) k(g) CROSS JOIN bench.d d
WHERE d.idx = 0;
\echo '  - working groups and shared responses'
-- Seed 003's answers by area: in every network, a working group per area (1,400) and 50
-- shared responses offered by its members (10,000), a third of them available.
INSERT INTO working_groups (id, network_id, area, name, status, created_at, updated_at)
SELECT bench.uid(date_trunc('day', localtimestamp), 47, n.g * 10 + a.i), bench.uid(date_trunc('day', localtimestamp), 41, n.g),
  a.area, 'Gruppo di lavoro ' || a.area, 'active', localtimestamp, localtimestamp
FROM generate_series(1, 200) n(g)
CROSS JOIN unnest(ARRAY['work_placement', 'housing', 'transport', 'microcredit', 'training',
  'culture', 'relational_life']) WITH ORDINALITY a(area, i);
INSERT INTO shared_responses (id, network_id, member_id, organization_id, area, title,
    who_may_use, how_to_access, status, created_at, updated_at)
SELECT bench.uid(date_trunc('day', localtimestamp), 48, n.g * 100 + r.g), bench.uid(date_trunc('day', localtimestamp), 41, n.g),
  bench.uid(date_trunc('day', localtimestamp), 42, n.g * 1000 + r.g), bench.uid(date_trunc('day', localtimestamp), 40, r.g),
  (ARRAY['work_placement', 'housing', 'transport', 'microcredit', 'training', 'culture',
    'relational_life'])[1 + r.g % 7], 'Risposta ' || r.g, 'Persone seguite dai servizi',
  'Allo sportello', CASE WHEN r.g % 3 = 0 THEN 'available' ELSE 'offered' END,
  localtimestamp, localtimestamp
FROM generate_series(1, 200) n(g) CROSS JOIN generate_series(1, 50) r(g);

\echo '  - the plan: 200 actions funded by 50 granted projects, their measures, a fifth of the activations'
-- Seed 004 at a region's size: one plan of the demo district with 200 actions over its four
-- axes, 50 granted projects each funding four of them with a measure of its own, and one in
-- five of the demo district's activations moved onto those measures, so the plan's monitoring
-- reads a region's activations, closed cases and six-month checks.
INSERT INTO plans (id, district_id, title, period_start, period_end, status, created_at, updated_at)
SELECT bench.uid(date_trunc('day', localtimestamp), 49, 1), d.district_id, 'Piano della regione (bench)',
  current_date - 700, current_date + 400, 'approved', localtimestamp, localtimestamp
FROM bench.d d WHERE d.idx = 0;
INSERT INTO plan_axes (id, plan_id, code, title, position, created_at)
SELECT bench.uid(date_trunc('day', localtimestamp), 50, a.i), bench.uid(date_trunc('day', localtimestamp), 49, 1),
  a.code, 'Asse ' || a.code, a.i::int, localtimestamp
FROM unnest(ARRAY['governance', 'territory', 'planning', 'network']) WITH ORDINALITY a(code, i);
INSERT INTO plan_actions (id, plan_id, axis_id, title, start_date, end_date, funding_source,
    budget_cents, responsible_department, network_ids, indicators, status, created_at, updated_at)
SELECT bench.uid(date_trunc('day', localtimestamp), 51, g), bench.uid(date_trunc('day', localtimestamp), 49, 1),
  bench.uid(date_trunc('day', localtimestamp), 50, 1 + g % 4), 'Azione ' || g,
  current_date - 700 + g, current_date + 200 - g, 'regional', 5000000, 'Servizi sociali', '[]',
  '[{"name":"Persone raggiunte","unit":"persone","target":100,"metric":"persons_reached"}]',
  CASE WHEN g % 10 = 0 THEN 'planned' ELSE 'running' END, localtimestamp, localtimestamp
FROM generate_series(1, 200) g;
INSERT INTO projects (id, district_id, title, funder, funding_source, granted_cents, granted_by_year,
    status, start_date, end_date, decided_on, partner_organization_ids, partner_network_ids,
    created_at, updated_at)
SELECT bench.uid(date_trunc('day', localtimestamp), 52, g), d.district_id, 'Progetto ' || g,
  'Regione Lombardia', 'regional', 20000000, '[]', CASE WHEN g % 2 = 0 THEN 'running' ELSE 'granted' END,
  current_date - 700, current_date + 400, current_date - 710, '[]', '[]', localtimestamp, localtimestamp
FROM generate_series(1, 50) g CROSS JOIN bench.d d WHERE d.idx = 0;
INSERT INTO project_plan_actions (project_id, plan_action_id)
SELECT bench.uid(date_trunc('day', localtimestamp), 52, 1 + (g - 1) / 4), bench.uid(date_trunc('day', localtimestamp), 51, g)
FROM generate_series(1, 200) g;
INSERT INTO measures (id, district_id, code, name, kind, funding_source, funding_note, description,
    valid_from, valid_to, employment_statuses, target_groups, clusters, residence_required,
    default_amount_cents, active, created_at, updated_at, project_id, for_operators)
SELECT bench.uid(date_trunc('day', localtimestamp), 53, g), d.district_id, 'PRJ' || g, 'Misura del progetto ' || g,
  'district_project', 'regional', 'Regione Lombardia', '', current_date - 700, current_date + 400,
  '[]', '[]', '[]', FALSE, 150000, TRUE, localtimestamp, localtimestamp,
  bench.uid(date_trunc('day', localtimestamp), 52, g), 'Per chi è seguito dai servizi dell''Ambito.'
FROM generate_series(1, 50) g CROSS JOIN bench.d d WHERE d.idx = 0;
UPDATE activations a SET measure_id = bench.uid(date_trunc('day', localtimestamp), 53, 1 + abs(hashtext(a.id)) % 50)
FROM cases c, bench.d d
WHERE c.id = a.case_id AND d.idx = 0 AND c.district_id = d.district_id
  AND abs(hashtext(a.id)) % 5 = 0 AND a.note IS DISTINCT FROM 'bench-approve';

\echo '  - 10,000 published opportunities'
-- What the territory reads without an account: 10,000 opportunities published by the
-- networks' member organizations of the demo district, every kind and area, deadlines over
-- the next three months.
INSERT INTO opportunities (id, district_id, kind, organization_id, area, title, description,
    min_age, employment_statuses, target_groups, residence_required, municipality_code,
    starts_on, ends_on, apply_by, last_day, how_to_apply, contact, status, published_at,
    created_at, updated_at)
SELECT bench.uid(date_trunc('day', localtimestamp), 54, g), d.district_id,
  (ARRAY['training_course', 'job_offer', 'internship', 'service', 'event'])[1 + g % 5],
  bench.uid(date_trunc('day', localtimestamp), 40, 1 + g % 250),
  (ARRAY['work_placement', 'housing', 'transport', 'microcredit', 'training', 'culture',
    'relational_life'])[1 + g % 7], 'Opportunità ' || g, 'Descrizione dell''opportunità ' || g,
  CASE WHEN g % 3 = 0 THEN 18 END, CASE WHEN g % 4 = 0 THEN '["unemployed"]' ELSE '[]' END, '[]', FALSE,
  (ARRAY['016024', '016115', '016150', '016169', '016202', '016214'])[1 + g % 6],
  current_date + g % 100, current_date + 10 + g % 100, current_date + g % 90, current_date + g % 90,
  'Colloquio su appuntamento', 'sportello@example.test', 'published',
  localtimestamp - g * interval '5 minutes', localtimestamp - g * interval '5 minutes', localtimestamp
FROM generate_series(1, 10000) g CROSS JOIN bench.d d WHERE d.idx = 0;
