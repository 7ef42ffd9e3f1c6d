//! Diesel table definitions, shared by both backends (types chosen to exist on both).

// @generated from migrations by hand-checked script; keep in step with migrations/.

diesel::table! {
    districts (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        timezone -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        retention_years -> Integer,
    }
}

diesel::table! {
    organizations (id) {
        id -> Text,
        district_id -> Text,
        name -> Text,
        kind -> Text,
        accreditation_code -> Nullable<Text>,
        tax_code -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        full_name -> Text,
        password_hash -> Text,
        role -> Text,
        organization_id -> Nullable<Text>,
        district_id -> Nullable<Text>,
        active -> Bool,
        last_login_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    state_changes (id) {
        id -> Text,
        entity_type -> Text,
        entity_id -> Text,
        action -> Text,
        from_state -> Nullable<Text>,
        to_state -> Text,
        reason -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    persons (id) {
        id -> Text,
        district_id -> Text,
        tax_code -> Text,
        first_name -> Text,
        last_name -> Text,
        name_key -> Text,
        birth_date -> Date,
        gender -> Text,
        birth_place_code -> Nullable<Text>,
        residence_municipality_code -> Nullable<Text>,
        citizenship -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        address -> Nullable<Text>,
        education_level -> Nullable<Text>,
        employment_status -> Nullable<Text>,
        cluster -> Nullable<Text>,
        target_groups -> Text,
        has_disability -> Bool,
        disability_notes -> Nullable<Text>,
        criminal_justice -> Bool,
        criminal_justice_notes -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        anonymised_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    person_reads (id) {
        id -> Text,
        person_id -> Text,
        user_id -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    measures (id) {
        id -> Text,
        district_id -> Text,
        code -> Text,
        name -> Text,
        kind -> Text,
        funding_source -> Text,
        description -> Text,
        valid_from -> Date,
        valid_to -> Nullable<Date>,
        min_age -> Nullable<Integer>,
        max_age -> Nullable<Integer>,
        employment_statuses -> Text,
        target_groups -> Text,
        clusters -> Text,
        residence_required -> Bool,
        default_amount_cents -> BigInt,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        project_id -> Nullable<Text>,
        funding_note -> Nullable<Text>,
        for_operators -> Nullable<Text>,
    }
}

diesel::table! {
    district_municipalities (district_id,istat_code) {
        district_id -> Text,
        istat_code -> Text,
    }
}

diesel::table! {
    thresholds (id) {
        id -> Text,
        district_id -> Text,
        agency_id -> Text,
        measure_id -> Text,
        period_start -> Date,
        period_end -> Date,
        cap_cents -> BigInt,
        reserved_cents -> BigInt,
        spent_cents -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    meetings (id) {
        id -> Text,
        district_id -> Text,
        title -> Text,
        scheduled_for -> Date,
        location -> Nullable<Text>,
        status -> Text,
        participants -> Text,
        minutes_md -> Nullable<Text>,
        minutes_html -> Nullable<Text>,
        opened_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        network_id -> Nullable<Text>,
        kind -> Text,
        attendees -> Text,
        topics -> Text,
    }
}

diesel::table! {
    referrals (id) {
        id -> Text,
        district_id -> Text,
        person_id -> Text,
        organization_id -> Text,
        created_by -> Text,
        source -> Text,
        needs -> Text,
        reason -> Text,
        urgency -> Text,
        status -> Text,
        meeting_id -> Nullable<Text>,
        status_note -> Nullable<Text>,
        submitted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        received_via -> Nullable<Text>,
        duplicate_reason -> Nullable<Text>,
    }
}

diesel::table! {
    cases (id) {
        id -> Text,
        district_id -> Text,
        person_id -> Text,
        referral_id -> Text,
        agency_id -> Text,
        case_manager_id -> Nullable<Text>,
        status -> Text,
        suspended_from -> Nullable<Text>,
        first_meeting_date -> Nullable<Date>,
        plan_goals -> Nullable<Text>,
        outcome -> Nullable<Text>,
        outcome_details -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        next_due_date -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    agenda_items (id) {
        id -> Text,
        meeting_id -> Text,
        kind -> Text,
        referral_id -> Nullable<Text>,
        case_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    decisions (id) {
        id -> Text,
        meeting_id -> Text,
        referral_id -> Nullable<Text>,
        case_id -> Nullable<Text>,
        decision -> Text,
        agency_id -> Nullable<Text>,
        measure_ids -> Text,
        reason -> Nullable<Text>,
        decided_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    activations (id) {
        id -> Text,
        case_id -> Text,
        measure_id -> Text,
        threshold_id -> Nullable<Text>,
        amount_cents -> BigInt,
        spent_cents -> Nullable<BigInt>,
        status -> Text,
        note -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    follow_ups (id) {
        id -> Text,
        case_id -> Text,
        kind -> Text,
        date -> Date,
        note -> Text,
        next_due_date -> Nullable<Date>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outcome_checks (id) {
        id -> Text,
        case_id -> Text,
        months -> Integer,
        due_date -> Date,
        status -> Text,
        employed -> Nullable<Bool>,
        note -> Nullable<Text>,
        recorded_by -> Nullable<Text>,
        recorded_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        notified_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(organizations -> districts (district_id));
diesel::joinable!(users -> organizations (organization_id));
diesel::joinable!(users -> districts (district_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(persons -> districts (district_id));
diesel::joinable!(person_reads -> persons (person_id));
diesel::joinable!(measures -> districts (district_id));
diesel::joinable!(district_municipalities -> districts (district_id));
diesel::joinable!(thresholds -> districts (district_id));
diesel::joinable!(thresholds -> organizations (agency_id));
diesel::joinable!(thresholds -> measures (measure_id));
diesel::joinable!(meetings -> districts (district_id));
diesel::joinable!(referrals -> districts (district_id));
diesel::joinable!(referrals -> persons (person_id));
diesel::joinable!(referrals -> organizations (organization_id));
diesel::joinable!(referrals -> meetings (meeting_id));
diesel::joinable!(cases -> districts (district_id));
diesel::joinable!(cases -> persons (person_id));
diesel::joinable!(cases -> referrals (referral_id));
diesel::joinable!(cases -> organizations (agency_id));
diesel::joinable!(agenda_items -> meetings (meeting_id));
diesel::joinable!(agenda_items -> referrals (referral_id));
diesel::joinable!(agenda_items -> cases (case_id));
diesel::joinable!(decisions -> meetings (meeting_id));
diesel::joinable!(decisions -> referrals (referral_id));
diesel::joinable!(decisions -> cases (case_id));
diesel::joinable!(decisions -> organizations (agency_id));
diesel::joinable!(activations -> cases (case_id));
diesel::joinable!(activations -> measures (measure_id));
diesel::joinable!(activations -> thresholds (threshold_id));
diesel::joinable!(follow_ups -> cases (case_id));
diesel::joinable!(outcome_checks -> cases (case_id));

diesel::allow_tables_to_appear_in_same_query!(
    districts,
    organizations,
    users,
    refresh_tokens,
    state_changes,
    persons,
    person_reads,
    measures,
    district_municipalities,
    thresholds,
    meetings,
    referrals,
    cases,
    agenda_items,
    decisions,
    activations,
    follow_ups,
    outcome_checks
);

diesel::table! {
    integration_clients (id) {
        id -> Text,
        organization_id -> Text,
        name -> Text,
        client_id -> Text,
        secret_hash -> Text,
        scopes -> Text,
        active -> Bool,
        last_used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_subscriptions (id) {
        id -> Text,
        organization_id -> Text,
        url -> Text,
        event_types -> Text,
        secret -> Text,
        active -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    outbox_events (id) {
        id -> Text,
        district_id -> Text,
        event_type -> Text,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        event_id -> Text,
        subscription_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        lock_token -> Nullable<Text>,
        last_status_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        delivered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (caller, idem_key) {
        caller -> Text,
        idem_key -> Text,
        request_hash -> Text,
        state -> Text,
        response_status -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        response_location -> Nullable<Text>,
        response_content_type -> Nullable<Text>,
        created_at -> Timestamp,
        replay_read -> Nullable<Text>,
    }
}

diesel::joinable!(webhook_deliveries -> outbox_events (event_id));
diesel::joinable!(webhook_deliveries -> webhook_subscriptions (subscription_id));
diesel::allow_tables_to_appear_in_same_query!(
    integration_clients,
    webhook_subscriptions,
    outbox_events,
    webhook_deliveries,
    idempotency_keys,
    organizations
);

diesel::table! {
    due_counts (district_id, due_date) {
        district_id -> Text,
        due_date -> Date,
        count -> BigInt,
    }
}

diesel::table! {
    status_counts (district_id, entity, status) {
        district_id -> Text,
        entity -> Text,
        status -> Text,
        count -> BigInt,
    }
}

diesel::table! {
    documents (id) {
        id -> Text,
        referral_id -> Nullable<Text>,
        case_id -> Nullable<Text>,
        file_name -> Text,
        media_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        content -> Binary,
        uploaded_by -> Text,
        uploaded_at -> Timestamp,
        network_id -> Nullable<Text>,
        agreement_id -> Nullable<Text>,
    }
}

diesel::table! {
    document_downloads (id) {
        id -> Text,
        document_id -> Text,
        user_id -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        user_id -> Text,
        kind -> Text,
        params -> Text,
        link -> Text,
        dedupe_key -> Nullable<Text>,
        email_mode -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notification_preferences (user_id, kind) {
        user_id -> Text,
        kind -> Text,
        mode -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    notification_emails (id) {
        id -> Text,
        user_id -> Text,
        notification_id -> Nullable<Text>,
        digest_day -> Nullable<Date>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        lock_token -> Nullable<Text>,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(notifications -> users (user_id));
diesel::joinable!(notification_emails -> notifications (notification_id));
diesel::allow_tables_to_appear_in_same_query!(
    notifications,
    notification_preferences,
    notification_emails,
    users
);

diesel::table! {
    service_pacts (id) {
        id -> Text,
        case_id -> Text,
        version -> Integer,
        responsible_user_id -> Nullable<Text>,
        profile_kind -> Nullable<Text>,
        profile_value -> Nullable<Text>,
        assessment -> Nullable<Text>,
        meeting_frequency -> Nullable<Text>,
        job_search_proof -> Nullable<Text>,
        summary -> Text,
        signed_document_id -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    service_pact_actions (id) {
        id -> Text,
        pact_id -> Text,
        position -> Integer,
        kind -> Text,
        description -> Text,
        due_date -> Nullable<Date>,
        timing -> Nullable<Text>,
        done_at -> Nullable<Timestamp>,
        done_follow_up_id -> Nullable<Text>,
    }
}

diesel::joinable!(service_pacts -> cases (case_id));
diesel::joinable!(service_pact_actions -> service_pacts (pact_id));
diesel::allow_tables_to_appear_in_same_query!(service_pacts, service_pact_actions, cases);

diesel::table! {
    networks (id) {
        id -> Text,
        district_id -> Text,
        kind -> Text,
        name -> Text,
        purpose -> Nullable<Text>,
        objectives -> Text,
        objectives_other -> Nullable<Text>,
        promoter_organization_id -> Nullable<Text>,
        coordinating_organization_id -> Nullable<Text>,
        status -> Text,
        accepts_join_requests -> Bool,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    network_members (id) {
        id -> Text,
        network_id -> Text,
        organization_id -> Text,
        role -> Text,
        joined_on -> Date,
        approval_act_number -> Nullable<Text>,
        approval_act_date -> Nullable<Date>,
        approval_document_id -> Nullable<Text>,
        withdrawn_on -> Nullable<Date>,
        withdrawal_reason -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    network_resources (id) {
        id -> Text,
        network_id -> Text,
        organization_id -> Text,
        kind -> Text,
        description -> Nullable<Text>,
        amount_cents -> Nullable<BigInt>,
        hours -> Nullable<BigInt>,
        valid_from -> Nullable<Date>,
        valid_to -> Nullable<Date>,
        status -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(network_members -> networks (network_id));
diesel::joinable!(network_members -> organizations (organization_id));
diesel::joinable!(network_resources -> networks (network_id));
diesel::allow_tables_to_appear_in_same_query!(networks, network_members, network_resources);
diesel::allow_tables_to_appear_in_same_query!(network_members, organizations);

diesel::table! {
    join_requests (id) {
        id -> Text,
        network_id -> Text,
        name -> Text,
        organization -> Nullable<Text>,
        capacity -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        message -> Nullable<Text>,
        privacy_notice_version -> Text,
        status -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decline_reason -> Nullable<Text>,
        organization_id -> Nullable<Text>,
        member_id -> Nullable<Text>,
        invited_meeting_id -> Nullable<Text>,
        invited_at -> Nullable<Timestamp>,
        notified_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    agreements (id) {
        id -> Text,
        network_id -> Text,
        kind -> Text,
        subject -> Text,
        party_member_ids -> Text,
        status -> Text,
        signed_on -> Nullable<Date>,
        valid_from -> Nullable<Date>,
        valid_until -> Nullable<Date>,
        renews_agreement_id -> Nullable<Text>,
        termination_reason -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(join_requests -> networks (network_id));
diesel::joinable!(agreements -> networks (network_id));
diesel::allow_tables_to_appear_in_same_query!(join_requests, networks);
diesel::allow_tables_to_appear_in_same_query!(agreements, networks);
diesel::joinable!(networks -> districts (district_id));
diesel::allow_tables_to_appear_in_same_query!(networks, districts);

diesel::table! {
    plans (id) {
        id -> Text,
        district_id -> Text,
        title -> Text,
        period_start -> Date,
        period_end -> Date,
        status -> Text,
        approved_on -> Nullable<Date>,
        approval_reference -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    plan_axes (id) {
        id -> Text,
        plan_id -> Text,
        code -> Nullable<Text>,
        title -> Text,
        expected_results -> Nullable<Text>,
        position -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    plan_actions (id) {
        id -> Text,
        plan_id -> Text,
        axis_id -> Text,
        title -> Text,
        description -> Nullable<Text>,
        expected_results -> Nullable<Text>,
        start_date -> Nullable<Date>,
        end_date -> Nullable<Date>,
        funding_source -> Nullable<Text>,
        funding_note -> Nullable<Text>,
        budget_cents -> Nullable<BigInt>,
        responsible_department -> Nullable<Text>,
        responsible_organization_id -> Nullable<Text>,
        network_ids -> Text,
        indicators -> Text,
        status -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(plan_axes -> plans (plan_id));
diesel::joinable!(plan_actions -> plans (plan_id));
diesel::joinable!(plan_actions -> plan_axes (axis_id));
diesel::allow_tables_to_appear_in_same_query!(plans, plan_axes, plan_actions);

diesel::table! {
    action_items (id) {
        id -> Text,
        meeting_id -> Text,
        network_id -> Text,
        title -> Text,
        owner_member_id -> Nullable<Text>,
        due_on -> Nullable<Date>,
        status -> Text,
        status_reason -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    collective_actions (id) {
        id -> Text,
        network_id -> Text,
        kind -> Text,
        title -> Text,
        description -> Nullable<Text>,
        starts_on -> Nullable<Date>,
        ends_on -> Nullable<Date>,
        status -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    collective_action_participants (id) {
        id -> Text,
        action_id -> Text,
        member_id -> Text,
        organization_id -> Text,
        added_by -> Nullable<Text>,
        added_at -> Timestamp,
    }
}

diesel::table! {
    collective_action_employers (id) {
        id -> Text,
        action_id -> Text,
        organization_id -> Text,
        added_by -> Nullable<Text>,
        added_at -> Timestamp,
    }
}

diesel::table! {
    collective_action_beneficiaries (id) {
        id -> Text,
        action_id -> Text,
        case_id -> Text,
        agency_id -> Text,
        added_by -> Nullable<Text>,
        added_at -> Timestamp,
        removed_by -> Nullable<Text>,
        removed_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(collective_action_beneficiaries -> cases (case_id));
diesel::allow_tables_to_appear_in_same_query!(collective_action_beneficiaries, cases);

diesel::table! {
    working_groups (id) {
        id -> Text,
        network_id -> Text,
        area -> Text,
        name -> Text,
        purpose -> Nullable<Text>,
        status -> Text,
        closed_on -> Nullable<Date>,
        close_reason -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    working_group_members (id) {
        id -> Text,
        working_group_id -> Text,
        member_id -> Text,
        joined_on -> Date,
        left_on -> Nullable<Date>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    shared_responses (id) {
        id -> Text,
        network_id -> Text,
        member_id -> Text,
        organization_id -> Text,
        area -> Text,
        title -> Text,
        description -> Nullable<Text>,
        who_may_use -> Text,
        how_to_access -> Text,
        capacity -> Nullable<Integer>,
        valid_from -> Nullable<Date>,
        valid_to -> Nullable<Date>,
        status -> Text,
        withdrawal_reason -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    shared_response_proposals (id) {
        id -> Text,
        case_id -> Text,
        shared_response_id -> Text,
        note -> Nullable<Text>,
        proposed_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(working_groups -> networks (network_id));
diesel::joinable!(working_group_members -> working_groups (working_group_id));
diesel::joinable!(working_group_members -> network_members (member_id));
diesel::joinable!(shared_responses -> networks (network_id));
diesel::joinable!(shared_response_proposals -> shared_responses (shared_response_id));
diesel::joinable!(shared_response_proposals -> cases (case_id));
diesel::allow_tables_to_appear_in_same_query!(working_groups, working_group_members);
diesel::allow_tables_to_appear_in_same_query!(shared_responses, shared_response_proposals);

diesel::table! {
    projects (id) {
        id -> Text,
        district_id -> Text,
        title -> Text,
        description -> Nullable<Text>,
        funder -> Text,
        call_title -> Nullable<Text>,
        funding_source -> Nullable<Text>,
        cup -> Nullable<Text>,
        requested_cents -> Nullable<BigInt>,
        granted_cents -> Nullable<BigInt>,
        cofinanced_cents -> Nullable<BigInt>,
        granted_by_year -> Text,
        status -> Text,
        submission_deadline -> Nullable<Date>,
        start_date -> Nullable<Date>,
        end_date -> Nullable<Date>,
        reporting_deadline -> Nullable<Date>,
        submitted_on -> Nullable<Date>,
        decided_on -> Nullable<Date>,
        decision_note -> Nullable<Text>,
        lead_organization_id -> Nullable<Text>,
        lead_network_id -> Nullable<Text>,
        partner_organization_ids -> Text,
        partner_network_ids -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        for_operators -> Nullable<Text>,
    }
}

diesel::table! {
    project_plan_actions (project_id, plan_action_id) {
        project_id -> Text,
        plan_action_id -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(projects, project_plan_actions, plan_actions);
diesel::allow_tables_to_appear_in_same_query!(projects, measures);
diesel::allow_tables_to_appear_in_same_query!(project_plan_actions, measures);

diesel::table! {
    opportunities (id) {
        id -> Text,
        district_id -> Text,
        kind -> Text,
        organization_id -> Text,
        area -> Text,
        title -> Text,
        description -> Text,
        min_age -> Nullable<Integer>,
        max_age -> Nullable<Integer>,
        employment_statuses -> Text,
        target_groups -> Text,
        residence_required -> Bool,
        municipality_code -> Nullable<Text>,
        place_note -> Nullable<Text>,
        starts_on -> Nullable<Date>,
        ends_on -> Nullable<Date>,
        apply_by -> Nullable<Date>,
        last_day -> Nullable<Date>,
        how_to_apply -> Nullable<Text>,
        contact -> Nullable<Text>,
        shared_response_id -> Nullable<Text>,
        status -> Text,
        published_at -> Nullable<Timestamp>,
        expired_on -> Nullable<Date>,
        withdrawal_reason -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    opportunity_proposals (id) {
        id -> Text,
        case_id -> Text,
        source -> Text,
        opportunity_id -> Text,
        title -> Text,
        note -> Nullable<Text>,
        answer -> Nullable<Text>,
        answered_on -> Nullable<Date>,
        result -> Nullable<Text>,
        proposed_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(opportunities, organizations);
diesel::allow_tables_to_appear_in_same_query!(shared_responses, networks);

diesel::table! {
    signin_throttle (throttle_key) {
        throttle_key -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        last_failure_at -> Timestamp,
    }
}

diesel::table! {
    privacy_notices (id) {
        id -> Text,
        district_id -> Text,
        purpose -> Text,
        version -> Integer,
        title -> Text,
        body -> Text,
        valid_from -> Date,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    person_consents (id) {
        id -> Text,
        person_id -> Text,
        kind -> Text,
        purpose -> Text,
        notice_id -> Nullable<Text>,
        method -> Text,
        document_id -> Nullable<Text>,
        given_at -> Timestamp,
        given_by -> Text,
        expires_on -> Nullable<Date>,
        withdrawn_at -> Nullable<Timestamp>,
        withdrawn_by -> Nullable<Text>,
        withdrawal_reason -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(person_consents, privacy_notices);
diesel::allow_tables_to_appear_in_same_query!(person_consents, persons);

diesel::table! {
    audit_events (seq) {
        seq -> BigInt,
        id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        actor_role -> Nullable<Text>,
        district_id -> Nullable<Text>,
        client_address -> Nullable<Text>,
        request_id -> Nullable<Text>,
        action -> Text,
        entity_type -> Nullable<Text>,
        entity_id -> Nullable<Text>,
        person_id -> Nullable<Text>,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    audit_seals (seq) {
        seq -> BigInt,
        first_seq -> BigInt,
        last_seq -> BigInt,
        row_count -> BigInt,
        prev_hash -> Text,
        hash -> Text,
        sealed_at -> Timestamp,
    }
}

diesel::table! {
    audit_archives (id) {
        id -> Text,
        up_to_seq -> BigInt,
        seal_hash -> Text,
        row_count -> BigInt,
        file_sha256 -> Text,
        archived_at -> Timestamp,
    }
}

diesel::table! {
    audit_archive_gate (up_to_seq) {
        up_to_seq -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(audit_events, audit_seals);

diesel::table! {
    exports (id) {
        id -> Text,
        district_id -> Text,
        requested_by -> Text,
        list -> Text,
        format -> Text,
        filters -> Text,
        state -> Text,
        rows_done -> BigInt,
        error -> Nullable<Text>,
        file_name -> Nullable<Text>,
        bytes -> Nullable<BigInt>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    processing_activity_notes (district_id, activity_code) {
        district_id -> Text,
        activity_code -> Text,
        notes -> Nullable<Text>,
        retention_override -> Nullable<Text>,
        recipients_extra -> Nullable<Text>,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    data_breaches (id) {
        id -> Text,
        district_id -> Text,
        title -> Text,
        description -> Text,
        occurred_at -> Timestamp,
        discovered_at -> Timestamp,
        data_categories -> Text,
        subject_categories -> Text,
        subjects_affected -> Integer,
        records_affected -> Integer,
        consequences -> Text,
        measures_taken -> Text,
        garante_notification -> Text,
        garante_notified_at -> Nullable<Timestamp>,
        notification_reason -> Nullable<Text>,
        subjects_informed_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    person_restrictions (person_id) {
        person_id -> Text,
        district_id -> Text,
        reason -> Text,
        restricted_by -> Text,
        restricted_at -> Timestamp,
    }
}

diesel::table! {
    anonymisation_requests (id) {
        id -> Text,
        district_id -> Text,
        person_id -> Text,
        status -> Text,
        legal_ground -> Text,
        reason -> Nullable<Text>,
        requested_by -> Text,
        requested_at -> Timestamp,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_note -> Nullable<Text>,
    }
}

diesel::joinable!(person_restrictions -> persons (person_id));
diesel::joinable!(anonymisation_requests -> persons (person_id));
diesel::allow_tables_to_appear_in_same_query!(person_restrictions, anonymisation_requests);
diesel::allow_tables_to_appear_in_same_query!(person_restrictions, persons);
diesel::allow_tables_to_appear_in_same_query!(person_restrictions, referrals);
diesel::allow_tables_to_appear_in_same_query!(person_restrictions, cases);
diesel::allow_tables_to_appear_in_same_query!(anonymisation_requests, persons);
diesel::allow_tables_to_appear_in_same_query!(anonymisation_requests, cases);
