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

impl Outcome {
    /// An employment outcome (inserimento lavorativo): what a collective action's results
    /// count as hired. A traineeship or a course is not a job.
    pub fn is_employment(self) -> bool {
        matches!(self, Outcome::Hired)
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
        /// Azienda sanitaria (ASL / ATS / ASST).
        HealthAuthority => "health_authority",
        /// Provincia.
        Province => "province",
        /// Associazione di categoria.
        TradeAssociation => "trade_association",
        /// Istituto di credito.
        Bank => "bank",
        /// Società di trasporto pubblico.
        PublicTransport => "public_transport",
        /// Gruppo immobiliare / ente per la casa.
        HousingGroup => "housing_group",
        /// Cooperativa (anche sociale).
        Cooperative => "cooperative",
        /// Associazione di volontariato.
        VolunteerAssociation => "volunteer_association",
        /// Scuola o università.
        SchoolUniversity => "school_university",
        /// Altro.
        Other => "other",
    }
}

string_enum! {
    /// Which programme the employability profile of a service pact belongs to.
    PactProfileKind {
        /// Dote Unica Lavoro (Regione Lombardia): an aid band.
        Dul => "dul",
        /// Garanzia di Occupabilità dei Lavoratori (PNRR): a pathway.
        Gol => "gol",
    }
}

string_enum! {
    /// The employability profile: a DUL aid band (`band_*`) or a GOL pathway (`pathway_*`).
    PactProfileValue {
        /// Fascia 1 di aiuto DUL (bassa intensità di aiuto).
        Band1 => "band_1",
        /// Fascia 2 di aiuto DUL (media intensità).
        Band2 => "band_2",
        /// Fascia 3 di aiuto DUL (alta intensità).
        Band3 => "band_3",
        /// Fascia 4 di aiuto DUL (molto alta intensità).
        Band4 => "band_4",
        /// Percorso GOL 1: reinserimento lavorativo.
        Pathway1 => "pathway_1",
        /// Percorso GOL 2: aggiornamento (upskilling).
        Pathway2 => "pathway_2",
        /// Percorso GOL 3: riqualificazione (reskilling).
        Pathway3 => "pathway_3",
        /// Percorso GOL 4: lavoro e inclusione.
        Pathway4 => "pathway_4",
        /// Percorso GOL 5: ricollocazione collettiva.
        Pathway5 => "pathway_5",
    }
}

impl PactProfileValue {
    /// The programme the value belongs to: bands are DUL's, pathways GOL's.
    pub fn kind(self) -> PactProfileKind {
        if self.as_str().starts_with("band_") {
            PactProfileKind::Dul
        } else {
            PactProfileKind::Gol
        }
    }

    /// The Italian name, as printed on the pact.
    pub fn label_it(self) -> &'static str {
        match self {
            Self::Band1 => "Fascia 1 di aiuto DUL",
            Self::Band2 => "Fascia 2 di aiuto DUL",
            Self::Band3 => "Fascia 3 di aiuto DUL",
            Self::Band4 => "Fascia 4 di aiuto DUL",
            Self::Pathway1 => "Percorso GOL 1 – reinserimento lavorativo",
            Self::Pathway2 => "Percorso GOL 2 – aggiornamento (upskilling)",
            Self::Pathway3 => "Percorso GOL 3 – riqualificazione (reskilling)",
            Self::Pathway4 => "Percorso GOL 4 – lavoro e inclusione",
            Self::Pathway5 => "Percorso GOL 5 – ricollocazione collettiva",
        }
    }
}

string_enum! {
    /// An action agreed in the service pact.
    PactActionKind {
        /// Ricerca attiva di lavoro.
        JobSearch => "job_search",
        /// Formazione.
        Training => "training",
    }
}

impl PactActionKind {
    pub fn label_it(self) -> &'static str {
        match self {
            Self::JobSearch => "Ricerca attiva di lavoro",
            Self::Training => "Formazione",
        }
    }
}

string_enum! {
    /// How often the person and the operator meet (cadenza dei colloqui).
    MeetingFrequency {
        /// Ogni settimana.
        Weekly => "weekly",
        /// Ogni due settimane.
        Fortnightly => "fortnightly",
        /// Ogni mese.
        Monthly => "monthly",
        /// Ogni due mesi.
        Bimonthly => "bimonthly",
        /// Ogni tre mesi.
        Quarterly => "quarterly",
    }
}

impl MeetingFrequency {
    pub fn label_it(self) -> &'static str {
        match self {
            Self::Weekly => "ogni settimana",
            Self::Fortnightly => "ogni due settimane",
            Self::Monthly => "ogni mese",
            Self::Bimonthly => "ogni due mesi",
            Self::Quarterly => "ogni tre mesi",
        }
    }
}

#[cfg(test)]
mod pact_tests {
    use super::*;

    #[test]
    fn bands_are_dul_and_pathways_gol() {
        assert_eq!(PactProfileValue::Band4.kind(), PactProfileKind::Dul);
        assert_eq!(PactProfileValue::Pathway1.kind(), PactProfileKind::Gol);
        assert_eq!(
            PactProfileValue::ALL
                .iter()
                .filter(|v| v.kind() == PactProfileKind::Dul)
                .count(),
            4
        );
    }
}
