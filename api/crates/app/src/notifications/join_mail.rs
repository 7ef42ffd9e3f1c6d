//! The e-mail to someone whose request to join a network was accepted (they have no account,
//! so no inbox): sent once by the notification worker when SMTP is configured, the request
//! marked first so that two instances never both send it. A failure is logged without the
//! address and not retried (the coordinators still see the request, with its contacts).

use lettre::message::{header::ContentType, Mailbox, Message};
use lettre::{SmtpTransport, Transport};
use sistema_lavoro_domain::{Clock, Error};
use sistema_lavoro_store::agreements::JoinRequest;
use sistema_lavoro_store::meetings::Meeting;
use sistema_lavoro_store::networks::Network;
use sistema_lavoro_store::DbConn;

/// Writes to the requesters of accepted requests not yet written to; how many were sent.
pub fn send_accepted(
    conn: &mut DbConn,
    mailer: &SmtpTransport,
    from: &str,
    clock: &dyn Clock,
) -> Result<usize, Error> {
    let mut sent = 0;
    for r in JoinRequest::to_notify(conn, 20)? {
        if !JoinRequest::mark_notified(conn, &r.id, clock.read().at)? {
            continue;
        }
        let network = Network::find(conn, &r.network_id)?;
        let meeting = match &r.invited_meeting_id {
            Some(m) => Meeting::find(
                conn,
                &sistema_lavoro_domain::ids::MeetingId::from(m.as_str()),
            )
            .ok(),
            None => None,
        };
        let invite = match meeting {
            Some(m) => format!(
                "Sei invitato al prossimo incontro della rete: «{}», il {}{}.",
                m.title,
                m.scheduled_for.format("%d/%m/%Y"),
                m.location.map(|l| format!(", {l}")).unwrap_or_default()
            ),
            None => "Ti scriveremo per invitarti al prossimo incontro della rete.".into(),
        };
        let body = format!(
            "Gentile {},\n\nla tua richiesta di adesione a «{}» è stata accolta. {}\n\n--\nSistema Lavoro\n",
            r.name, network.name, invite
        );
        let built = (|| -> Result<Message, String> {
            let from: Mailbox = from.parse().map_err(|_| "from".to_string())?;
            let to: Mailbox = r
                .email
                .as_deref()
                .unwrap_or_default()
                .parse()
                .map_err(|_| "to".to_string())?;
            Message::builder()
                .from(from)
                .to(to)
                .subject(format!(
                    "[Sistema Lavoro] Richiesta di adesione accolta: {}",
                    network.name
                ))
                .header(ContentType::TEXT_PLAIN)
                .body(body)
                .map_err(|_| "build".to_string())
        })();
        match built.map(|m| mailer.send(&m).map_err(|e| e.is_permanent())) {
            Ok(Ok(_)) => sent += 1,
            Ok(Err(permanent)) => log::warn!(target: "notifications",
                "join request {}: acceptance e-mail not sent (permanent: {permanent})", r.id),
            Err(why) => log::warn!(target: "notifications",
                "join request {}: acceptance e-mail not built ({why})", r.id),
        }
    }
    Ok(sent)
}
