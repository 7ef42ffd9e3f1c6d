DROP TABLE notification_emails;
DROP TABLE notification_preferences;
DROP TABLE notifications;
