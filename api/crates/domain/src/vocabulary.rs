//! The closed lists of the workflow: sources, needs, statuses of a person, outcomes.

use crate::string_enum;

string_enum! {
    /// Sesso, as in the codice fiscale.
    Gender { F => "F", M => "M" }
}

string_enum! {
    /// Canale di invio: who signals the person.
    ReferralSource {
        /// Assistente sociale.
        SocialWorker => "social_worker",
        /// Segretariato Sociale / PASS (sedi decentrate).
        FrontDesk => "front_desk",
        /// Centro per l'Impiego.
        Cpi => "cpi",
        /// Altri soggetti del territorio.
        Territory => "territory",
    }
}

string_enum! {
    /// Bisogno espresso.
    Need {
        /// Lavoro.
        Work => "work",
        /// Formazione.
        Training => "training",
        /// Casa.
        Housing => "housing",
        /// Trasporti / mobilità.
        Transport => "transport",
        /// Sostegno al reddito.
        Income => "income",
        /// Conciliazione e carichi di cura.
        FamilyCare => "family_care",
        /// Salute.
        Health => "health",
        /// Vita relazionale.
        Relational => "relational",
    }
}

string_enum! {
    /// How a referral the Ufficio di Piano records on behalf of a service reached it (canale di
    /// ricezione).
    ReceivedVia {
        /// Per telefono.
        Phone => "phone",
        /// Per lettera.
        Letter => "letter",
        /// Per e-mail o PEC.
        Email => "email",
        /// Di persona allo sportello.
        InPerson => "in_person",
    }
}

string_enum! {
    /// Urgenza.
    Urgency { Low => "low", Normal => "normal", High => "high" }
}

string_enum! {
    /// Condizione occupazionale.
    EmploymentStatus {
        /// Disoccupato.
        Unemployed => "unemployed",
        /// Occupato.
        Employed => "employed",
        /// Working poor: occupato a basso reddito.
        WorkingPoor => "working_poor",
        /// Inattivo.
        Inactive => "inactive",
        /// Studente.
        Student => "student",
    }
}

string_enum! {
    /// Titolo di studio.
    EducationLevel {
        /// Nessun titolo.
        None => "none",
        /// Licenza elementare.
        Primary => "primary",
        /// Licenza media.
        LowerSecondary => "lower_secondary",
        /// Qualifica professionale.
        Vocational => "vocational",
        /// Diploma.
        UpperSecondary => "upper_secondary",
        /// Laurea.
        Tertiary => "tertiary",
    }
}

string_enum! {
    /// Cluster / fascia di intensità di aiuto (profiling), 1 = low to 4 = very high.
    Cluster { Band1 => "band_1", Band2 => "band_2", Band3 => "band_3", Band4 => "band_4" }
}

string_enum! {
    /// Gruppo target, for measures' eligibility.
    TargetGroup {
        /// Giovani NEET (Garanzia Giovani).
        YouthNeet => "youth_neet",
        /// Over 50.
        Over50 => "over_50",
        /// Disoccupati di lunga durata.
        LongTermUnemployed => "long_term_unemployed",
        /// Persone con disabilità (L. 68/99).
        Disability => "disability",
        /// Area penale.
        CriminalJustice => "criminal_justice",
        /// Care leavers.
        CareLeaver => "care_leaver",
        /// Migranti.
        Migrant => "migrant",
        /// Beneficiari di misure di sostegno al reddito.
        IncomeSupport => "income_support",
        /// Donne in reinserimento.
        WomenReturning => "women_returning",
    }
}

impl TargetGroup {
    /// Groups that reveal special-category data (GDPR art. 9 health, art. 10 criminal
    /// justice): shown and set only by those who see a person's sensitive data.
    pub fn is_special_category(self) -> bool {
        matches!(self, TargetGroup::Disability | TargetGroup::CriminalJustice)
    }
}

string_enum! {
    /// Tipo di misura.
    MeasureKind {
        /// Dote Unica Lavoro (Regione Lombardia).
        Dul => "dul",
        /// Garanzia Giovani.
        Gg => "gg",
        /// Progetto di Ambito.
        DistrictProject => "district_project",
        /// Altro.
        Other => "other",
    }
}

string_enum! {
    /// Tipo di diario / monitoraggio.
    FollowUpKind {
        /// Colloquio.
        Meeting => "meeting",
        /// Telefonata.
        Call => "call",
        /// Avvio formazione.
        TrainingStarted => "training_started",
        /// Avvio tirocinio.
        TraineeshipStarted => "traineeship_started",
        /// Assunzione.
        Hired => "hired",
        /// Verifica.
        Review => "review",
        /// Nota.
        Note => "note",
    }
}

string_enum! {
    /// Esito di chiusura del caso.
    Outcome {
        /// Assunto (with contract type, hours and employer).
        Hired => "hired",
        /// Tirocinio.
        Traineeship => "traineeship",
        /// Percorso formativo.
        Training => "training",
        /// Non reperibile.
        NotReachable => "not_reachable",
        /// Abbandono.
        DroppedOut => "dropped_out",
        /// Trasferito fuori Ambito.
        Moved => "moved",
        /// Passato ad altro servizio.
        Transferred => "transferred",
        /// Altro.
        Other => "other",
    }
}

string_enum! {
    /// Tipo di contratto.
    ContractType {
        /// Tempo indeterminato.
        Permanent => "permanent",
        /// Tempo determinato.
        FixedTerm => "fixed_term",
        /// Apprendistato.
        Apprenticeship => "apprenticeship",
        /// Somministrazione.
        Temporary => "temporary",
        /// Altro.
        Other => "other",
    }
}

string_enum! {
    /// Verifica di stabilizzazione a 3, 6, 12 mesi.
    OutcomeCheckStatus { Due => "due", Done => "done" }
}

string_enum! {
    /// Kind of member organization (ente / soggetto).
    OrganizationKind {
        /// Servizio sociale comunale.
        SocialService => "social_service",
        /// Segretariato Sociale / PASS.
        FrontDesk => "front_desk",
        /// Centro per l'Impiego.
        Cpi => "cpi",
        /// Ente accreditato ai servizi al lavoro.
        AccreditedAgency => "accredited_agency",
        /// Servizio Inserimento Lavorativo.
        Sil => "sil",
        /// Comune.
        Municipality => "municipality",
        /// Terzo settore.
        ThirdSector => "third_sector",
        /// Azienda / datore di lavoro.
        Employer => "employer",
        /// Sindacato.
        Union => "union",
        /// Camera di commercio.
        ChamberOfCommerce => "chamber_of_commerce",
        /// Fondazione.
        Foundation => "foundation",
        /// Ufficio di Piano.
        PlanningOffice => "planning_office",
        /// Altro.
        Other => "other",
    }
}
