-- The funding source back to free text: the note where there is one, else the source's
-- Italian label.
UPDATE measures SET funding_source = COALESCE(funding_note, CASE funding_source
    WHEN 'esf_plus' THEN 'FSE+'
    WHEN 'pnrr' THEN 'PNRR'
    WHEN 'national_fund' THEN 'Fondo nazionale'
    WHEN 'regional' THEN 'Risorse regionali'
    WHEN 'district_budget' THEN 'Bilancio dell''Ambito'
    WHEN 'municipal' THEN 'Risorse comunali'
    WHEN 'foundation_private' THEN 'Fondazioni e privati'
    WHEN 'fund_raising' THEN 'Raccolta fondi'
    WHEN 'network_resources' THEN 'Risorse di una rete'
    ELSE 'Altro'
END);
ALTER TABLE measures DROP COLUMN funding_note;
