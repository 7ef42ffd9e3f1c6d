//! The languages the product answers in: Italian first, English on request
//! (`Accept-Language: en`).

/// A language of the product's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    It,
    En,
}

impl Lang {
    /// From an `Accept-Language` header: the first supported language by preference
    /// (`q` weights honoured), Italian when none is.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(h) = header else {
            return Lang::It;
        };
        let mut ranked: Vec<(f32, Lang)> = h
            .split(',')
            .filter_map(|part| {
                let mut bits = part.split(';');
                let tag = bits.next()?.trim().to_ascii_lowercase();
                let q = bits
                    .find_map(|b| b.trim().strip_prefix("q=").map(str::to_string))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                let lang = match tag.split('-').next()? {
                    "it" => Lang::It,
                    "en" => Lang::En,
                    _ => return None,
                };
                (q > 0.0).then_some((q, lang))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map(|(_, l)| *l).unwrap_or(Lang::It)
    }
}

/// How a state reads in a sentence ("la segnalazione è …"), per entity.
pub fn state_label(entity: &str, state: &str, lang: Lang) -> String {
    let it = match (entity, state) {
        ("referral", "draft") => "bozza",
        ("referral", "submitted") => "inviata",
        ("referral", "scheduled") => "all'ordine del giorno",
        ("referral", "accepted") => "accolta",
        ("referral", "rejected") => "non accolta",
        ("referral", "redirected") => "inviata ad altro servizio",
        ("referral", "deferred") => "rinviata",
        ("referral", "info_requested") => "in attesa di informazioni",
        ("referral", "withdrawn") => "ritirata",
        ("case", "assigned") => "assegnato",
        ("case", "in_charge") => "in carico",
        ("case", "active") => "con misure in corso",
        ("case", "monitoring") => "in monitoraggio",
        ("case", "suspended") => "sospeso",
        ("case", "closed") => "chiuso",
        ("activation", "proposed") => "proposta",
        ("activation", "approved") => "approvata",
        ("activation", "running") => "in corso",
        ("activation", "completed") => "completata",
        ("activation", "interrupted") => "interrotta",
        ("activation", "cancelled") => "annullata",
        ("meeting", "planned") => "programmata",
        ("meeting", "open") => "aperta",
        ("meeting", "closed") => "chiusa",
        ("client", "revoked") | ("webhook", "inactive") => "disattivato",
        ("delivery", "pending") => "in attesa di consegna",
        ("outcome_check", "due") => "da registrare",
        ("outcome_check", "done") => "registrata",
        _ => "",
    };
    match lang {
        Lang::It if !it.is_empty() => it.to_string(),
        _ => state.replace('_', " "),
    }
}

/// The entity's name in a sentence.
pub fn entity_label(entity: &str, lang: Lang) -> &'static str {
    match (lang, entity) {
        (Lang::It, "referral") => "la segnalazione",
        (Lang::It, "case") => "il caso",
        (Lang::It, "activation") => "la misura",
        (Lang::It, "meeting") => "la seduta",
        (Lang::It, "client") => "il client",
        (Lang::It, "webhook") => "il webhook",
        (Lang::It, "delivery") => "la consegna",
        (Lang::It, "outcome_check") => "la verifica",
        (Lang::It, _) => "l'elemento",
        (Lang::En, "referral") => "the referral",
        (Lang::En, "case") => "the case",
        (Lang::En, "activation") => "the measure",
        (Lang::En, "meeting") => "the meeting",
        (Lang::En, "client") => "the client",
        (Lang::En, "webhook") => "the webhook",
        (Lang::En, "delivery") => "the delivery",
        (Lang::En, "outcome_check") => "the check",
        (Lang::En, _) => "the record",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_by_weight_and_falls_back_to_italian() {
        assert_eq!(Lang::from_accept_language(None), Lang::It);
        assert_eq!(Lang::from_accept_language(Some("en")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("en-GB,en;q=0.9")), Lang::En);
        assert_eq!(
            Lang::from_accept_language(Some("de, en;q=0.5, it;q=0.8")),
            Lang::It
        );
        assert_eq!(Lang::from_accept_language(Some("fr")), Lang::It);
        assert_eq!(
            Lang::from_accept_language(Some("it;q=0, en;q=0.1")),
            Lang::En
        );
    }

    #[test]
    fn every_state_has_an_italian_label() {
        use crate::states::*;
        for s in ReferralStatus::ALL {
            assert!(!state_label("referral", s.as_str(), Lang::It).contains('_'));
        }
        for s in CaseStatus::ALL {
            assert!(!state_label("case", s.as_str(), Lang::It).contains('_'));
        }
        for s in ActivationStatus::ALL {
            assert!(!state_label("activation", s.as_str(), Lang::It).is_empty());
        }
    }
}
