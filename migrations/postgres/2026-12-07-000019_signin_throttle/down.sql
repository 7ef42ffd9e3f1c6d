DROP TABLE signin_throttle;
