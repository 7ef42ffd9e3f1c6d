DROP TABLE shared_response_proposals;
DROP TABLE shared_responses;
DROP TABLE working_group_members;
DROP TABLE working_groups;
