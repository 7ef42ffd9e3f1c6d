ALTER TABLE referrals DROP COLUMN duplicate_reason;
ALTER TABLE referrals DROP COLUMN received_via;
