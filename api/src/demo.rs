//! Demo data for "Ambito 1 – Bergamo" (`serve --demo`): idempotent, loads only once.

use chrono::{Datelike, NaiveDate};
use sistema_lavoro_app::admin::{
    self, insert_user, CreateDistrict, CreateOrganization, CreateUser,
};
use sistema_lavoro_app::security::{hash_password, SecretBox};
use sistema_lavoro_app::workflow::activations::{self, SettleInput};
use sistema_lavoro_app::workflow::cases::{
    self, CloseInput, FollowUpInput, HiredDetails, OutcomeCheckInput, ReasonInput, TakeChargeInput,
};
use sistema_lavoro_app::workflow::catalogue::{self, MeasureInput, ThresholdInput};
use sistema_lavoro_app::workflow::collective::{
    self, BeneficiaryInput, CollectiveActionInput, EmployerInput, ParticipantInput,
};
use sistema_lavoro_app::workflow::meetings::decisions::{self, DecisionInput};
use sistema_lavoro_app::workflow::meetings::{self, agenda, close, MeetingInput};
use sistema_lavoro_app::workflow::networks::{
    self, ApprovalAct, MemberInput, NetworkInput, ResourceInput,
};
use sistema_lavoro_app::workflow::persons::{self, PersonInput};
use sistema_lavoro_app::workflow::privacy::{self, ConsentInput, NoticeInput};
use sistema_lavoro_app::workflow::referrals::{self, ActionNote, ReferralInput};
use sistema_lavoro_app::workflow::service_pact::{self, ServicePactInput};
use sistema_lavoro_app::Ctx;
use sistema_lavoro_domain::collective::CollectiveActionKind;
use sistema_lavoro_domain::i18n::Lang;
use sistema_lavoro_domain::ids::{
    ActivationId, CaseId, CollectiveActionId, DistrictId, MeasureId, MeetingId, NetworkId,
    OrganizationId, OutcomeCheckId, PersonId, PlanActionId, PlanId, ProjectId, ReferralId,
    ResourceId,
};
use sistema_lavoro_domain::municipality::IstatCode;
use sistema_lavoro_domain::networks::{MemberRole, NetworkKind, NetworkObjective, ResourceKind};
use sistema_lavoro_domain::plans::FundingSource;
use sistema_lavoro_domain::privacy::{ConsentKind, ConsentMethod, PrivacyPurpose};
use sistema_lavoro_domain::states::DecisionKind;
use sistema_lavoro_domain::tax_code::TaxCode;
use sistema_lavoro_domain::vocabulary::{
    Cluster, ContractType, EducationLevel, EmploymentStatus, FollowUpKind, Gender, MeasureKind,
    Need, Outcome, TargetGroup, Urgency,
};
use sistema_lavoro_domain::{
    Actor, Clock, Error, Expected, Now, OrganizationKind, Role, SystemClock,
};
use sistema_lavoro_store::activations::Activation;
use sistema_lavoro_store::cases::Case;
use sistema_lavoro_store::districts::District;
use sistema_lavoro_store::networks::Member;
use sistema_lavoro_store::users::User;
use sistema_lavoro_store::{write_tx, DbConn};

pub const DEMO_PASSWORD: &str = sistema_lavoro_domain::values::DEMO_PASSWORD;
pub const DISTRICT_CODE: &str = "AMBITO-1-BG";

/// The demo organizations: (key, name, kind, accreditation code).
const ORGANIZATIONS: &[(&str, &str, OrganizationKind, Option<&str>)] = &[
    (
        "ufficio",
        "Ufficio di Piano Ambito 1 – Bergamo",
        OrganizationKind::PlanningOffice,
        None,
    ),
    (
        "social",
        "Servizio Sociale Comune di Bergamo",
        OrganizationKind::SocialService,
        None,
    ),
    (
        "pass",
        "Segretariato Sociale PASS",
        OrganizationKind::FrontDesk,
        None,
    ),
    ("cpi", "CPI Bergamo", OrganizationKind::Cpi, None),
    (
        "agency1",
        "Agenzia Lavoro Orobica",
        OrganizationKind::AccreditedAgency,
        Some("LOM-ACC-0101"),
    ),
    (
        "agency2",
        "Cooperativa Sociale Il Ponte",
        OrganizationKind::AccreditedAgency,
        Some("LOM-ACC-0202"),
    ),
    (
        "agency3",
        "Fondazione Formazione e Lavoro",
        OrganizationKind::AccreditedAgency,
        Some("LOM-ACC-0303"),
    ),
    // The networks around the table (seeds 000, 001): the social agency that coordinates the
    // territorial pact, the six municipalities of the Ambito, the chamber of commerce.
    (
        "agenzia_sociale",
        "Agenzia Sociale Lavoro & Società",
        OrganizationKind::ThirdSector,
        None,
    ),
    (
        "comune_bergamo",
        "Comune di Bergamo",
        OrganizationKind::Municipality,
        None,
    ),
    (
        "comune_gorle",
        "Comune di Gorle",
        OrganizationKind::Municipality,
        None,
    ),
    (
        "comune_orio",
        "Comune di Orio al Serio",
        OrganizationKind::Municipality,
        None,
    ),
    (
        "comune_ponteranica",
        "Comune di Ponteranica",
        OrganizationKind::Municipality,
        None,
    ),
    (
        "comune_sorisole",
        "Comune di Sorisole",
        OrganizationKind::Municipality,
        None,
    ),
    (
        "comune_torre",
        "Comune di Torre Boldone",
        OrganizationKind::Municipality,
        None,
    ),
    (
        "cciaa",
        "Camera di Commercio di Bergamo",
        OrganizationKind::ChamberOfCommerce,
        None,
    ),
];

/// The demo users: (e-mail, full name, role, organization key).
pub const USERS: &[(&str, &str, Role, Option<&str>)] = &[
    (
        "admin@demo.test",
        "Amministratore di sistema",
        Role::Admin,
        None,
    ),
    (
        "coordinatore@demo.test",
        "Chiara Colombo",
        Role::Coordinator,
        Some("ufficio"),
    ),
    (
        "assistente.sociale@demo.test",
        "Anna Bonfanti",
        Role::Referrer,
        Some("social"),
    ),
    ("pass@demo.test", "Paolo Sala", Role::Referrer, Some("pass")),
    (
        "cpi@demo.test",
        "Carla Pesenti",
        Role::Referrer,
        Some("cpi"),
    ),
    (
        "operatore1@demo.test",
        "Luca Rota",
        Role::AgencyOperator,
        Some("agency1"),
    ),
    (
        "operatore2@demo.test",
        "Giulia Gritti",
        Role::AgencyOperator,
        Some("agency2"),
    ),
    (
        "operatore3@demo.test",
        "Marco Locatelli",
        Role::AgencyOperator,
        Some("agency3"),
    ),
    (
        "osservatorio@demo.test",
        "Osservatorio Politiche Sociali",
        Role::Observer,
        None,
    ),
    (
        "dpo@demo.test",
        "Silvia Moretti",
        Role::PrivacyOfficer,
        None,
    ),
    (
        "rete@demo.test",
        "Elena Ferrari",
        Role::NetworkCoordinator,
        Some("agenzia_sociale"),
    ),
];

/// Ids of the demo records later loaders build on.
pub struct DemoIds {
    pub district_id: DistrictId,
    pub orgs: Vec<(String, OrganizationId)>,
}

impl DemoIds {
    pub fn org(&self, key: &str) -> OrganizationId {
        self.orgs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, id)| id.clone())
            .unwrap_or_else(|| OrganizationId::from(""))
    }
}

/// Loads the demo unless the district already exists. Returns whether it loaded anything.
pub fn load(conn: &mut DbConn) -> Result<bool, Error> {
    load_with(conn, true)
}

/// The district, its organizations and users; with `workflow`, also the records of the story.
pub fn load_with(conn: &mut DbConn, with_workflow: bool) -> Result<bool, Error> {
    load_at(conn, SystemClock.read(), with_workflow)
}

/// [`load_with`], as of `now`.
pub fn load_at(conn: &mut DbConn, now: Now, with_workflow: bool) -> Result<bool, Error> {
    if District::find_by_code(conn, DISTRICT_CODE)?.is_some() {
        return Ok(false);
    }
    let hashes = demo_hashes()?;
    // The loader sets the district up as an administrator would.
    let loader = Actor {
        id: "demo-loader".into(),
        role: Role::Admin,
        organization_id: None,
        district_id: None,
        scopes: None,
    };
    let cx = Ctx::new(&loader, now, Lang::It);
    write_tx(conn, |conn| {
        let district = admin::create_district(
            conn,
            &cx,
            CreateDistrict {
                code: DISTRICT_CODE.into(),
                name: "Ambito 1 – Bergamo".into(),
                timezone: Some("Europe/Rome".into()),
            },
        )?;
        let mut orgs = Vec::new();
        for (key, name, kind, code) in ORGANIZATIONS {
            let o = admin::create_organization(
                conn,
                &cx,
                CreateOrganization {
                    district_id: district.id.clone().into(),
                    name: (*name).into(),
                    kind: *kind,
                    accreditation_code: code.map(Into::into),
                    tax_code: None,
                    email: None,
                    phone: None,
                },
            )?;
            orgs.push(((*key).to_string(), OrganizationId::from(o.id)));
        }
        let ids = DemoIds {
            district_id: district.id.clone().into(),
            orgs,
        };
        for ((email, name, role, org), hash) in USERS.iter().zip(hashes) {
            if User::find_by_email(conn, email)?.is_some() {
                continue;
            }
            insert_user(
                conn,
                now.at,
                CreateUser {
                    email: (*email).into(),
                    full_name: (*name).into(),
                    password: String::new(),
                    role: *role,
                    organization_id: org.map(|k| ids.org(k)),
                    district_id: match role {
                        Role::Admin => None,
                        _ => Some(ids.district_id.clone()),
                    },
                },
                hash,
            )?;
        }
        if with_workflow {
            workflow(conn, now, &ids)?;
        }
        Ok(true)
    })
}

/// One hash per demo user, each with its own salt (one shared hash would tell anyone who
/// reads the table that the accounts share a password, and crack them all at once). Made on
/// a few threads: Argon2 is slow on purpose.
fn demo_hashes() -> Result<Vec<String>, Error> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let per = USERS.len().div_ceil(workers).max(1);
    let chunks: Vec<Vec<Result<String, String>>> = std::thread::scope(|s| {
        let running: Vec<_> = USERS
            .chunks(per)
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|_| hash_password(DEMO_PASSWORD))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        running
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err("password hashing panicked".into())])
            })
            .collect()
    });
    chunks
        .into_iter()
        .flatten()
        .map(|h| h.map_err(Error::Internal))
        .collect()
}

/// Acts as a demo user, so the demo goes through the same use cases as the API.
fn actor(conn: &mut DbConn, email: &str) -> Result<Actor, Error> {
    let u = User::find_by_email(conn, email)?
        .ok_or_else(|| Error::Internal(format!("demo user {email} missing")))?;
    Ok(Actor {
        role: u.role,
        id: u.id.into(),
        organization_id: u.organization_id,
        district_id: u.district_id,
        scopes: None,
    })
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// A demo person: surname, name, gender, birth date, birth place (Belfiore), residence
/// (ISTAT), employment status, cluster, target groups.
struct DemoPerson {
    last: &'static str,
    first: &'static str,
    gender: Gender,
    born: (i32, u32, u32),
    birth_place: &'static str,
    residence: &'static str,
    status: EmploymentStatus,
    cluster: Cluster,
    groups: &'static [TargetGroup],
}

const PERSONS: &[DemoPerson] = &[
    DemoPerson {
        last: "Rossi",
        first: "Mario",
        gender: Gender::M,
        born: (1985, 12, 10),
        birth_place: "A794",
        residence: "016024",
        status: EmploymentStatus::Unemployed,
        cluster: Cluster::Band2,
        groups: &[TargetGroup::LongTermUnemployed],
    },
    DemoPerson {
        last: "Bianchi",
        first: "Giulia",
        gender: Gender::F,
        born: (2001, 3, 15),
        birth_place: "I628",
        residence: "016115",
        status: EmploymentStatus::Unemployed,
        cluster: Cluster::Band1,
        groups: &[TargetGroup::YouthNeet],
    },
    DemoPerson {
        last: "Benali",
        first: "Ahmed",
        gender: Gender::M,
        born: (1979, 7, 2),
        birth_place: "Z330",
        residence: "016024",
        status: EmploymentStatus::WorkingPoor,
        cluster: Cluster::Band3,
        groups: &[TargetGroup::Migrant, TargetGroup::IncomeSupport],
    },
    DemoPerson {
        last: "Colombo",
        first: "Sara",
        gender: Gender::F,
        born: (1990, 9, 21),
        birth_place: "A794",
        residence: "016169",
        status: EmploymentStatus::Unemployed,
        cluster: Cluster::Band2,
        groups: &[TargetGroup::WomenReturning],
    },
    DemoPerson {
        last: "Ferrari",
        first: "Luca",
        gender: Gender::M,
        born: (1997, 1, 30),
        birth_place: "F205",
        residence: "016202",
        status: EmploymentStatus::Unemployed,
        cluster: Cluster::Band3,
        groups: &[TargetGroup::CriminalJustice],
    },
    DemoPerson {
        last: "Moretti",
        first: "Elena",
        gender: Gender::F,
        born: (1968, 5, 11),
        birth_place: "A794",
        residence: "016214",
        status: EmploymentStatus::Unemployed,
        cluster: Cluster::Band4,
        groups: &[TargetGroup::Over50, TargetGroup::LongTermUnemployed],
    },
    DemoPerson {
        last: "Popescu",
        first: "Ioana",
        gender: Gender::F,
        born: (1988, 11, 3),
        birth_place: "Z129",
        residence: "016024",
        status: EmploymentStatus::Unemployed,
        cluster: Cluster::Band2,
        groups: &[TargetGroup::Migrant],
    },
    DemoPerson {
        last: "Gallo",
        first: "Davide",
        gender: Gender::M,
        born: (2004, 6, 18),
        birth_place: "A794",
        residence: "016150",
        status: EmploymentStatus::Inactive,
        cluster: Cluster::Band2,
        groups: &[TargetGroup::YouthNeet, TargetGroup::CareLeaver],
    },
    DemoPerson {
        last: "Ricci",
        first: "Francesca",
        gender: Gender::F,
        born: (1975, 2, 27),
        birth_place: "F839",
        residence: "016024",
        status: EmploymentStatus::WorkingPoor,
        cluster: Cluster::Band3,
        groups: &[TargetGroup::IncomeSupport],
    },
    DemoPerson {
        last: "Conti",
        first: "Paolo",
        gender: Gender::M,
        born: (1982, 8, 8),
        birth_place: "G273",
        residence: "016115",
        status: EmploymentStatus::Unemployed,
        cluster: Cluster::Band2,
        groups: &[TargetGroup::LongTermUnemployed],
    },
    DemoPerson {
        last: "Villa",
        first: "Marco",
        gender: Gender::M,
        born: (1993, 4, 4),
        birth_place: "A794",
        residence: "016024",
        status: EmploymentStatus::Unemployed,
        cluster: Cluster::Band1,
        groups: &[],
    },
    DemoPerson {
        last: "Longhi",
        first: "Chiara",
        gender: Gender::F,
        born: (1999, 12, 12),
        birth_place: "A794",
        residence: "016024",
        status: EmploymentStatus::Student,
        cluster: Cluster::Band1,
        groups: &[TargetGroup::YouthNeet],
    },
    DemoPerson {
        last: "Brambilla",
        first: "Giorgio",
        gender: Gender::M,
        born: (1971, 10, 5),
        birth_place: "I628",
        residence: "016198",
        status: EmploymentStatus::Unemployed,
        cluster: Cluster::Band3,
        groups: &[TargetGroup::Over50],
    },
    DemoPerson {
        last: "Pellegrini",
        first: "Anna",
        gender: Gender::F,
        born: (1986, 7, 19),
        birth_place: "A794",
        residence: "016024",
        status: EmploymentStatus::Unemployed,
        cluster: Cluster::Band2,
        groups: &[TargetGroup::WomenReturning],
    },
];

/// Workflow records of the demo: catalogue and thresholds, persons, referrals in every state,
/// a closed meeting with its minutes, an open one and a planned one, cases in every state.
fn workflow(conn: &mut DbConn, now: Now, ids: &DemoIds) -> Result<(), Error> {
    let coord = actor(conn, "coordinatore@demo.test")?;
    let social = actor(conn, "assistente.sociale@demo.test")?;
    let pass = actor(conn, "pass@demo.test")?;
    let cpi = actor(conn, "cpi@demo.test")?;
    let op1 = actor(conn, "operatore1@demo.test")?;
    let op2 = actor(conn, "operatore2@demo.test")?;
    let op3 = actor(conn, "operatore3@demo.test")?;
    fn with(a: &Actor, now: Now) -> Ctx<'_> {
        Ctx::new(a, now, Lang::It)
    }
    let any = Expected::Any;
    let today = now.today;
    let year = today.year();

    let codes = ["016024", "016115", "016150", "016169", "016202", "016214"]
        .iter()
        .map(|c| IstatCode::parse(c).map_err(|e| Error::Internal(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    catalogue::set_district_municipalities(
        conn,
        &with(&coord, now),
        &ids.district_id,
        &any,
        codes,
    )?;
    demo_notices(conn, &with(&coord, now))?;

    let measure = |conn: &mut DbConn,
                   code: &str,
                   name: &str,
                   kind: MeasureKind,
                   funding: (FundingSource, &str),
                   ages: (Option<i32>, Option<i32>),
                   statuses: &[EmploymentStatus],
                   groups: &[TargetGroup],
                   residence: bool,
                   amount: i64| {
        catalogue::create_measure(
            conn,
            &with(&coord, now),
            MeasureInput {
                code: code.into(),
                name: name.into(),
                kind,
                funding_source: funding.0,
                funding_note: Some(funding.1.into()),
                description: String::new(),
                valid_from: date(year, 1, 1),
                valid_to: Some(date(year + 1, 12, 31)),
                min_age: ages.0,
                max_age: ages.1,
                employment_statuses: statuses.to_vec(),
                target_groups: groups.to_vec(),
                clusters: vec![],
                residence_required: residence,
                default_amount_cents: amount,
                for_operators: for_operators(code),
            },
        )
    };
    use EmploymentStatus as E;
    use TargetGroup as T;
    let dul = measure(
        conn,
        "DUL",
        "Dote Unica Lavoro",
        MeasureKind::Dul,
        (FundingSource::EsfPlus, "FSE+ – Regione Lombardia"),
        (Some(18), Some(66)),
        &[E::Unemployed, E::WorkingPoor],
        &[],
        false,
        150_000,
    )?;
    let gg = measure(
        conn,
        "GG",
        "Garanzia Giovani",
        MeasureKind::Gg,
        (FundingSource::EsfPlus, "Programma GOL / FSE+"),
        (Some(15), Some(29)),
        &[E::Unemployed, E::Inactive, E::Student],
        &[],
        false,
        120_000,
    )?;
    let step = measure(
        conn,
        "STEP",
        "Step By Step",
        MeasureKind::DistrictProject,
        (FundingSource::NationalFund, "Fondo Povertà – Ambito 1"),
        (None, None),
        &[],
        &[
            T::IncomeSupport,
            T::LongTermUnemployed,
            T::WomenReturning,
            T::Migrant,
        ],
        true,
        80_000,
    )?;
    let ponte = measure(
        conn,
        "PONTE",
        "Un Ponte per il lavoro",
        MeasureKind::DistrictProject,
        (FundingSource::DistrictBudget, "Piano di Zona – Ambito 1"),
        (None, None),
        &[],
        &[T::CriminalJustice, T::CareLeaver, T::Disability],
        true,
        100_000,
    )?;

    let agencies = [ids.org("agency1"), ids.org("agency2"), ids.org("agency3")];
    for (agency, m, cap) in [
        (0, &dul, 3_000_000),
        (0, &gg, 2_000_000),
        (0, &step, 800_000),
        (1, &dul, 2_000_000),
        (1, &step, 1_000_000),
        (1, &ponte, 600_000),
        (2, &gg, 1_500_000),
        (2, &ponte, 1_200_000),
        (2, &dul, 1_000_000),
    ] {
        catalogue::create_threshold(
            conn,
            &with(&coord, now),
            ThresholdInput {
                agency_id: agencies[agency].clone(),
                measure_id: m.id.clone().into(),
                period_start: date(year, 1, 1),
                period_end: date(year, 12, 31),
                cap_cents: cap,
            },
        )?;
    }

    let mut person_ids = Vec::new();
    for (n, p) in PERSONS.iter().enumerate() {
        let born = date(p.born.0, p.born.1, p.born.2);
        let gender = if p.gender == Gender::F { 'F' } else { 'M' };
        let code = TaxCode::compose(p.last, p.first, born, gender, p.birth_place)
            .ok_or_else(|| Error::Internal(format!("demo tax code for {}", p.last)))?;
        let by = [&social, &pass, &cpi][n % 3];
        let created = persons::create(
            conn,
            &with(by, now),
            &SecretBox::without_key(),
            PersonInput {
                tax_code: code.as_str().into(),
                first_name: p.first.into(),
                last_name: p.last.into(),
                birth_date: born,
                gender: p.gender,
                birth_place_code: None,
                residence_municipality_code: Some(p.residence.into()),
                citizenship: Some(
                    if p.birth_place.starts_with('Z') {
                        "estera"
                    } else {
                        "italiana"
                    }
                    .into(),
                ),
                email: None,
                phone: Some(format!("+39 035 000 {:04}", 100 + n)),
                address: None,
                education_level: Some(EducationLevel::UpperSecondary),
                employment_status: Some(p.status),
                cluster: Some(p.cluster),
                target_groups: p.groups.to_vec(),
                has_disability: false,
                disability_notes: None,
                criminal_justice: p.groups.contains(&T::CriminalJustice),
                criminal_justice_notes: None,
            },
        )?;
        give_notice(conn, &with(by, now), &created.id)?;
        person_ids.push((created.id, [&social, &pass, &cpi][n % 3].clone()));
    }
    let reasons = [
        "Disoccupato da oltre 12 mesi, esperienza in logistica; chiede supporto nella ricerca attiva.",
        "Giovane NEET, diploma alberghiero; interesse per un tirocinio in ristorazione.",
        "Lavoro part-time precario; nucleo con due figli minori; necessita di aumentare il reddito.",
        "Rientro al lavoro dopo maternità; disponibilità part-time; competenze amministrative.",
        "In misura alternativa alla detenzione; segnalato dall'UEPE per percorso di inserimento.",
        "Over 50 espulsa dal settore tessile; bassa autonomia nella ricerca online.",
        "Arrivata in Italia da 3 anni; buona conoscenza dell'italiano; esperienza nella cura.",
        "Neo-maggiorenne in uscita da comunità; nessuna esperienza lavorativa.",
        "Contratto a chiamata; invalidità civile 46%; chiede un lavoro stabile.",
        "Disoccupato; in attesa di documentazione su precedenti percorsi formativi.",
        "Ha perso il lavoro da 2 mesi; elettricista.",
        "Studentessa lavoratrice; chiedeva orientamento.",
        "Magazziniere, licenziato per chiusura aziendale.",
        "Cerca lavoro nel settore pulizie; orari compatibili con la scuola dei figli.",
    ];
    let needs = [
        vec![Need::Work],
        vec![Need::Work, Need::Training],
        vec![Need::Work, Need::Income, Need::FamilyCare],
        vec![Need::Work, Need::FamilyCare],
        vec![Need::Work, Need::Relational],
    ];
    let mut refs = Vec::new();
    for (n, (pid, by)) in person_ids.iter().enumerate() {
        let r = referrals::create(
            conn,
            &with(by, now),
            ReferralInput {
                person_id: pid.clone().into(),
                source: None,
                needs: needs[n % needs.len()].clone(),
                reason: reasons[n].into(),
                urgency: Some(if n % 4 == 0 {
                    Urgency::High
                } else {
                    Urgency::Normal
                }),
                organization_id: None,
                received_via: None,
                duplicate_reason: None,
                notice_override_reason: None,
            },
        )?;
        refs.push((ReferralId::from(r.id), by.clone()));
    }
    let submit = |conn: &mut DbConn, i: usize| {
        referrals::submit(
            conn,
            &with(&refs[i].1, now),
            &refs[i].0,
            &any,
            ActionNote::default(),
        )
    };
    for i in 0..10 {
        submit(conn, i)?;
    }

    // The past meeting: everything decided and applied, minutes frozen.
    let participants = vec![
        "Chiara Colombo – Ufficio di Piano (presidente)".to_string(),
        "Carla Pesenti – CPI Bergamo".to_string(),
        "Luca Rota – Agenzia Lavoro Orobica".to_string(),
        "Giulia Gritti – Cooperativa Sociale Il Ponte".to_string(),
        "Marco Locatelli – Fondazione Formazione e Lavoro".to_string(),
    ];
    let past = meetings::create(
        conn,
        &with(&coord, now),
        MeetingInput {
            network_id: None,
            kind: None,
            attendees: vec![],
            topics: vec![],
            title: None,
            scheduled_for: today - chrono::Duration::days(30),
            location: Some("Ufficio di Piano, Piazza Matteotti 3, Bergamo".into()),
            participants: participants.clone(),
        },
    )?;
    agenda::open(
        conn,
        &with(&coord, now),
        &MeetingId::from(past.id.as_str()),
        &any,
    )?;
    let decide = |conn: &mut DbConn,
                  meeting: &MeetingId,
                  i: usize,
                  decision: DecisionKind,
                  agency: Option<usize>,
                  measures: Vec<MeasureId>,
                  reason: Option<&str>| {
        decisions::decide(
            conn,
            &with(&coord, now),
            meeting,
            DecisionInput {
                referral_id: Some(refs[i].0.clone()),
                case_id: None,
                decision,
                agency_id: agency.map(|a| agencies[a].clone()),
                measure_ids: measures,
                reason: reason.map(Into::into),
            },
        )
    };
    decide(
        conn,
        &MeetingId::from(past.id.as_str()),
        0,
        DecisionKind::Accept,
        Some(0),
        vec![dul.id.clone().into()],
        Some("Profilo adatto a DUL; esperienza in logistica."),
    )?;
    decide(
        conn,
        &MeetingId::from(past.id.as_str()),
        1,
        DecisionKind::Accept,
        Some(2),
        vec![gg.id.clone().into()],
        Some("Requisiti Garanzia Giovani."),
    )?;
    decide(
        conn,
        &MeetingId::from(past.id.as_str()),
        2,
        DecisionKind::Accept,
        Some(1),
        vec![step.id.clone().into()],
        Some("Progetto Step By Step per working poor."),
    )?;
    decide(
        conn,
        &MeetingId::from(past.id.as_str()),
        3,
        DecisionKind::Accept,
        Some(0),
        vec![dul.id.clone().into()],
        None,
    )?;
    decide(
        conn,
        &MeetingId::from(past.id.as_str()),
        4,
        DecisionKind::Accept,
        Some(2),
        vec![ponte.id.clone().into()],
        Some("Area penale: progetto Un Ponte per il lavoro."),
    )?;
    decide(
        conn,
        &MeetingId::from(past.id.as_str()),
        5,
        DecisionKind::Accept,
        Some(1),
        vec![dul.id.clone().into()],
        None,
    )?;
    decide(
        conn,
        &MeetingId::from(past.id.as_str()),
        6,
        DecisionKind::Reject,
        None,
        vec![],
        Some("Già in carico al CPI con patto di servizio attivo."),
    )?;
    decide(
        conn,
        &MeetingId::from(past.id.as_str()),
        7,
        DecisionKind::Redirect,
        None,
        vec![],
        Some("Inviato al Servizio Tutela Minori per il progetto care leavers."),
    )?;
    decide(
        conn,
        &MeetingId::from(past.id.as_str()),
        8,
        DecisionKind::Defer,
        None,
        vec![],
        Some("In attesa della certificazione di invalidità aggiornata."),
    )?;
    decide(
        conn,
        &MeetingId::from(past.id.as_str()),
        9,
        DecisionKind::RequestInfo,
        None,
        vec![],
        Some("Allegare il curriculum e gli attestati dei corsi frequentati."),
    )?;
    close::close(
        conn,
        &with(&coord, now),
        &MeetingId::from(past.id.as_str()),
        &any,
        30,
    )?;

    // Cases in every state.
    let case_of = |conn: &mut DbConn, i: usize| -> Result<Case, Error> {
        Case::find_by_referral(conn, &refs[i].0)?
            .ok_or_else(|| Error::Internal("demo case missing".into()))
    };
    let take = |conn: &mut DbConn, op: &Actor, c: &Case, goals: &str| {
        cases::take_charge(
            conn,
            &with(op, now),
            &c.id,
            &any,
            TakeChargeInput {
                first_meeting_date: today,
                plan_goals: None,
                // The pact signed at the first meeting, as the agency's take-charge form sends it.
                service_pact: Some(
                    serde_json::from_value::<ServicePactInput>(serde_json::json!({
                        "summary": goals,
                        "meeting_frequency": "fortnightly",
                        "job_search_proof": "Elenco delle candidature inviate, portato a ogni colloquio.",
                        "actions": [{"kind": "job_search", "description": "Inviare almeno 3 candidature a settimana", "timing": "ogni settimana"}]
                    }))
                    .map_err(|e| Error::Internal(format!("demo pact: {e}")))?,
                ),
            },
        )
    };
    let first_activation = |conn: &mut DbConn, c: &Case| -> Result<ActivationId, Error> {
        Activation::of_case(conn, &c.id)?
            .into_iter()
            .next()
            .map(|a| a.id)
            .ok_or_else(|| Error::Internal("demo activation missing".into()))
    };
    // Giulia: in charge, GG proposed.
    let giulia = case_of(conn, 1)?;
    take(
        conn,
        &op3,
        &giulia,
        "Orientamento; tirocinio in ristorazione con Garanzia Giovani.",
    )?;
    // Ahmed: active (STEP running), and overdue: the last follow-up set a date now past.
    let ahmed = case_of(conn, 2)?;
    take(
        conn,
        &op2,
        &ahmed,
        "Aumento delle ore lavorate; corso HACCP; bilancio di competenze.",
    )?;
    let a = first_activation(conn, &ahmed)?;
    activations::approve(conn, &with(&op2, now), &a, &any)?;
    activations::start(conn, &with(&op2, now), &a, &any)?;
    cases::add_follow_up(
        conn,
        &with(&op2, now),
        &ahmed.id,
        FollowUpInput {
            kind: FollowUpKind::Meeting,
            date: today - chrono::Duration::days(20),
            note: "Colloquio: avviato il corso HACCP, frequenza regolare.".into(),
            next_due_date: Some(today - chrono::Duration::days(6)),
            pact_action_ids: None,
        },
        30,
    )?;
    // Sara: monitoring (DUL completed).
    let sara = case_of(conn, 3)?;
    take(
        conn,
        &op1,
        &sara,
        "Riqualificazione amministrativa; ricerca part-time.",
    )?;
    // Her pact, revised after the first meeting: a GOL pathway, the actions, how she proves
    // the job search.
    let pact: ServicePactInput = serde_json::from_value(serde_json::json!({
        "summary": "Riqualificazione amministrativa; ricerca part-time.",
        "profile_kind": "gol", "profile_value": "pathway_3",
        "assessment": "Esperienza in segreteria; da aggiornare le competenze informatiche.",
        "meeting_frequency": "fortnightly",
        "job_search_proof": "Elenco delle candidature inviate, mostrato a ogni colloquio.",
        "actions": [
            {"kind": "training", "description": "Corso di contabilità di base (DUL)", "timing": "entro tre mesi"},
            {"kind": "job_search", "description": "Tre candidature a settimana per impieghi part-time", "timing": "ogni settimana"}
        ]
    }))
    .map_err(|e| Error::Internal(format!("demo pact: {e}")))?;
    service_pact::revise(conn, &with(&op1, now), &sara.id, &any, pact)?;
    let a = first_activation(conn, &sara)?;
    activations::approve(conn, &with(&op1, now), &a, &any)?;
    activations::start(conn, &with(&op1, now), &a, &any)?;
    activations::complete(
        conn,
        &with(&op1, now),
        &a,
        &any,
        SettleInput {
            spent_cents: 140_000,
            reason: Some("Corso concluso".into()),
        },
    )?;
    // Luca: suspended.
    let luca = case_of(conn, 4)?;
    take(
        conn,
        &op3,
        &luca,
        "Percorso di inserimento con tutoraggio; borsa lavoro.",
    )?;
    cases::suspend(
        conn,
        &with(&op3, now),
        &luca.id,
        &any,
        ReasonInput {
            reason: "Ricovero ospedaliero: sospeso fino a nuova valutazione.".into(),
        },
    )?;
    // Elena: closed, hired; outcome checks scheduled.
    let elena = case_of(conn, 5)?;
    take(
        conn,
        &op2,
        &elena,
        "Riqualificazione come addetta alle vendite.",
    )?;
    let a = first_activation(conn, &elena)?;
    activations::approve(conn, &with(&op2, now), &a, &any)?;
    activations::start(conn, &with(&op2, now), &a, &any)?;
    activations::complete(
        conn,
        &with(&op2, now),
        &a,
        &any,
        SettleInput {
            spent_cents: 150_000,
            reason: None,
        },
    )?;
    cases::close(
        conn,
        &with(&op2, now),
        &elena.id,
        &any,
        CloseInput {
            outcome: Outcome::Hired,
            hired: Some(HiredDetails {
                contract_type: ContractType::FixedTerm,
                hours_per_week: 30,
                employer: "Supermercati Orobici srl".into(),
            }),
            note: Some("Assunta a tempo determinato 12 mesi.".into()),
        },
    )?;
    // Mario stays `assigned`: agency 1 has not met him yet.
    // Workers made redundant by a textile firm, referred by the CPI eight months ago and
    // followed by agency 1: the partnership's outplacement action takes them (seed 001).
    let mut outplaced = demo_outplaced(conn, now, &ids.org("agency1"))?;
    outplaced.push(case_of(conn, 0)?.id);
    outplaced.push(sara.id.clone());

    // Referrals in the remaining states.
    referrals::withdraw(
        conn,
        &with(&refs[11].1, now),
        &refs[11].0,
        &any,
        ActionNote {
            reason: Some("La persona ha trovato lavoro autonomamente.".into()),
        },
    )?;
    submit(conn, 12)?;
    // Referral 10 (Marco) stays a draft.

    // The current meeting, open: Francesca (deferred) and Giorgio on the agenda.
    let current = meetings::create(
        conn,
        &with(&coord, now),
        MeetingInput {
            network_id: None,
            kind: None,
            attendees: vec![],
            topics: vec![],
            title: None,
            scheduled_for: today,
            location: Some("Ufficio di Piano, Piazza Matteotti 3, Bergamo".into()),
            participants,
        },
    )?;
    agenda::open(
        conn,
        &with(&coord, now),
        &MeetingId::from(current.id.as_str()),
        &any,
    )?;
    decide(
        conn,
        &MeetingId::from(current.id.as_str()),
        8,
        DecisionKind::Accept,
        Some(1),
        vec![step.id.clone().into()],
        Some("Certificazione ricevuta: Step By Step."),
    )?;
    // Anna, submitted after the meeting opened, waits for the next one.
    submit(conn, 13)?;
    meetings::create(
        conn,
        &with(&coord, now),
        MeetingInput {
            network_id: None,
            kind: None,
            attendees: vec![],
            topics: vec![],
            title: None,
            scheduled_for: today + chrono::Duration::days(28),
            location: Some("Ufficio di Piano, Piazza Matteotti 3, Bergamo".into()),
            participants: vec![],
        },
    )?;
    demo_networks(conn, now, ids, &outplaced)?;
    demo_forum(conn, now, ids)?;
    demo_plan(conn, now, ids)?;
    demo_opportunities(conn, now, ids)?;
    Ok(())
}

/// The networks around the table: the territorial pact coordinated by the social agency with
/// the six municipalities and resources pledged, and an active partnership (agency 1, which
/// has cases in charge, with the Comune di Bergamo and the chamber of commerce).
fn demo_networks(
    conn: &mut DbConn,
    now: Now,
    ids: &DemoIds,
    outplaced: &[CaseId],
) -> Result<(), Error> {
    let coord = actor(conn, "coordinatore@demo.test")?;
    let rete = actor(conn, "rete@demo.test")?;
    let any = Expected::Any;
    let as_coord = Ctx::new(&coord, now, Lang::It);
    let as_rete = Ctx::new(&rete, now, Lang::It);
    let joined = date(now.today.year(), 1, 15).min(now.today);
    let join = |conn: &mut DbConn,
                cx: &Ctx,
                network: &NetworkId,
                key: &str,
                role: MemberRole,
                act: Option<&str>| {
        networks::add_member(
            conn,
            cx,
            network,
            MemberInput {
                organization_id: ids.org(key),
                role: Some(role),
                joined_on: Some(joined),
                approval_act: act.map(|n| ApprovalAct {
                    number: n.into(),
                    date: joined,
                    document_id: None,
                }),
            },
        )
    };
    let pact = networks::create(
        conn,
        &as_rete,
        NetworkInput {
            kind: NetworkKind::TerritorialPact,
            name: "Patto territoriale per il lavoro – Ambito 1 Bergamo".into(),
            purpose: Some(
                "Alleanza tra i Comuni e gli attori del territorio per l'inclusione sociale e \
                 lavorativa delle persone svantaggiate"
                    .into(),
            ),
            objectives: vec![
                NetworkObjective::JobCreation,
                NetworkObjective::Reinsertion,
                NetworkObjective::SocialExclusion,
                NetworkObjective::LabourMatching,
                NetworkObjective::InnovativeProjects,
                NetworkObjective::FundRaising,
                NetworkObjective::EsfProjects,
            ],
            objectives_other: None,
            promoter_organization_id: Some(ids.org("agenzia_sociale")),
            coordinating_organization_id: Some(ids.org("agenzia_sociale")),
            accepts_join_requests: Some(true),
        },
    )?;
    let pact_id = NetworkId::from(pact.id.as_str());
    join(
        conn,
        &as_rete,
        &pact_id,
        "agenzia_sociale",
        MemberRole::Coordinator,
        None,
    )?;
    for (n, key) in [
        "comune_bergamo",
        "comune_gorle",
        "comune_orio",
        "comune_ponteranica",
        "comune_sorisole",
        "comune_torre",
    ]
    .into_iter()
    .enumerate()
    {
        let act = format!("DCC n. {}", 10 + n);
        join(
            conn,
            &as_rete,
            &pact_id,
            key,
            MemberRole::Member,
            Some(&act),
        )?;
    }
    networks::transition(
        conn,
        &as_rete,
        &pact_id,
        &any,
        networks::Move::Activate,
        Some("Sottoscritto dai sei Comuni dell'Ambito".into()),
    )?;
    /// Organization key, kind, euro cents, hours, what it is.
    type Pledge = (
        &'static str,
        ResourceKind,
        Option<i64>,
        Option<i64>,
        &'static str,
    );
    let pledges: [Pledge; 4] = [
        (
            "comune_bergamo",
            ResourceKind::IncomeSupport,
            Some(2_000_000),
            None,
            "Fondo comunale per borse lavoro",
        ),
        (
            "comune_gorle",
            ResourceKind::Premises,
            None,
            Some(120),
            "Sala civica per laboratori di orientamento",
        ),
        (
            "agenzia_sociale",
            ResourceKind::StaffTime,
            None,
            Some(400),
            "Coordinamento e tutoraggio degli inserimenti",
        ),
        (
            "comune_sorisole",
            ResourceKind::WorkLifeBalance,
            Some(500_000),
            None,
            "Voucher per servizi di conciliazione",
        ),
    ];
    for (n, (key, kind, cents, hours, what)) in pledges.into_iter().enumerate() {
        let r = networks::pledge(
            conn,
            &as_rete,
            &pact_id,
            ResourceInput {
                organization_id: Some(ids.org(key)),
                kind,
                description: Some(what.into()),
                amount_cents: cents,
                hours,
                valid_from: Some(date(now.today.year(), 1, 1)),
                valid_to: Some(date(now.today.year(), 12, 31)),
            },
        )?;
        if n % 2 == 0 {
            networks::move_resource(
                conn,
                &as_rete,
                &ResourceId::from(r.id.as_str()),
                &any,
                networks::ResourceMove::MakeAvailable,
            )?;
        }
    }
    let partnership = networks::create(
        conn,
        &as_coord,
        NetworkInput {
            kind: NetworkKind::TerritorialPartnership,
            name: "Partenariato per la ricollocazione – Bergamo".into(),
            purpose: Some("Azioni collettive per il ricollocamento dei lavoratori".into()),
            objectives: vec![
                NetworkObjective::Outplacement,
                NetworkObjective::Reinsertion,
            ],
            objectives_other: None,
            promoter_organization_id: Some(ids.org("agency1")),
            coordinating_organization_id: Some(ids.org("agency1")),
            accepts_join_requests: Some(true),
        },
    )?;
    let partnership_id = NetworkId::from(partnership.id.as_str());
    join(
        conn,
        &as_coord,
        &partnership_id,
        "agency1",
        MemberRole::Coordinator,
        None,
    )?;
    join(
        conn,
        &as_coord,
        &partnership_id,
        "comune_bergamo",
        MemberRole::Member,
        None,
    )?;
    join(
        conn,
        &as_coord,
        &partnership_id,
        "cciaa",
        MemberRole::Member,
        None,
    )?;
    networks::transition(
        conn,
        &as_coord,
        &partnership_id,
        &any,
        networks::Move::Activate,
        None,
    )?;
    demo_collective(conn, now, ids, &partnership_id, outplaced)?;
    demo_join_request(conn, now, &pact_id)?;
    Ok(())
}

/// Three workers made redundant by the Tessitura Orobica, referred by the CPI eight months
/// ago and accepted for agency 1 at that month's table: one hired seven months ago (both
/// checks since recorded: still employed at six months), one in a course, one hired two
/// months ago (six-month check not yet due). Each step at its own date, through the use cases.
/// The district's privacy notices, one per purpose, in force since 2020 (so that the persons
/// the demo referred months ago were given them).
fn demo_notices(conn: &mut DbConn, cx: &Ctx) -> Result<(), Error> {
    let texts = [
        (
            PrivacyPurpose::ReferralAndCase,
            "Informativa sul trattamento dei dati per i servizi di inclusione socio-lavorativa",
            "Titolare del trattamento è il Comune capofila dell'Ambito 1 – Bergamo. I dati \
             personali, compresi quelli relativi alla salute e a procedimenti penali, sono \
             trattati per la segnalazione al Tavolo Sistema Lavoro, la presa in carico e \
             l'attivazione delle misure, per l'esecuzione di un compito di interesse pubblico \
             (art. 6, par. 1, lett. e, e art. 9, par. 2, lett. g, GDPR). Sono comunicati agli \
             enti della rete che seguono il percorso e conservati per 10 anni dalla chiusura del \
             caso. L'interessato può chiedere l'accesso, la rettifica, la limitazione e, nei casi \
             previsti, la cancellazione, rivolgendosi al Responsabile della protezione dei dati.",
        ),
        (
            PrivacyPurpose::PartnershipSharing,
            "Consenso alla condivisione dei dati con il partenariato",
            "Con il consenso dell'interessato, nome, recapiti e percorso sono condivisi con gli \
             aderenti del partenariato territoriale che realizzano un'azione collettiva. Il \
             consenso può essere revocato in ogni momento: la persona esce dall'azione.",
        ),
        (
            PrivacyPurpose::OpportunityContact,
            "Consenso a essere contattati per opportunità",
            "Con il consenso dell'interessato, gli enti dell'Ambito possono contattarlo per \
             proporgli opportunità di lavoro e di formazione. Il consenso è revocabile.",
        ),
    ];
    for (purpose, title, body) in texts {
        privacy::create_notice(
            conn,
            cx,
            NoticeInput {
                purpose,
                title: title.into(),
                body: body.into(),
                valid_from: date(2020, 1, 1),
            },
        )?;
    }
    Ok(())
}

/// Records, as `cx`, that the person was given the notice in force on referrals and cases.
fn give_notice(conn: &mut DbConn, cx: &Ctx, person: &str) -> Result<(), Error> {
    let notice = privacy::list_notices(conn, cx, true)?
        .items
        .into_iter()
        .find(|n| n.purpose == PrivacyPurpose::ReferralAndCase)
        .ok_or_else(|| Error::Internal("demo notice missing".into()))?;
    privacy::record(
        conn,
        cx,
        &PersonId::from(person),
        ConsentInput {
            kind: ConsentKind::Notice,
            notice_id: Some(notice.id.into()),
            purpose: None,
            method: ConsentMethod::InPerson,
            document_id: None,
            expires_on: None,
        },
    )?;
    Ok(())
}

fn demo_outplaced(
    conn: &mut DbConn,
    now: Now,
    agency: &OrganizationId,
) -> Result<Vec<CaseId>, Error> {
    let coord = actor(conn, "coordinatore@demo.test")?;
    let cpi = actor(conn, "cpi@demo.test")?;
    let op1 = actor(conn, "operatore1@demo.test")?;
    let any = Expected::Any;
    let ago = |days: i64| Now::at(now.utc() - chrono::Duration::days(days));
    let (referred, met, first_closed, second_closed) = (ago(245), ago(238), ago(212), ago(60));
    let workers = [
        (
            "Brignoli",
            "Walter",
            'M',
            date(1971, 4, 2),
            "Tessitore, 28 anni in azienda; licenziato per chiusura del reparto.",
        ),
        (
            "Carminati",
            "Rosa",
            'F',
            date(1976, 9, 21),
            "Addetta al controllo qualità; esubero dopo la crisi aziendale.",
        ),
        (
            "Ghisleni",
            "Daniele",
            'M',
            date(1982, 1, 30),
            "Manutentore meccanico; in mobilità dopo la chiusura dello stabilimento.",
        ),
    ];
    let mut referrals_made = Vec::new();
    for (last, first, gender, born, reason) in workers {
        let code = TaxCode::compose(last, first, born, gender, "A794")
            .ok_or_else(|| Error::Internal(format!("demo tax code for {last}")))?;
        let p = persons::create(
            conn,
            &Ctx::new(&cpi, referred, Lang::It),
            &SecretBox::without_key(),
            PersonInput {
                tax_code: code.as_str().into(),
                first_name: first.into(),
                last_name: last.into(),
                birth_date: born,
                gender: if gender == 'F' { Gender::F } else { Gender::M },
                birth_place_code: None,
                residence_municipality_code: Some("016024".into()),
                citizenship: Some("italiana".into()),
                email: None,
                phone: None,
                address: None,
                education_level: Some(EducationLevel::UpperSecondary),
                employment_status: Some(EmploymentStatus::Unemployed),
                cluster: Some(Cluster::Band2),
                target_groups: vec![TargetGroup::Over50],
                has_disability: false,
                disability_notes: None,
                criminal_justice: false,
                criminal_justice_notes: None,
            },
        )?;
        give_notice(conn, &Ctx::new(&cpi, referred, Lang::It), &p.id)?;
        let r = referrals::create(
            conn,
            &Ctx::new(&cpi, referred, Lang::It),
            ReferralInput {
                person_id: p.id.into(),
                source: None,
                needs: vec![Need::Work, Need::Training],
                reason: reason.into(),
                urgency: Some(Urgency::High),
                organization_id: None,
                received_via: None,
                duplicate_reason: None,
                notice_override_reason: None,
            },
        )?;
        let r = ReferralId::from(r.id);
        referrals::submit(
            conn,
            &Ctx::new(&cpi, referred, Lang::It),
            &r,
            &any,
            ActionNote::default(),
        )?;
        referrals_made.push(r);
    }
    let at_table = Ctx::new(&coord, met, Lang::It);
    let m = meetings::create(
        conn,
        &at_table,
        MeetingInput {
            network_id: None,
            kind: None,
            attendees: vec![],
            topics: vec![],
            title: None,
            scheduled_for: met.today,
            location: Some("Ufficio di Piano, Piazza Matteotti 3, Bergamo".into()),
            participants: vec![
                "Chiara Colombo – Ufficio di Piano (presidente)".into(),
                "Carla Pesenti – CPI Bergamo".into(),
                "Luca Rota – Agenzia Lavoro Orobica".into(),
            ],
        },
    )?;
    let m = MeetingId::from(m.id.as_str());
    agenda::open(conn, &at_table, &m, &any)?;
    for r in &referrals_made {
        decisions::decide(
            conn,
            &at_table,
            &m,
            DecisionInput {
                referral_id: Some(r.clone()),
                case_id: None,
                decision: DecisionKind::Accept,
                agency_id: Some(agency.clone()),
                measure_ids: vec![],
                reason: Some("Esubero della Tessitura Orobica: percorso di ricollocazione.".into()),
            },
        )?;
    }
    close::close(conn, &at_table, &m, &any, 30)?;
    let mut out = Vec::new();
    for (n, r) in referrals_made.iter().enumerate() {
        let c = Case::find_by_referral(conn, r)?
            .ok_or_else(|| Error::Internal("demo case missing".into()))?;
        cases::take_charge(
            conn,
            &Ctx::new(&op1, met, Lang::It),
            &c.id,
            &any,
            TakeChargeInput {
                first_meeting_date: met.today,
                plan_goals: Some(
                    "Bilancio di competenze e ricerca attiva con il partenariato.".into(),
                ),
                service_pact: None,
            },
        )?;
        let (when, outcome, hired) = match n {
            0 => (
                first_closed,
                Outcome::Hired,
                Some(HiredDetails {
                    contract_type: ContractType::Permanent,
                    hours_per_week: 40,
                    employer: "Meccanica Seriana spa".into(),
                }),
            ),
            1 => (first_closed, Outcome::Training, None),
            _ => (
                second_closed,
                Outcome::Hired,
                Some(HiredDetails {
                    contract_type: ContractType::FixedTerm,
                    hours_per_week: 36,
                    employer: "Logistica Bergamasca srl".into(),
                }),
            ),
        };
        let closed = cases::close(
            conn,
            &Ctx::new(&op1, when, Lang::It),
            &c.id,
            &any,
            CloseInput {
                outcome,
                hired,
                note: None,
            },
        )?;
        // The checks that fell due are recorded today: still employed (or in the course).
        for k in closed.outcome_checks {
            if k.due_date <= now.today {
                cases::record_check(
                    conn,
                    &Ctx::new(&op1, now, Lang::It),
                    &c.id,
                    &OutcomeCheckId::from(k.id.as_str()),
                    OutcomeCheckInput {
                        employed: true,
                        note: None,
                    },
                )?;
            }
        }
        out.push(c.id);
    }
    Ok(out)
}

/// The partnership's outplacement action (seed 001), running: agency 1 and the Comune di
/// Bergamo take part, two employers are targeted, and five of agency 1's cases are its
/// beneficiaries — its results are computed from them.
fn demo_collective(
    conn: &mut DbConn,
    now: Now,
    ids: &DemoIds,
    partnership: &NetworkId,
    beneficiaries: &[CaseId],
) -> Result<(), Error> {
    let coord = actor(conn, "coordinatore@demo.test")?;
    let as_coord = Ctx::new(&coord, now, Lang::It);
    let loader = Actor {
        id: "demo-loader".into(),
        role: Role::Admin,
        organization_id: None,
        district_id: None,
        scopes: None,
    };
    let as_admin = Ctx::new(&loader, now, Lang::It);
    let a = collective::create(
        conn,
        &as_coord,
        partnership,
        CollectiveActionInput {
            kind: CollectiveActionKind::Outplacement,
            title: "Outplacement dei lavoratori della Tessitura Orobica".into(),
            description: Some(
                "Bilancio di competenze, ricerca attiva e incontri con le imprese bersaglio per i \
                 lavoratori in esubero, con il Comune di Bergamo."
                    .into(),
            ),
            starts_on: Some(now.today - chrono::Duration::days(240)),
            ends_on: Some(now.today + chrono::Duration::days(120)),
        },
    )?;
    let id = CollectiveActionId::from(a.id.as_str());
    for key in ["agency1", "comune_bergamo"] {
        let m = Member::active_of(conn, partnership, &ids.org(key))?
            .ok_or_else(|| Error::Internal(format!("demo partnership lacks {key}")))?;
        collective::add_participant(conn, &as_coord, &id, ParticipantInput { member_id: m.id })?;
    }
    for name in ["Meccanica Seriana spa", "Logistica Bergamasca srl"] {
        let o = admin::create_organization(
            conn,
            &as_admin,
            CreateOrganization {
                district_id: ids.district_id.clone(),
                name: name.into(),
                kind: OrganizationKind::Employer,
                accreditation_code: None,
                tax_code: None,
                email: None,
                phone: None,
            },
        )?;
        collective::add_employer(
            conn,
            &as_coord,
            &id,
            EmployerInput {
                organization_id: OrganizationId::from(o.id),
            },
        )?;
    }
    collective::transition(
        conn,
        &as_coord,
        &id,
        &Expected::Any,
        collective::CollectiveMove::Start,
        Some("Avvio con i lavoratori presi in carico dall'Agenzia Lavoro Orobica".into()),
    )?;
    for c in beneficiaries {
        collective::add_beneficiary(
            conn,
            &as_coord,
            &id,
            BeneficiaryInput { case_id: c.clone() },
        )?;
    }
    Ok(())
}

/// One pending request to join the territorial pact (seed 000: a councillor who wants to
/// take part).
fn demo_join_request(conn: &mut DbConn, now: Now, pact_id: &NetworkId) -> Result<(), Error> {
    use sistema_lavoro_app::workflow::join_requests;
    use sistema_lavoro_domain::agreements::JoinCapacity;
    join_requests::submit(
        conn,
        now,
        pact_id,
        join_requests::JoinRequestInput {
            name: "Marco Locatelli".into(),
            organization: Some("Comune di Villa di Serio".into()),
            capacity: Some(JoinCapacity::Councillor),
            email: Some("m.locatelli@example.invalid".into()),
            phone: None,
            message: Some(
                "Consigliere comunale, vorrei conoscere il patto e partecipare ai prossimi incontri."
                    .into(),
            ),
            privacy_notice_version: join_requests::PRIVACY_NOTICE_VERSION.into(),
            website: None,
        },
    )?;
    Ok(())
}

/// The forum's two signed conventions (the social agency with the Comune di Bergamo for the
/// housing desk, and with the chamber of commerce for social microcredit), each with its text
/// as a PDF.
fn demo_forum_conventions(
    conn: &mut DbConn,
    cx: &Ctx,
    forum_id: &NetworkId,
    forum_name: &str,
    members: &[sistema_lavoro_domain::ids::MemberId],
    joined: NaiveDate,
) -> Result<(), Error> {
    use sistema_lavoro_app::pdf::{self, Block};
    use sistema_lavoro_app::workflow::{agreements, documents};
    use sistema_lavoro_domain::agreements::AgreementKind;
    let now = cx.now;
    let year = now.today.year();
    for (subject, party) in [
        ("Convenzione per lo sportello casa", &members[1]),
        ("Convenzione per il microcredito sociale", &members[2]),
    ] {
        let a = agreements::create(
            conn,
            cx,
            forum_id,
            agreements::AgreementInput {
                kind: AgreementKind::Convention,
                subject: subject.into(),
                party_member_ids: vec![members[0].clone(), party.clone()],
                valid_from: Some(joined),
                valid_until: Some(date(year + 1, 12, 31)),
                renews_agreement_id: None,
            },
        )?;
        let id = sistema_lavoro_domain::ids::AgreementId::from(a.id.as_str());
        let bytes = pdf::render(
            subject,
            &[
                Block::Title(subject.into()),
                Block::Field("Rete".into(), forum_name.into()),
                Block::Field("Validità".into(), format!("dal {} al 31/12/{}", joined.format("%d/%m/%Y"), year + 1)),
                Block::Gap,
                Block::Text(
                    "Le parti si impegnano a mettere a disposizione delle persone seguite dalla rete \
                     le risposte descritte, secondo criteri condivisi di trasparenza."
                        .into(),
                ),
            ],
        );
        documents::upload(
            conn,
            cx,
            documents::Upload {
                target: documents::Target::Agreement(id.clone()),
                file_name: format!("{subject}.pdf"),
                bytes,
            },
        )?;
        agreements::sign(
            conn,
            cx,
            &id,
            &Expected::Any,
            agreements::SignInput {
                signed_on: Some(joined),
            },
        )?;
    }
    Ok(())
}

/// The inclusion pact (seed 003) coordinated by the social agency, and its permanent forum: a
/// session held two weeks ago — members attending, topics, action items — with its minutes
/// frozen, and the next session planned, following them up.
fn demo_forum(conn: &mut DbConn, now: Now, ids: &DemoIds) -> Result<(), Error> {
    use sistema_lavoro_app::workflow::meetings::network::{
        self as nm, ActionItemInput, AttendeeInput, TopicInput,
    };
    use sistema_lavoro_domain::ids::MemberId;
    use sistema_lavoro_domain::meetings::Attendance;
    let rete = actor(conn, "rete@demo.test")?;
    let as_rete = Ctx::new(&rete, now, Lang::It);
    let any = Expected::Any;
    let pact = networks::create(
        conn,
        &as_rete,
        NetworkInput {
            kind: NetworkKind::InclusionPact,
            name: "Patto per l'inclusione sociale – Forum permanente".into(),
            purpose: Some(
                "Risposte condivise per l'inclusione: inserimento lavorativo, alloggio, \
                 trasporti, microcredito, formazione, cultura, vita di relazione"
                    .into(),
            ),
            objectives: vec![NetworkObjective::SocialExclusion],
            objectives_other: None,
            promoter_organization_id: Some(ids.org("agenzia_sociale")),
            coordinating_organization_id: Some(ids.org("agenzia_sociale")),
            accepts_join_requests: Some(true),
        },
    )?;
    let pact_id = NetworkId::from(pact.id.as_str());
    let mut members = Vec::new();
    for (key, role) in [
        ("agenzia_sociale", MemberRole::Coordinator),
        ("comune_bergamo", MemberRole::Member),
        ("cciaa", MemberRole::Member),
        ("agency1", MemberRole::Member),
    ] {
        let m = networks::add_member(
            conn,
            &as_rete,
            &pact_id,
            MemberInput {
                organization_id: ids.org(key),
                role: Some(role),
                joined_on: Some(now.today - chrono::Duration::days(60)),
                approval_act: None,
            },
        )?;
        members.push(MemberId::from(m.id.as_str()));
    }
    networks::transition(
        conn,
        &as_rete,
        &pact_id,
        &any,
        networks::Move::Activate,
        Some("Sottoscritto al tavolo della Conferenza dei Sindaci".into()),
    )?;
    demo_forum_conventions(
        conn,
        &as_rete,
        &pact_id,
        &pact.name,
        &members,
        now.today - chrono::Duration::days(60),
    )?;
    let attendee = |n: usize, people: &[&str], attendance: Attendance| AttendeeInput {
        member_id: members[n].clone(),
        people: people.iter().map(|p| p.to_string()).collect(),
        attendance: Some(attendance),
    };
    let session = meetings::create(
        conn,
        &as_rete,
        MeetingInput {
            network_id: Some(pact_id.clone()),
            kind: None,
            title: None,
            scheduled_for: now.today - chrono::Duration::days(14),
            location: Some("Sala civica, Comune di Bergamo".into()),
            participants: vec![],
            attendees: vec![
                attendee(0, &["Elena Ferrari"], Attendance::Present),
                attendee(1, &["Anna Rota", "Luca Bassi"], Attendance::Present),
                attendee(2, &["Giorgio Mazza"], Attendance::Excused),
                attendee(3, &["Marta Riva"], Attendance::Present),
            ],
            topics: vec![
                TopicInput {
                    title: "Alloggio: lo sportello casa dei Comuni".into(),
                    notes: Some("Censimento degli sportelli esistenti e dei loro orari.".into()),
                },
                TopicInput {
                    title: "Microcredito per chi riprende a lavorare".into(),
                    notes: Some(
                        "Proposta di una linea da 1.500 € con la Camera di Commercio.".into(),
                    ),
                },
            ],
        },
    )?;
    let sid = MeetingId::from(session.id.as_str());
    agenda::open(conn, &as_rete, &sid, &any)?;
    for (title, owner, days) in [
        ("Mappare gli sportelli casa dei Comuni dell'Ambito", 1, 30),
        (
            "Proporre una linea di microcredito con la Camera di Commercio",
            2,
            45,
        ),
        ("Raccogliere i bisogni di trasporto dei tirocinanti", 3, 30),
    ] {
        nm::add_action_item(
            conn,
            &as_rete,
            &sid,
            ActionItemInput {
                title: title.into(),
                owner_member_id: Some(members[owner].clone()),
                due_on: Some(now.today + chrono::Duration::days(days)),
            },
        )?;
    }
    close::close(conn, &as_rete, &sid, &any, 30)?;
    meetings::create(
        conn,
        &as_rete,
        MeetingInput {
            network_id: Some(pact_id.clone()),
            kind: None,
            title: None,
            scheduled_for: now.today + chrono::Duration::days(28),
            location: Some("Sala civica, Comune di Bergamo".into()),
            participants: vec![],
            attendees: vec![],
            topics: vec![TopicInput {
                title: "Verifica degli impegni della seduta precedente".into(),
                notes: None,
            }],
        },
    )?;
    demo_responses(conn, &as_rete, &pact_id, &members)
}

/// The forum's answers by area (seed 003): a working group for each of the seven areas with
/// one to three members, and the shared responses its members offer (members: the social
/// agency, the Comune di Bergamo, the chamber of commerce, agency 1).
fn demo_responses(
    conn: &mut DbConn,
    cx: &Ctx,
    forum: &NetworkId,
    members: &[sistema_lavoro_domain::ids::MemberId],
) -> Result<(), Error> {
    use sistema_lavoro_app::workflow::responses::{
        self as rs, GroupMemberInput, ResponseMove, SharedResponseInput, WorkingGroupInput,
    };
    use sistema_lavoro_domain::ids::{SharedResponseId, WorkingGroupId};
    use sistema_lavoro_domain::responses::ResponseArea as A;
    let groups: [(A, &str, &[usize]); 7] = [
        (
            A::WorkPlacement,
            "Percorsi di inserimento per chi è seguito dai servizi",
            &[0, 3],
        ),
        (A::Housing, "Sportelli casa ed emergenza abitativa", &[1, 0]),
        (
            A::Transport,
            "Spostamenti verso il lavoro e i tirocini",
            &[1],
        ),
        (
            A::Microcredit,
            "Credito per chi riprende a lavorare",
            &[2, 0],
        ),
        (
            A::Training,
            "Corsi brevi legati ai fabbisogni delle imprese",
            &[3, 2, 0],
        ),
        (A::Culture, "Accesso a biblioteche, teatri e musei", &[1]),
        (A::RelationalLife, "Reti di vicinato e mutuo aiuto", &[0, 1]),
    ];
    for (area, purpose, who) in groups {
        let g = rs::create_group(
            conn,
            cx,
            forum,
            WorkingGroupInput {
                area,
                name: None,
                purpose: Some(purpose.into()),
            },
        )?;
        let gid = WorkingGroupId::from(g.id.as_str());
        for &m in who {
            rs::add_group_member(
                conn,
                cx,
                &gid,
                GroupMemberInput {
                    member_id: members[m].clone(),
                    joined_on: None,
                },
            )?;
        }
    }
    let year = cx.now.today.year();
    // (member, area, title, who may use it, how to access it, places, made available)
    type Offer<'a> = (usize, A, &'a str, &'a str, &'a str, Option<i32>, bool);
    let responses: [Offer; 5] = [
        (
            2,
            A::Microcredit,
            "Microcredito sociale fino a 1.500 €",
            "Persone seguite dai servizi dell'Ambito che riprendono a lavorare e non hanno accesso al credito bancario",
            "Appuntamento allo sportello Nuove Imprese della Camera di Commercio (035 4225111), con l'ISEE e il contratto o la lettera di assunzione",
            Some(20),
            true,
        ),
        (
            1,
            A::Housing,
            "Sportello casa del Comune di Bergamo",
            "Residenti nell'Ambito in emergenza abitativa o in cerca di un alloggio a canone concordato",
            "Sportello in Piazza Matteotti, martedì e giovedì 9–12, su invio dell'assistente sociale o dell'operatore del caso",
            None,
            true,
        ),
        (
            1,
            A::Transport,
            "Abbonamento al trasporto pubblico per i tirocinanti",
            "Persone in tirocinio o al primo mese di lavoro, senza mezzo proprio",
            "Richiesta dell'operatore del caso all'Ufficio Mobilità del Comune, con il progetto di tirocinio; abbonamento mensile gratuito per tre mesi",
            Some(30),
            true,
        ),
        (
            3,
            A::Training,
            "Corso di carrellista con patentino",
            "Persone disoccupate dell'Ambito, maggiorenni, con italiano di base",
            "Iscrizione presso l'Agenzia Lavoro Orobica (formazione@example.invalid), colloquio di orientamento prima del corso",
            Some(12),
            true,
        ),
        (
            0,
            A::RelationalLife,
            "Gruppi di mutuo aiuto per chi cerca lavoro",
            "Chiunque sia seguito dai servizi dell'Ambito e cerchi lavoro da più di sei mesi",
            "Incontri quindicinali alla sede dell'Agenzia Sociale; contatto: rete@demo.test",
            None,
            false,
        ),
    ];
    for (m, area, title, who, how, capacity, available) in responses {
        let r = rs::offer(
            conn,
            cx,
            forum,
            SharedResponseInput {
                member_id: Some(members[m].clone()),
                area,
                title: title.into(),
                description: None,
                who_may_use: who.into(),
                how_to_access: how.into(),
                capacity,
                valid_from: Some(date(year, 1, 1).min(cx.now.today)),
                valid_to: Some(date(year + 1, 12, 31)),
            },
        )?;
        if available {
            rs::move_response(
                conn,
                cx,
                &SharedResponseId::from(r.id.as_str()),
                &Expected::Any,
                ResponseMove::MakeAvailable,
                None,
            )?;
        }
    }
    Ok(())
}

/// An action of the demo plan: axis (0–3), title, description, and the seed's four values when
/// the Ufficio di Piano has decided them — (start, end) months from January of this year,
/// funding source, budget in euros, responsible department.
type DemoAction = (
    usize,
    &'static str,
    &'static str,
    Option<(u32, u32)>,
    Option<&'static str>,
    Option<i64>,
    Option<&'static str>,
);

const PLAN_ACTIONS: &[DemoAction] = &[
    (
        0,
        "Protocolli d'intesa e tavoli di confronto",
        "Protocolli d'intesa e tavoli di confronto e decisione, politici e tecnici, tra servizi, \
         enti ed altri stakeholders su specifiche tematiche e piani operativi, comunali e \
         interlocali.",
        Some((1, 24)),
        Some("district_budget"),
        Some(5_000),
        Some("Ufficio di Piano"),
    ),
    (
        0,
        "Consultazione degli stakeholders",
        "Almeno 2 volte l'anno, assemblee e riunioni pubbliche anche nei luoghi di aggregazione \
         spontanea (quartieri, circoli, scuole, parrocchie, centri per immigrati).",
        Some((3, 24)),
        Some("district_budget"),
        None,
        Some("Ufficio di Piano"),
    ),
    (
        0,
        "Incontri annuali di verifica tra operatori",
        "Verifica e condivisione del lavoro svolto, dei risultati ottenuti e di quelli ancora da \
         definire (studio di casi, colloquio, obiettivi personali).",
        None,
        None,
        None,
        None,
    ),
    (
        1,
        "Osservatorio sulle politiche di inclusione",
        "Monitoraggio dei progetti e diffusione di buone prassi sulla ripercussione dei \
         risultati sul territorio.",
        Some((1, 36)),
        Some("regional"),
        Some(20_000),
        None,
    ),
    (
        1,
        "Banca dati condivisa di servizi e offerte",
        "Data base, condivisi dagli operatori, sui servizi e sulle offerte di formazione e di \
         lavoro presenti sul territorio.",
        Some((6, 18)),
        None,
        None,
        Some("Servizi sociali dei Comuni"),
    ),
    (
        2,
        "Accesso al lavoro e accompagnamento all'inserimento",
        "Accesso al lavoro, accompagnamento all'inserimento lavorativo o abitativo per \
         incentivare l'autonomia personale e responsabilizzare i clienti nei confronti dei \
         servizi.",
        Some((1, 24)),
        Some("regional"),
        Some(150_000),
        Some("Ufficio di Piano"),
    ),
    (
        2,
        "Iniziative per prevenire la dispersione scolastica",
        "Informazione e orientamento per chi è ancora nei percorsi scolastici, con consulenti di \
         orientamento.",
        Some((9, 20)),
        Some("foundation_private"),
        Some(30_000),
        None,
    ),
    (
        2,
        "Corsi di formazione congiunta degli operatori",
        "Formazione congiunta degli operatori territoriali per condividere linguaggi, strategie \
         e obiettivi.",
        Some((2, 2)),
        Some("esf_plus"),
        Some(8_000),
        Some("Provincia – Servizio formazione"),
    ),
    (
        3,
        "Gruppi di lavoro stabili tra enti",
        "Gruppi di lavoro stabili tra diversi enti (ASL, centro per l'impiego, assessorati).",
        None,
        Some("network_resources"),
        None,
        Some("Ufficio di Piano"),
    ),
    (
        3,
        "Servizi integrati per l'housing sociale e l'inserimento lavorativo",
        "Housing sociale, accompagnamento e monitoraggio per l'inserimento lavorativo delle \
         fasce deboli, con il centro per l'impiego.",
        Some((1, 24)),
        Some("pnrr"),
        Some(120_000),
        Some("Servizi sociali dei Comuni"),
    ),
];

/// The district's integrated local plan (seed 004) with the seed's actions under its four
/// axes — some with dates, source, budget and department, some still missing them — and the
/// district projects (seeds 000, 002) that fund it: two granted, with their measures in the
/// catalogue and a first activation, the others at each step before.
fn demo_plan(conn: &mut DbConn, now: Now, ids: &DemoIds) -> Result<(), Error> {
    use sistema_lavoro_app::workflow::plans::{
        self, ActionMove, ApproveInput, PlanActionInput, PlanInput,
    };
    use sistema_lavoro_app::workflow::projects::{self, ProjectMove};
    let coord = actor(conn, "coordinatore@demo.test")?;
    let op1 = actor(conn, "operatore1@demo.test")?;
    let op2 = actor(conn, "operatore2@demo.test")?;
    let cx = Ctx::new(&coord, now, Lang::It);
    let any = Expected::Any;
    let today = now.today;
    let year = today.year();
    fn json<T: serde::de::DeserializeOwned>(v: serde_json::Value, what: &str) -> Result<T, Error> {
        serde_json::from_value(v).map_err(|e| Error::Internal(format!("demo {what}: {e}")))
    }
    let plan = plans::create(
        conn,
        &cx,
        PlanInput {
            title: format!("Piano Locale Integrato {year}–{}", year + 2),
            period_start: date(year, 1, 1),
            period_end: date(year + 2, 12, 31),
            axes: None,
        },
    )?;
    let plan_id = PlanId::from(plan.id.as_str());
    plans::approve(
        conn,
        &cx,
        &plan_id,
        &any,
        ApproveInput {
            approved_on: date(year, 2, 20).min(today),
            reference: "Deliberazione dell'Assemblea dei Sindaci n. 4".into(),
        },
    )?;
    let month = |m: u32| -> NaiveDate {
        let y = year + ((m - 1) / 12) as i32;
        date(y, (m - 1) % 12 + 1, 1)
    };
    let month_end = |m: u32| -> NaiveDate {
        let next = month(m + 1);
        next - chrono::Duration::days(1)
    };
    let mut action_ids = Vec::new();
    for (axis, title, description, months, source, budget, department) in PLAN_ACTIONS {
        let mut body = serde_json::json!({
            "axis_id": plan.axes[*axis].id, "title": title, "description": description,
            "funding_source": source, "responsible_department": department,
            "budget_cents": budget.map(|e| e * 100),
        });
        if let Some((from, to)) = months {
            body["start_date"] = month(*from).to_string().into();
            body["end_date"] = month_end(*to).to_string().into();
        }
        if title.starts_with("Accesso al lavoro") {
            body["indicators"] = serde_json::json!([
                {"name": "Persone accompagnate al lavoro", "unit": "persone", "baseline": 0,
                 "target": 40, "metric": "persons_reached"},
                {"name": "Assunti ancora occupati a 6 mesi", "unit": "persone", "target": 15,
                 "metric": "employed_at_6_months"}
            ]);
        }
        let input: PlanActionInput = json(body, "plan action")?;
        let a = plans::add_action(conn, &cx, &plan_id, input)?;
        let id = PlanActionId::from(a.id.as_str());
        let started = a.start_date.is_some_and(|s| s <= today);
        if started {
            plans::move_action(conn, &cx, &id, &any, ActionMove::Start, None)?;
        }
        if started
            && a.end_date.is_some_and(|e| e < today)
            && title.contains("formazione congiunta")
        {
            plans::move_action(
                conn,
                &cx,
                &id,
                &any,
                ActionMove::Complete,
                Some("Due edizioni del corso concluse".into()),
            )?;
        }
        action_ids.push((*title, id));
    }
    let action = |prefix: &str| -> Vec<String> {
        action_ids
            .iter()
            .filter(|(t, _)| t.starts_with(prefix))
            .map(|(_, id)| id.to_string())
            .collect()
    };

    let project = |conn: &mut DbConn, body: serde_json::Value| -> Result<ProjectId, Error> {
        let p = projects::create(conn, &cx, json(body, "project")?)?;
        Ok(ProjectId::from(p.id.as_str()))
    };
    let days = |n: i64| (today + chrono::Duration::days(n)).to_string();
    let ago = |n: i64| (today - chrono::Duration::days(n)).to_string();
    // Un Ponte per il lavoro: granted and running, its measure activated for a case.
    let ponte = project(
        conn,
        serde_json::json!({
            "title": "Un Ponte per il lavoro",
            "description": "Tirocini e accompagnamento al lavoro per persone in carico ai servizi sociali.",
            "funder": "Regione Lombardia", "call_title": "Avviso Inclusione attiva",
            "funding_source": "regional", "requested_cents": 16_000_000,
            "cofinanced_cents": 2_000_000, "start_date": ago(120), "end_date": days(600),
            "reporting_deadline": days(660), "lead_organization_id": ids.org("ufficio"),
            "partner_organization_ids": [ids.org("agency1"), ids.org("agency2")],
            "plan_action_ids": action("Accesso al lavoro"),
        }),
    )?;
    projects::submit(
        conn,
        &cx,
        &ponte,
        &any,
        json(serde_json::json!({"submitted_on": ago(200)}), "submit")?,
    )?;
    projects::grant(
        conn,
        &cx,
        &ponte,
        &any,
        json(
            serde_json::json!({"decided_on": ago(150), "granted_cents": 14_000_000,
                "granted_by_year": [{"year": year, "cents": 7_000_000}, {"year": year + 1, "cents": 7_000_000}],
                "cup": "E11H24000120009", "note": "Decreto regionale di assegnazione"}),
            "grant",
        )?,
    )?;
    projects::move_project(conn, &cx, &ponte, &any, ProjectMove::Start, None)?;
    let with_measure = projects::add_measure(
        conn,
        &cx,
        &ponte,
        json(
            serde_json::json!({"code": "PONTE-R", "name": "Un Ponte per il lavoro – edizione regionale",
                "description": "Tirocinio con tutoraggio e borsa lavoro, finanziato dall'avviso regionale (la misura PONTE resta quella del Piano di Zona).",
                "default_amount_cents": 250_000,
                "thresholds": [{"agency_id": ids.org("agency1"), "cap_cents": 5_000_000},
                               {"agency_id": ids.org("agency2"), "cap_cents": 4_000_000}]}),
            "measure",
        )?,
    )?;
    // A case of agency 1 in charge (or with measures running) takes the first tirocinio.
    let open = Case::list(
        conn,
        &ids.district_id,
        &sistema_lavoro_store::cases::CaseFilter {
            agency_id: None,
            statuses: vec![
                sistema_lavoro_domain::states::CaseStatus::InCharge,
                sistema_lavoro_domain::states::CaseStatus::Active,
            ],
            person_id: None,
            overdue_before: None,
            due_by: None,
            check_due_by: None,
            hide_restricted: false,
        },
        None,
        200,
    )?
    .into_iter()
    .find(|c| c.agency_id == ids.org("agency1") || c.agency_id == ids.org("agency2"));
    if let (Some(m), Some(c)) = (with_measure.measures.first(), open) {
        let case = &c.id;
        let op = if c.agency_id == ids.org("agency1") {
            &op1
        } else {
            &op2
        };
        let as_op1 = Ctx::new(op, now, Lang::It);
        let a = activations::propose(
            conn,
            &as_op1,
            case,
            json(
                serde_json::json!({"measure_id": m.id, "note": "Tirocinio in azienda tessile"}),
                "activation",
            )?,
        )?;
        let a = ActivationId::from(a.id.as_str());
        activations::approve(conn, &as_op1, &a, &any)?;
        activations::start(conn, &as_op1, &a, &any)?;
    }
    // Care Leavers: granted, not started yet; its start falls due within the month.
    let care = project(
        conn,
        serde_json::json!({
            "title": "Care Leavers",
            "description": "Accompagnamento all'autonomia e al lavoro dei neomaggiorenni usciti da percorsi di tutela.",
            "funder": "Ministero del Lavoro e delle Politiche Sociali",
            "call_title": "Sperimentazione Care Leavers", "funding_source": "national_fund",
            "requested_cents": 6_000_000, "start_date": days(20), "end_date": days(750),
            "lead_organization_id": ids.org("ufficio"),
            "plan_action_ids": action("Iniziative per prevenire"),
        }),
    )?;
    projects::submit(
        conn,
        &cx,
        &care,
        &any,
        json(serde_json::json!({"submitted_on": ago(90)}), "submit")?,
    )?;
    projects::grant(
        conn,
        &cx,
        &care,
        &any,
        json(
            serde_json::json!({"decided_on": ago(30), "granted_cents": 6_000_000}),
            "grant",
        )?,
    )?;
    projects::add_measure(
        conn,
        &cx,
        &care,
        json(
            serde_json::json!({"code": "CARELEAVERS", "min_age": 18, "max_age": 21,
                "description": "Percorso di autonomia per neomaggiorenni (Care Leavers).",
                "default_amount_cents": 300_000,
                "thresholds": [{"agency_id": ids.org("agency2"), "cap_cents": 3_000_000}]}),
            "measure",
        )?,
    )?;
    // Step By Step: submitted, waiting for the decision.
    let step = project(
        conn,
        serde_json::json!({
            "title": "Step By Step",
            "description": "Certificazione delle competenze e accompagnamento al lavoro per persone fragili.",
            "funder": "Fondazione della Comunità Bergamasca", "call_title": "Bando Lavoro e fragilità",
            "funding_source": "foundation_private", "requested_cents": 4_500_000,
            "cofinanced_cents": 500_000, "lead_organization_id": ids.org("agenzia_sociale"),
            "plan_action_ids": action("Accesso al lavoro"),
        }),
    )?;
    projects::submit(
        conn,
        &cx,
        &step,
        &any,
        json(serde_json::json!({"submitted_on": ago(25)}), "submit")?,
    )?;
    // Bergamondo: an idea, its application due this month.
    project(
        conn,
        serde_json::json!({
            "title": "Bergamondo",
            "description": "Inclusione lavorativa di cittadini stranieri con mediazione culturale.",
            "funder": "Fondo Sociale Europeo Plus – Regione Lombardia", "funding_source": "esf_plus",
            "requested_cents": 9_000_000, "submission_deadline": days(18),
            "plan_action_ids": action("Servizi integrati"),
        }),
    )?;
    // Area penale: refused by the funder.
    let penale = project(
        conn,
        serde_json::json!({
            "title": "Area penale",
            "description": "Reinserimento lavorativo di persone in esecuzione penale esterna.",
            "funder": "Cassa delle Ammende", "funding_source": "national_fund",
            "requested_cents": 3_000_000,
        }),
    )?;
    projects::submit(
        conn,
        &cx,
        &penale,
        &any,
        json(serde_json::json!({"submitted_on": ago(140)}), "submit")?,
    )?;
    projects::reject(
        conn,
        &cx,
        &penale,
        &any,
        json(
            serde_json::json!({"decided_on": ago(60), "reason": "Graduatoria: progetto idoneo non finanziato per esaurimento fondi."}),
            "reject",
        )?,
    )?;
    Ok(())
}

/// What each demo measure offers, told plainly to the district's operators (the opportunity
/// board shows it): who it is for, what it gives, how to refer.
fn for_operators(code: &str) -> Option<String> {
    let text = match code {
        "DUL" => "Per chi è disoccupato o lavora con un reddito basso, dai 18 ai 66 anni. Dà un percorso con un operatore accreditato: orientamento, formazione breve, ricerca attiva e, se serve, un tirocinio. Segnalate la persona: il tavolo la assegna a un ente, che attiva la dote entro la sua soglia.",
        "GG" => "Per ragazze e ragazzi dai 15 ai 29 anni che non studiano e non lavorano (NEET). Dà orientamento, un tirocinio retribuito o un corso, e un aiuto a trovare lavoro. Segnalate il giovane: il tavolo lo assegna a un ente accreditato per Garanzia Giovani.",
        "STEP" => "Per persone fragili seguite dai servizi sociali dell'Ambito. Dà un accompagnamento personalizzato verso il lavoro, con borsa lavoro. Segnalate la persona con la relazione del servizio sociale.",
        _ => return None,
    };
    Some(text.to_string())
}

/// Ten opportunities of the district's members (seed 002: "translating the measures into
/// information tools easy to understand"): at least one of each kind, two closing this month,
/// one still a draft; the service tells about one of the forum's shared responses.
fn demo_opportunities(conn: &mut DbConn, now: Now, ids: &DemoIds) -> Result<(), Error> {
    use sistema_lavoro_app::workflow::opportunities::{self as opp, OpportunityInput};
    use sistema_lavoro_domain::ids::SharedResponseId;
    use sistema_lavoro_domain::opportunities::OpportunityKind as K;
    use sistema_lavoro_domain::responses::ResponseArea as A;
    use sistema_lavoro_domain::vocabulary::{EmploymentStatus as E, TargetGroup as T};
    let coord = actor(conn, "coordinatore@demo.test")?;
    let op1 = actor(conn, "operatore1@demo.test")?;
    let as_coord = Ctx::new(&coord, now, Lang::It);
    let as_op1 = Ctx::new(&op1, now, Lang::It);
    let today = now.today;
    let first = date(today.year(), today.month(), 1);
    let next = sistema_lavoro_app::workflow::opportunity_feeds::next_month(first);
    let month_end = next - chrono::Duration::days(1);
    let soon = (today + chrono::Duration::days(4)).min(month_end);
    let days = |n: i64| today + chrono::Duration::days(n);
    let housing: Option<SharedResponseId> =
        sistema_lavoro_store::opportunities::available_response(conn, &ids.district_id, "housing")?;
    struct O {
        kind: K,
        org: &'static str,
        area: A,
        title: &'static str,
        description: &'static str,
        ages: (Option<i32>, Option<i32>),
        statuses: Vec<E>,
        groups: Vec<T>,
        place: (&'static str, &'static str),
        dates: (Option<NaiveDate>, Option<NaiveDate>, Option<NaiveDate>),
        how: &'static str,
        contact: &'static str,
        publish: bool,
    }
    let list = vec![
        O {
            kind: K::TrainingCourse,
            org: "agency3",
            area: A::Training,
            title: "Corso per addetto alla logistica di magazzino",
            description: "80 ore in aula e 40 in azienda, con il patentino per il carrello elevatore. Gratuito, con attestato regionale.",
            ages: (Some(18), None),
            statuses: vec![E::Unemployed],
            groups: vec![],
            place: ("016024", "Fondazione Formazione e Lavoro, via Gleno 12"),
            dates: (Some(days(20)), Some(days(75)), Some(soon)),
            how: "Colloquio di orientamento su appuntamento: l'operatore chiama o scrive indicando il nome della persona.",
            contact: "orientamento@formazionelavoro.example",
            publish: true,
        },
        O {
            kind: K::TrainingCourse,
            org: "agency3",
            area: A::Training,
            title: "Italiano per il lavoro (livello A2)",
            description: "Corso serale di italiano con il lessico del lavoro: colloquio, sicurezza, contratto. Due sere a settimana per tre mesi.",
            ages: (Some(16), None),
            statuses: vec![],
            groups: vec![T::Migrant],
            place: ("016024", "Biblioteca Tiraboschi"),
            dates: (Some(days(30)), Some(days(120)), Some(days(25))),
            how: "Iscrizione allo sportello del CFP con un documento; test di ingresso la prima sera.",
            contact: "035 000 1111",
            publish: true,
        },
        O {
            kind: K::TrainingCourse,
            org: "agenzia_sociale",
            area: A::Training,
            title: "Competenze digitali di base",
            description: "Dieci incontri per usare posta elettronica, SPID e i portali del lavoro.",
            ages: (None, None),
            statuses: vec![],
            groups: vec![],
            place: ("016115", "Sala civica"),
            dates: (Some(days(40)), Some(days(70)), Some(days(35))),
            how: "Iscrizione telefonica all'Agenzia Sociale.",
            contact: "035 000 2222",
            publish: false,
        },
        O {
            kind: K::JobOffer,
            org: "agency1",
            area: A::WorkPlacement,
            title: "Magazziniere/a a tempo determinato, 6 mesi",
            description: "Azienda di distribuzione cerca due magazzinieri per turni diurni, con possibilità di proroga.",
            ages: (Some(18), None),
            statuses: vec![E::Unemployed],
            groups: vec![],
            place: ("016150", "Zona industriale"),
            dates: (Some(days(35)), None, Some(month_end)),
            how: "Inviare il curriculum con la scheda dell'operatore; primo colloquio in agenzia.",
            contact: "selezione@orobica.example",
            publish: true,
        },
        O {
            kind: K::JobOffer,
            org: "agency2",
            area: A::WorkPlacement,
            title: "Addetto/a alle pulizie, part-time (categorie protette)",
            description: "Cooperativa di tipo B assume con contratto a tempo indeterminato part-time 20 ore, iscrizione L. 68/99.",
            ages: (Some(18), None),
            statuses: vec![],
            groups: vec![T::Disability],
            place: ("016024", ""),
            dates: (None, None, Some(days(45))),
            how: "Segnalazione dell'operatore alla cooperativa con la diagnosi funzionale.",
            contact: "inserimenti@ilponte.example",
            publish: true,
        },
        O {
            kind: K::Internship,
            org: "agency2",
            area: A::WorkPlacement,
            title: "Tirocinio in ristorazione collettiva",
            description: "Tirocinio di inclusione di 6 mesi, 25 ore settimanali, indennità mensile di 500 euro.",
            ages: (Some(18), Some(35)),
            statuses: vec![E::Unemployed, E::Inactive],
            groups: vec![],
            place: ("016202", "Mensa scolastica"),
            dates: (Some(days(50)), Some(days(230)), Some(days(40))),
            how: "Colloquio con il tutor della cooperativa; serve il patto di servizio aggiornato.",
            contact: "tirocini@ilponte.example",
            publish: true,
        },
        O {
            kind: K::Internship,
            org: "cciaa",
            area: A::WorkPlacement,
            title: "Tirocini nelle imprese artigiane",
            description: "Le imprese artigiane aderenti offrono tirocini extracurricolari in falegnameria, impiantistica e meccanica.",
            ages: (Some(16), Some(29)),
            statuses: vec![E::Unemployed, E::Inactive],
            groups: vec![T::YouthNeet],
            place: ("016024", "Camera di Commercio, largo Belotti 16"),
            dates: (None, None, Some(days(60))),
            how: "Scheda di candidatura allo sportello Orientamento al lavoro della Camera di Commercio.",
            contact: "orientamento@cciaa.example",
            publish: true,
        },
        O {
            kind: K::Service,
            org: "comune_bergamo",
            area: A::Housing,
            title: "Sportello casa: affitti calmierati e emergenza abitativa",
            description: "Consulenza sui contratti a canone concordato, il fondo morosità incolpevole e gli alloggi temporanei per chi inizia un lavoro.",
            ages: (None, None),
            statuses: vec![],
            groups: vec![],
            place: ("016024", "Sportello casa, via San Giorgio 8"),
            dates: (None, None, None),
            how: "Accesso libero il martedì e il giovedì, o su appuntamento chiesto dall'assistente sociale.",
            contact: "sportellocasa@comune.bergamo.example",
            publish: true,
        },
        O {
            kind: K::Event,
            org: "cciaa",
            area: A::WorkPlacement,
            title: "Job day del territorio",
            description: "Trenta imprese incontrano chi cerca lavoro: colloqui brevi, laboratorio sul curriculum, informazioni su DUL e Garanzia Giovani.",
            ages: (None, None),
            statuses: vec![],
            groups: vec![],
            place: ("016024", "Polo fieristico"),
            dates: (Some(days(24)), Some(days(24)), None),
            how: "Ingresso libero; chi vuole un colloquio prenota lo slot online o allo sportello.",
            contact: "jobday@cciaa.example",
            publish: true,
        },
        O {
            kind: K::Event,
            org: "agenzia_sociale",
            area: A::RelationalLife,
            title: "Incontro informativo sul microcredito sociale",
            description: "Come funziona il microcredito per chi riprende a lavorare: chi può chiederlo, le garanzie, i tempi.",
            ages: (None, None),
            statuses: vec![],
            groups: vec![],
            place: ("016214", "Sala consiliare"),
            dates: (Some(soon), Some(soon), None),
            how: "Ingresso libero fino a esaurimento dei posti.",
            contact: "035 000 2222",
            publish: true,
        },
    ];
    for o in list {
        // Agency 1 publishes its own (a member of the forum); the coordinator records the
        // others for their organizations.
        let cx = if o.org == "agency1" {
            &as_op1
        } else {
            &as_coord
        };
        opp::create(
            conn,
            cx,
            OpportunityInput {
                kind: o.kind,
                organization_id: Some(ids.org(o.org)),
                area: o.area,
                title: o.title.into(),
                description: o.description.into(),
                min_age: o.ages.0,
                max_age: o.ages.1,
                employment_statuses: o.statuses,
                target_groups: o.groups,
                residence_required: false,
                municipality_code: Some(o.place.0.into()),
                place_note: Some(o.place.1.into()),
                starts_on: o.dates.0,
                ends_on: o.dates.1,
                apply_by: o.dates.2,
                how_to_apply: Some(o.how.into()),
                contact: Some(o.contact.into()),
                shared_response_id: if o.kind == K::Service {
                    housing.clone()
                } else {
                    None
                },
                publish: o.publish,
            },
        )?;
    }
    Ok(())
}
