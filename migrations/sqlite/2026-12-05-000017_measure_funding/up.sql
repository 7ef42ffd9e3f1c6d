-- A measure's funding source is the plan's vocabulary (FundingSource: esf_plus, pnrr, …);
-- the free text it had moves to funding_note, which says further what the source is.

ALTER TABLE measures ADD COLUMN funding_note TEXT;
UPDATE measures SET funding_note = funding_source;
UPDATE measures SET funding_source = CASE
    WHEN UPPER(funding_note) LIKE '%FSE%' OR UPPER(funding_note) LIKE '%GARANZIA GIOVANI%'
        OR UPPER(funding_note) LIKE '%ESF%' THEN 'esf_plus'
    WHEN UPPER(funding_note) LIKE '%PNRR%' THEN 'pnrr'
    WHEN UPPER(funding_note) LIKE '%FONDAZION%' OR UPPER(funding_note) LIKE '%PRIVAT%'
        THEN 'foundation_private'
    WHEN UPPER(funding_note) LIKE '%FONDO%' OR UPPER(funding_note) LIKE '%MINISTER%'
        THEN 'national_fund'
    WHEN UPPER(funding_note) LIKE '%REGION%' THEN 'regional'
    WHEN UPPER(funding_note) LIKE '%AMBITO%' OR UPPER(funding_note) LIKE '%PIANO DI ZONA%'
        THEN 'district_budget'
    WHEN UPPER(funding_note) LIKE '%COMUN%' THEN 'municipal'
    ELSE 'other'
END;
