//! The register of processing activities (GDPR art. 30) as the product itself processes data:
//! one entry per purpose, with its legal basis, the data categories and the fields that hold
//! them, data subjects, recipients, transfers, retention and security measures. The register
//! is an Italian document (the DPO prints and adapts it); names also read in English.

use crate::i18n::Lang;
use crate::string_enum;

string_enum! {
    /// Trattamento: one processing activity of the register (art. 30).
    ProcessingActivityCode {
        /// Presa in carico delle persone segnalate: referral, the table's decision, the case.
        TakeCharge => "take_charge",
        /// Misure e budget: activations of measures against the agencies' thresholds.
        MeasuresAndBudget => "measures_and_budget",
        /// Monitoraggio ed esiti: the case diary, outcomes and the 3/6/12-month checks.
        FollowUpAndOutcomes => "follow_up_and_outcomes",
        /// Reti e azioni collettive: networks, partnerships, collective actions, shared responses.
        NetworksAndCollectiveActions => "networks_and_collective_actions",
        /// Opportunità: the board and the opportunities proposed to persons.
        OpportunitiesNews => "opportunities_news",
        /// Osservatorio: aggregated, de-identified statistics.
        ObservatoryStatistics => "observatory_statistics",
        /// Sicurezza e registro degli accessi: accounts, sign-ins, the audit log.
        SecurityAndAudit => "security_and_audit",
    }
}

/// A category of personal data and where the product keeps it (`table.column`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataCategory {
    /// The category as the register names it (Italian).
    pub label: &'static str,
    /// Whether it is a special category (art. 9) or criminal-justice data (art. 10).
    pub special: bool,
    /// The columns that hold it, as `table.column`.
    pub fields: &'static [&'static str],
}

/// How long the data of an activity are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    /// A fixed rule of the catalogue (Italian).
    Fixed(&'static str),
    /// The audit log's own retention (`AUDIT_RETENTION_DAYS`), then archived and verified.
    AuditLog,
}

/// One processing activity as the product carries it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activity {
    pub code: ProcessingActivityCode,
    /// Nome del trattamento (Italian, English).
    pub name: (&'static str, &'static str),
    /// Finalità (Italian).
    pub purpose: &'static str,
    /// Base giuridica (art. 6).
    pub legal_basis: &'static [&'static str],
    /// Condizioni per le categorie particolari (art. 9) e i dati giudiziari (art. 10), if any.
    pub special_basis: &'static [&'static str],
    pub data_categories: &'static [DataCategory],
    /// Categorie di interessati.
    pub data_subjects: &'static [&'static str],
    /// Destinatari.
    pub recipients: &'static [&'static str],
    /// Trasferimenti verso paesi terzi.
    pub transfers: &'static str,
    pub retention: Retention,
    /// Misure di sicurezza (art. 32).
    pub security: &'static [&'static str],
}

impl Activity {
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::It => self.name.0,
            Lang::En => self.name.1,
        }
    }
}

const NO_TRANSFERS: &str = "Nessun trasferimento verso paesi terzi o organizzazioni \
     internazionali: i dati restano nel database dell'Ambito (SQLite o PostgreSQL) sul server \
     che l'Ambito gestisce.";

const IDENTITY: DataCategory = DataCategory {
    label: "Dati anagrafici e codice fiscale",
    special: false,
    fields: &[
        "persons.first_name",
        "persons.last_name",
        "persons.tax_code",
        "persons.birth_date",
        "persons.gender",
        "persons.birth_place_code",
        "persons.citizenship",
        "persons.residence_municipality_code",
    ],
};

const CONTACTS: DataCategory = DataCategory {
    label: "Recapiti",
    special: false,
    fields: &["persons.email", "persons.phone", "persons.address"],
};

const WORK_PROFILE: DataCategory = DataCategory {
    label: "Condizione occupazionale, istruzione e profilazione",
    special: false,
    fields: &[
        "persons.education_level",
        "persons.employment_status",
        "persons.cluster",
        "persons.target_groups",
    ],
};

const HEALTH: DataCategory = DataCategory {
    label: "Disabilità (dati relativi alla salute, art. 9 GDPR)",
    special: true,
    fields: &["persons.has_disability", "persons.disability_notes"],
};

const JUSTICE: DataCategory = DataCategory {
    label: "Percorsi dell'area penale (dati giudiziari, art. 10 GDPR)",
    special: true,
    fields: &["persons.criminal_justice", "persons.criminal_justice_notes"],
};

const REFERRAL: DataCategory = DataCategory {
    label: "Segnalazione, bisogni e decisioni del Tavolo",
    special: false,
    fields: &[
        "referrals.needs",
        "referrals.reason",
        "referrals.urgency",
        "referrals.status_note",
        "decisions.decision",
        "decisions.reason",
        "meetings.minutes_md",
    ],
};

const CASE: DataCategory = DataCategory {
    label: "Presa in carico, patto di servizio e documenti",
    special: false,
    fields: &[
        "cases.agency_id",
        "cases.case_manager_id",
        "cases.plan_goals",
        "service_pacts.case_id",
        "documents.file_name",
        "documents.content",
    ],
};

const LEGAL_BASIS_FIELDS: DataCategory = DataCategory {
    label: "Informative rese e consensi",
    special: false,
    fields: &[
        "person_consents.kind",
        "person_consents.purpose",
        "person_consents.method",
        "person_consents.given_at",
    ],
};

const STD_SECURITY: &[&str] = &[
    "Accesso per ruolo e per ente (policy unica): chi non può vedere un dato riceve 404",
    "Note su disabilità e area penale cifrate a riposo (AES-256-GCM, chiave SECRETS_KEY, \
     rotazione con rotate-secrets-key)",
    "Ogni lettura e modifica registrata nel registro degli accessi, append-only e sigillato \
     da una catena di hash (verify-audit)",
    "Backup consistente (backup --to, pg_dump) e ripristino verificato",
    "Connessioni cifrate (HSTS), password Argon2id, accessi rallentati dopo tentativi falliti",
    "File del database 0600 in una cartella 0700",
];

/// The catalogue: every processing activity of the product, in the register's order.
pub const CATALOGUE: &[Activity] = &[
    Activity {
        code: ProcessingActivityCode::TakeCharge,
        name: (
            "Presa in carico delle persone segnalate",
            "Taking referred persons in charge",
        ),
        purpose: "Ricevere le segnalazioni dei servizi sociali, del Segretariato Sociale/PASS, \
            del Centro per l'Impiego e del territorio; decidere al Tavolo Sistema Lavoro la \
            presa in carico e l'ente accreditato che segue la persona; redigere il patto di \
            servizio.",
        legal_basis: &[
            "Art. 6.1.e GDPR: esecuzione di un compito di interesse pubblico (L. 328/2000, \
             L.R. Lombardia 3/2008, D.Lgs. 150/2015)",
        ],
        special_basis: &[
            "Art. 9.2.g e 9.2.h GDPR e art. 2-sexies D.Lgs. 196/2003: motivi di interesse \
             pubblico rilevante (servizi sociali, inserimento lavorativo delle persone con \
             disabilità, L. 68/1999)",
            "Art. 10 GDPR e art. 2-octies D.Lgs. 196/2003: percorsi dell'area penale previsti \
             dalla legge (esecuzione penale esterna)",
        ],
        data_categories: &[
            IDENTITY,
            CONTACTS,
            WORK_PROFILE,
            HEALTH,
            JUSTICE,
            REFERRAL,
            CASE,
            LEGAL_BASIS_FIELDS,
        ],
        data_subjects: &[
            "Persone segnalate: disoccupati, giovani, lavoratori poveri, persone fragili",
            "Operatori dei servizi e degli enti che segnalano e seguono le persone",
        ],
        recipients: &[
            "Ufficio di Piano (coordinatore) per tutti i casi dell'Ambito",
            "Ente accreditato a cui il caso è assegnato, solo per i propri casi",
            "Servizio che ha segnalato (AS, PASS, CPI): stato, ente ed esito, non il diario",
            "Centro per l'Impiego (CPI) per le segnalazioni che invia",
            "Client di integrazione degli enti, per il proprio ente e nei limiti degli scope \
             concessi (referrals:read/write, cases:read/write)",
            "Webhook degli enti: eventi senza nomi né testi liberi",
        ],
        transfers: NO_TRANSFERS,
        retention: Retention::Fixed(
            "10 anni dalla chiusura del caso, poi anonimizzazione (restano solo i dati \
             statistici: fascia d'età, genere, comune, cittadinanza, stati, misure, esiti)",
        ),
        security: STD_SECURITY,
    },
    Activity {
        code: ProcessingActivityCode::MeasuresAndBudget,
        name: (
            "Misure attivate e budget degli enti",
            "Measures activated and the agencies' budget",
        ),
        purpose: "Attivare per ogni caso le misure del catalogo (Dote Unica Lavoro, Garanzia \
            Giovani, progetti dell'Ambito) entro le soglie operatore, rendicontare gli importi \
            spesi ai finanziatori.",
        legal_basis: &[
            "Art. 6.1.e GDPR: compito di interesse pubblico (programmazione regionale e \
             dell'Ambito, fondi FSE+)",
            "Art. 6.1.c GDPR: obblighi di rendicontazione verso i finanziatori",
        ],
        special_basis: &[],
        data_categories: &[
            IDENTITY,
            DataCategory {
                label: "Misure attivate e importi",
                special: false,
                fields: &[
                    "activations.measure_id",
                    "activations.amount_cents",
                    "activations.spent_cents",
                    "activations.status",
                    "activations.note",
                ],
            },
        ],
        data_subjects: &["Persone prese in carico"],
        recipients: &[
            "Ufficio di Piano (coordinatore)",
            "Ente accreditato che segue il caso",
            "Regione e finanziatori, in forma di rendiconto",
            "Client di integrazione con scope cases:read/cases:write, per il proprio ente",
        ],
        transfers: NO_TRANSFERS,
        retention: Retention::Fixed(
            "10 anni dalla chiusura del caso (obblighi di rendicontazione dei fondi), poi \
             anonimizzazione",
        ),
        security: STD_SECURITY,
    },
    Activity {
        code: ProcessingActivityCode::FollowUpAndOutcomes,
        name: ("Monitoraggio ed esiti", "Follow-up and outcomes"),
        purpose: "Seguire la persona fino alla chiusura del caso (diario, prossime scadenze), \
            registrare l'esito e verificarne la stabilità a 3, 6 e 12 mesi.",
        legal_basis: &["Art. 6.1.e GDPR: compito di interesse pubblico"],
        special_basis: &[
            "Art. 9.2.g GDPR per le note del diario che riguardano la salute, se presenti",
        ],
        data_categories: &[DataCategory {
            label: "Diario, esiti e verifiche",
            special: false,
            fields: &[
                "follow_ups.kind",
                "follow_ups.date",
                "follow_ups.note",
                "cases.outcome",
                "cases.outcome_details",
                "outcome_checks.employed",
                "outcome_checks.note",
            ],
        }],
        data_subjects: &["Persone prese in carico"],
        recipients: &[
            "Ente accreditato che segue il caso e Ufficio di Piano",
            "Servizio che ha segnalato: solo l'esito",
            "Notifiche agli operatori: nome e iniziale del cognome, mai altri dati",
        ],
        transfers: NO_TRANSFERS,
        retention: Retention::Fixed("10 anni dalla chiusura del caso, poi anonimizzazione"),
        security: STD_SECURITY,
    },
    Activity {
        code: ProcessingActivityCode::NetworksAndCollectiveActions,
        name: (
            "Reti, partenariati e azioni collettive",
            "Networks, partnerships and collective actions",
        ),
        purpose: "Gestire le reti del territorio (patti, partenariati, patto per l'inclusione): \
            aderenti, risorse, convenzioni, sedute; far partecipare le persone alle azioni \
            collettive del partenariato e proporre le risposte condivise.",
        legal_basis: &[
            "Art. 6.1.e GDPR per i dati degli aderenti e delle sedute",
            "Art. 6.1.a GDPR: consenso della persona alla condivisione con gli aderenti del \
             partenariato (finalità partnership_sharing; la revoca la toglie dalle azioni)",
        ],
        special_basis: &[],
        data_categories: &[
            DataCategory {
                label: "Partecipazione della persona ad azioni e risposte",
                special: false,
                fields: &[
                    "collective_action_beneficiaries.case_id",
                    "shared_response_proposals.case_id",
                    "shared_response_proposals.note",
                ],
            },
            DataCategory {
                label: "Referenti e presenti alle sedute degli aderenti",
                special: false,
                fields: &["meetings.attendees", "meetings.participants"],
            },
        ],
        data_subjects: &[
            "Persone prese in carico che hanno dato il consenso",
            "Referenti degli enti aderenti",
        ],
        recipients: &[
            "Ente coordinatore della rete e Ufficio di Piano",
            "Aderenti della rete: solo conteggi, non le persone",
            "Client di integrazione con scope networks:read/networks:write",
        ],
        transfers: NO_TRANSFERS,
        retention: Retention::Fixed(
            "Per la durata dell'azione e poi come il caso; i verbali come atti dell'Ambito",
        ),
        security: STD_SECURITY,
    },
    Activity {
        code: ProcessingActivityCode::OpportunitiesNews,
        name: ("Opportunità e notizie", "Opportunities and news"),
        purpose: "Pubblicare le opportunità del territorio (corsi, offerte, tirocini, servizi, \
            eventi) e proporle alle persone seguite, registrandone la risposta.",
        legal_basis: &[
            "Art. 6.1.e GDPR per le proposte sul caso",
            "Art. 6.1.a GDPR: consenso a essere contattati (finalità opportunity_contact)",
        ],
        special_basis: &[],
        data_categories: &[DataCategory {
            label: "Proposte e risposte della persona",
            special: false,
            fields: &[
                "opportunity_proposals.case_id",
                "opportunity_proposals.answer",
                "opportunity_proposals.result",
                "opportunity_proposals.note",
            ],
        }],
        data_subjects: &["Persone prese in carico"],
        recipients: &[
            "Ente che segue il caso e Ufficio di Piano",
            "Pubblico (bacheca, RSS, iCalendar): solo le opportunità, mai dati personali",
        ],
        transfers: NO_TRANSFERS,
        retention: Retention::Fixed("Come il caso a cui la proposta appartiene"),
        security: STD_SECURITY,
    },
    Activity {
        code: ProcessingActivityCode::ObservatoryStatistics,
        name: ("Statistiche dell'osservatorio", "Observatory statistics"),
        purpose: "Produrre dati aggregati e de-identificati per la programmazione dell'Ambito \
            (Piano Locale Integrato) e l'osservatorio, con soppressione delle celle piccole.",
        legal_basis: &[
            "Art. 6.1.e e art. 89 GDPR: fini statistici di interesse pubblico, con garanzie \
             adeguate (aggregazione, soppressione delle celle piccole)",
        ],
        special_basis: &["Art. 9.2.j GDPR: fini statistici, su dati aggregati"],
        data_categories: &[DataCategory {
            label: "Dati aggregati: fasce d'età, genere, comune, stati, misure ed esiti",
            special: false,
            fields: &[
                "persons.birth_date",
                "persons.gender",
                "persons.residence_municipality_code",
                "cases.status",
                "cases.outcome",
                "activations.measure_id",
            ],
        }],
        data_subjects: &["Persone segnalate e prese in carico (solo in forma aggregata)"],
        recipients: &[
            "Osservatorio (ruolo observer): solo cifre aggregate",
            "Ufficio di Piano",
        ],
        transfers: NO_TRANSFERS,
        retention: Retention::Fixed(
            "I dati aggregati senza limite; i dati di origine come il caso",
        ),
        security: &[
            "Nessun dato individuale in uscita: conteggi con celle piccole soppresse",
            "Accesso per ruolo (observer) senza accesso alle persone",
        ],
    },
    Activity {
        code: ProcessingActivityCode::SecurityAndAudit,
        name: (
            "Sicurezza, account e registro degli accessi",
            "Security, accounts and the audit log",
        ),
        purpose: "Autenticare gli operatori, registrare ogni accesso ai dati personali, ogni \
            modifica, rifiuto e accesso al sistema, per la sicurezza del trattamento e il \
            controllo del Responsabile della protezione dei dati.",
        legal_basis: &[
            "Art. 6.1.c GDPR: obbligo di sicurezza del trattamento (art. 32) e di \
             responsabilizzazione (art. 5.2)",
        ],
        special_basis: &[],
        data_categories: &[
            DataCategory {
                label: "Account degli operatori",
                special: false,
                fields: &[
                    "users.email",
                    "users.full_name",
                    "users.role",
                    "users.last_login_at",
                ],
            },
            DataCategory {
                label: "Registro degli accessi",
                special: false,
                fields: &[
                    "audit_events.actor_id",
                    "audit_events.client_address",
                    "audit_events.action",
                    "audit_events.entity_id",
                    "audit_events.person_id",
                    "person_reads.user_id",
                    "document_downloads.user_id",
                ],
            },
        ],
        data_subjects: &[
            "Operatori e utenti del sistema",
            "Persone i cui dati sono stati letti o modificati (solo l'identificativo)",
        ],
        recipients: &[
            "Responsabile della protezione dei dati (RPD) dell'Ambito",
            "Ufficio di Piano, per il proprio Ambito",
            "Autorità giudiziaria e Garante, su richiesta",
        ],
        transfers: NO_TRANSFERS,
        retention: Retention::AuditLog,
        security: &[
            "Registro append-only (trigger su entrambi i database) e a prova di manomissione \
             (catena di hash per lotti, verify-audit)",
            "Archiviazione solo con esportazione verificata (archive-audit)",
            "Password Argon2id; token firmati con algoritmo fissato; accessi rallentati",
        ],
    },
];

/// The catalogue's entry for a code.
pub fn activity(code: ProcessingActivityCode) -> Option<&'static Activity> {
    CATALOGUE.iter().find(|a| a.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_exactly_one_entry_and_every_entry_names_its_fields() {
        for code in ProcessingActivityCode::ALL {
            assert_eq!(CATALOGUE.iter().filter(|a| a.code == *code).count(), 1);
        }
        assert_eq!(CATALOGUE.len(), ProcessingActivityCode::ALL.len());
        for a in CATALOGUE {
            assert!(!a.legal_basis.is_empty(), "{:?}", a.code);
            assert!(!a.recipients.is_empty(), "{:?}", a.code);
            assert!(!a.security.is_empty(), "{:?}", a.code);
            for c in a.data_categories {
                assert!(!c.fields.is_empty(), "{}", c.label);
                assert!(c.fields.iter().all(|f| f.contains('.')), "{}", c.label);
            }
            // Special categories need their art. 9/10 condition.
            if a.data_categories.iter().any(|c| c.special) {
                assert!(!a.special_basis.is_empty(), "{:?}", a.code);
            }
        }
    }
}
