DROP TABLE data_breaches;
DROP TABLE processing_activity_notes;
