-- A referral the Ufficio di Piano records on behalf of a service says how it arrived; a
-- referral sent while another is open for the same person says why.
ALTER TABLE referrals ADD COLUMN received_via TEXT;
ALTER TABLE referrals ADD COLUMN duplicate_reason TEXT;
