"""A third party's story, told only through a Python client generated from openapi.yaml.

    SL_BASE_URL=http://127.0.0.1:PORT pytest scripts/conformance/story_test.py

(run.sh does this against a fresh demo server.) The client is generated into a temporary folder
by gen_client.py unless SL_CLIENT_DIR points at one already generated. Every request below goes
through the generated package `sistema_lavoro_client`: no hand-written HTTP.

The story: a social worker (referrer) signs in, registers a person with a valid codice fiscale
and refers them; the referral is submitted. The coordinator sees it `submitted`, puts it on the
open meeting's agenda, accepts it for Agenzia Lavoro Orobica and closes the meeting, which turns
the referral into a case. The agency's operator then reads that case.

The integrator's story (issue 5, "done when"): a municipality's social-record tool knows only
openapi.yaml and its client credentials. It gets a token, subscribes a webhook receiver, submits
a referral retrying every creating call with its Idempotency-Key (nothing is created twice), and
receives `referral.decided` and `case.closed`, each signed with its secret.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import random
import subprocess
import sys
import tempfile
from http import HTTPStatus
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PASSWORD = "Demo-2026!"

# --- codice fiscale (public algorithm, DM 23/12/1976) ------------------------------------------

MONTHS = "ABCDEHLMPRST"
ODD = {
    **dict(zip("0123456789", [1, 0, 5, 7, 9, 13, 15, 17, 19, 21])),
    **dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23],
        )
    ),
}
EVEN = {**{str(d): d for d in range(10)}, **{c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}}


def _letters(word: str) -> tuple[str, str]:
    word = "".join(c for c in word.upper() if c.isalpha())
    consonants = "".join(c for c in word if c not in "AEIOU")
    vowels = "".join(c for c in word if c in "AEIOU")
    return consonants, vowels


def _surname_part(surname: str) -> str:
    c, v = _letters(surname)
    return (c + v + "XXX")[:3]


def _name_part(name: str) -> str:
    c, v = _letters(name)
    if len(c) >= 4:
        return c[0] + c[2] + c[3]
    return (c + v + "XXX")[:3]


def check_character(first15: str) -> str:
    total = sum((ODD if i % 2 == 0 else EVEN)[ch] for i, ch in enumerate(first15))
    return chr(ord("A") + total % 26)


def codice_fiscale(surname: str, name: str, birth: dt.date, gender: str, belfiore: str) -> str:
    day = birth.day + (40 if gender == "F" else 0)
    body = f"{_surname_part(surname)}{_name_part(name)}{birth.year % 100:02d}{MONTHS[birth.month - 1]}{day:02d}{belfiore}"
    return body + check_character(body)


def test_codice_fiscale_algorithm():
    # Known codes: the textbook example, and the server's verdict on the spec's own example.
    assert codice_fiscale("Rossi", "Mario", dt.date(1985, 12, 10), "M", "A794") == "RSSMRA85T10A794D"
    assert check_character("RSSMRA80A01H501") == "U"  # Mario Rossi, Roma 1/1/1980
    assert _name_part("Gianfranco") == "GFR"
    assert codice_fiscale("Fo", "Ada", dt.date(1990, 3, 5), "F", "A794").startswith("FOXDAA90C45A794")


# --- the generated client ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sl():
    """Import the generated package, generating it first if needed."""
    client_dir = os.environ.get("SL_CLIENT_DIR")
    tmp = None
    if not client_dir:
        tmp = tempfile.TemporaryDirectory(prefix="sl-client-")
        client_dir = tmp.name
        spec = os.environ.get("SL_OPENAPI", str(ROOT / "openapi.yaml"))
        subprocess.run([sys.executable, str(HERE / "gen_client.py"), spec, client_dir], check=True)
    sys.path.insert(0, client_dir)
    import sistema_lavoro_client  # noqa: F401

    yield sistema_lavoro_client
    if tmp is not None:
        tmp.cleanup()


@pytest.fixture(scope="session")
def base_url():
    url = os.environ.get("SL_BASE_URL")
    if not url:
        pytest.skip("SL_BASE_URL is not set: run scripts/conformance/run.sh")
    return url.rstrip("/")


def _ok(response, status: int = 200):
    """The parsed body of a response that must have `status`; otherwise show the problem."""
    assert response.status_code == HTTPStatus(status), (
        f"expected {status}, got {int(response.status_code)}: {response.content[:600]!r}"
    )
    assert response.parsed is not None, f"the generated client could not parse: {response.content[:600]!r}"
    return response.parsed


def _login(sl, base_url: str, email: str):
    from sistema_lavoro_client import AuthenticatedClient, Client
    from sistema_lavoro_client.api.auth import login
    from sistema_lavoro_client.models import LoginRequest, TokenResponse

    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)
    tokens = _ok(login.sync_detailed(client=anonymous, body=LoginRequest(email=email, password=PASSWORD)))
    assert isinstance(tokens, TokenResponse)
    assert tokens.token_type == "Bearer"
    return AuthenticatedClient(base_url=base_url, token=tokens.access_token, raise_on_unexpected_status=True)


# --- the story -----------------------------------------------------------------------------------



def _give_notice(client, person_id):
    """Records that the person was given the privacy notice in force on referrals and cases
    (informativa): a referral is sent to the table only then (409 notice_missing)."""
    from sistema_lavoro_client.api.privacy import list_notices, record_consent
    from sistema_lavoro_client.models import ConsentInput, ConsentKind, ConsentMethod, ConsentStatus, PrivacyPurpose

    notices = _ok(list_notices.sync_detailed(client=client, current=True)).items
    notice = next(n for n in notices if n.purpose == PrivacyPurpose.REFERRAL_AND_CASE)
    given = _ok(
        record_consent.sync_detailed(
            person_id,
            client=client,
            body=ConsentInput(kind=ConsentKind.NOTICE, notice_id=notice.id, method=ConsentMethod.IN_PERSON),
        ),
        201,
    )
    assert given.status == ConsentStatus.GIVEN


def test_referral_to_case_story(sl, base_url):
    from sistema_lavoro_client.api.auth import me
    from sistema_lavoro_client.api.cases import cases_read as read_case
    from sistema_lavoro_client.api.meetings import add_item, decide
    from sistema_lavoro_client.api.meetings import meetings_close as close_meeting
    from sistema_lavoro_client.api.meetings import meetings_create as create_meeting
    from sistema_lavoro_client.api.meetings import meetings_list as list_meetings
    from sistema_lavoro_client.api.meetings import open_ as open_meeting
    from sistema_lavoro_client.api.organizations import list_organizations
    from sistema_lavoro_client.api.persons import persons_create as create_person
    from sistema_lavoro_client.api.referrals import referrals_create as create_referral
    from sistema_lavoro_client.api.referrals import referrals_read as read_referral
    from sistema_lavoro_client.api.referrals import submit
    from sistema_lavoro_client.models import (
        ActionNote,
        AgendaInput,
        CaseDetail,
        DecisionInput,
        DecisionKind,
        Gender,
        MeetingInput,
        MeetingStatus,
        Need,
        PersonInput,
        PersonOut,
        ReferralInput,
        ReferralOut,
        ReferralStatus,
        Role,
    )

    # 1. The social worker signs in.
    referrer = _login(sl, base_url, "assistente.sociale@demo.test")
    assert _ok(me.sync_detailed(client=referrer)).role == Role.REFERRER

    # 2. ...registers a person born in Bergamo (Belfiore A794), with a computed codice fiscale.
    rng = random.Random()
    surname = rng.choice(["Bonetti", "Locatelli", "Pesenti", "Rota", "Carminati", "Gotti"])
    name = rng.choice(["Luca", "Paolo", "Stefano", "Marco", "Davide", "Alessandro"])
    birth = dt.date(1970 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28))
    tax_code = codice_fiscale(surname, name, birth, "M", "A794")
    person = _ok(
        create_person.sync_detailed(
            client=referrer,
            body=PersonInput(
                tax_code=tax_code,
                first_name=name,
                last_name=surname,
                birth_date=birth,
                gender=Gender.M,
                birth_place_code="A794",
                residence_municipality_code="016024",
            ),
        ),
        201,
    )
    assert isinstance(person, PersonOut)
    assert person.tax_code == tax_code
    _give_notice(referrer, person.id)

    # 3. ...refers the person, and submits the referral to the table.
    referral = _ok(
        create_referral.sync_detailed(
            client=referrer,
            body=ReferralInput(
                person_id=person.id,
                needs=[Need.WORK, Need.TRAINING],
                reason="Disoccupato da 14 mesi, esperienza in magazzino; chiede un percorso di ricollocazione.",
            ),
        ),
        201,
    )
    assert isinstance(referral, ReferralOut)
    assert referral.status == ReferralStatus.DRAFT
    submitted = _ok(
        submit.sync_detailed(referral.id, client=referrer, body=ActionNote(reason="Primo contatto completato."))
    )
    assert submitted.status == ReferralStatus.SUBMITTED

    # 4. The coordinator signs in and sees it submitted.
    coordinator = _login(sl, base_url, "coordinatore@demo.test")
    seen = _ok(read_referral.sync_detailed(referral.id, client=coordinator))
    assert seen.status == ReferralStatus.SUBMITTED
    assert seen.person.tax_code == tax_code

    # 5. ...puts it on the open meeting's agenda, accepts it for Agenzia Lavoro Orobica, closes.
    meetings = _ok(list_meetings.sync_detailed(client=coordinator, limit=200)).items
    open_meetings = [m for m in meetings if m.status == MeetingStatus.OPEN]
    if open_meetings:  # the demo has one
        meeting = open_meetings[0]
    else:  # a server whose demo meeting was already closed: plan one and open it
        planned = _ok(
            create_meeting.sync_detailed(
                client=coordinator,
                body=MeetingInput(title="Tavolo straordinario", scheduled_for=dt.date.today(), participants=[]),
            ),
            201,
        )
        meeting = _ok(open_meeting.sync_detailed(planned.id, client=coordinator))
    assert meeting.status == MeetingStatus.OPEN
    if _ok(read_referral.sync_detailed(referral.id, client=coordinator)).status == ReferralStatus.SUBMITTED:
        # (opening a meeting puts every submitted referral on it; the demo's is already open)
        agenda = _ok(add_item.sync_detailed(meeting.id, client=coordinator, body=AgendaInput(referral_id=referral.id)))
        assert any(i.referral and i.referral.id == referral.id for i in agenda.items)
    assert _ok(read_referral.sync_detailed(referral.id, client=coordinator)).status == ReferralStatus.SCHEDULED

    orgs = _ok(list_organizations.sync_detailed(client=coordinator, limit=200)).items
    agency = next(o for o in orgs if o.name == "Agenzia Lavoro Orobica")
    _ok(
        decide.sync_detailed(
            meeting.id,
            client=coordinator,
            body=DecisionInput(referral_id=referral.id, decision=DecisionKind.ACCEPT, agency_id=agency.id, measure_ids=[]),
        )
    )
    closed = _ok(close_meeting.sync_detailed(meeting.id, client=coordinator))
    assert closed.status == MeetingStatus.CLOSED

    accepted = _ok(read_referral.sync_detailed(referral.id, client=coordinator))
    assert accepted.status == ReferralStatus.ACCEPTED
    assert accepted.case is not None, "an accepted referral has its case"

    # 6. The agency's operator reads the new case.
    operator = _login(sl, base_url, "operatore1@demo.test")
    case = _ok(read_case.sync_detailed(accepted.case.id, client=operator))
    assert isinstance(case, CaseDetail)
    assert case.referral_id == referral.id
    assert case.agency.id == agency.id
    assert case.person.tax_code == tax_code


def test_action_without_a_note(sl, base_url):
    """The note of an action is optional (`requestBody` not required): the generated client,
    called without a body, sends an empty body with `Content-Type: application/json`."""
    from sistema_lavoro_client.api.persons import persons_list as list_persons
    from sistema_lavoro_client.api.referrals import referrals_create as create_referral
    from sistema_lavoro_client.api.referrals import withdraw
    from sistema_lavoro_client.models import Need, ReferralInput, ReferralStatus

    referrer = _login(sl, base_url, "assistente.sociale@demo.test")
    person = _ok(list_persons.sync_detailed(client=referrer, limit=1)).items[0]
    draft = _ok(
        create_referral.sync_detailed(
            client=referrer,
            body=ReferralInput(person_id=person.id, needs=[Need.WORK], reason="Segnalazione di prova, da ritirare."),
        ),
        201,
    )
    # body=None, not left out: openapi-python-client 0.29 serializes an omitted optional
    # `oneOf [X, null]` body as its UNSET sentinel and fails before sending anything.
    withdrawn = _ok(withdraw.sync_detailed(draft.id, client=referrer, body=None))
    assert withdrawn.status == ReferralStatus.WITHDRAWN


# --- the integrator's story ----------------------------------------------------------------------


class _Receiver:
    """A webhook receiver on loopback (run.sh allows 127.0.0.1 as a webhook host)."""

    def __init__(self):
        self.got: list[tuple[dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.got.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sistema-lavoro"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, event_type: str, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for headers, body in self.got:
                if headers.get("x-event-type") == event_type:
                    return headers, body
            time.sleep(0.05)
        raise AssertionError(f"no {event_type} arrived; got {[h.get('x-event-type') for h, _ in self.got]}")


def verify_signature(secret: str, signature_header: str, body: bytes, tolerance: int = 300) -> bool:
    """The README's receiver code: X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>."""
    parts = dict(p.split("=", 1) for p in signature_header.split(","))
    t, v1 = int(parts["t"]), parts["v1"]
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return abs(time.time() - t) <= tolerance and hmac.compare_digest(expected, v1)


def test_integration_tool_story(sl, base_url):
    from sistema_lavoro_client import AuthenticatedClient, Client
    from sistema_lavoro_client.api.auth import me, token
    from sistema_lavoro_client.api.cases import cases_close as close_case
    from sistema_lavoro_client.api.cases import take_charge
    from sistema_lavoro_client.api.integration import create_client
    from sistema_lavoro_client.api.meetings import decide
    from sistema_lavoro_client.api.meetings import meetings_close as close_meeting
    from sistema_lavoro_client.api.meetings import meetings_create as create_meeting
    from sistema_lavoro_client.api.meetings import meetings_list as list_meetings
    from sistema_lavoro_client.api.meetings import open_ as open_meeting
    from sistema_lavoro_client.api.organizations import list_organizations
    from sistema_lavoro_client.api.persons import persons_create as create_person
    from sistema_lavoro_client.api.referrals import referrals_create as create_referral
    from sistema_lavoro_client.api.referrals import referrals_read as read_referral
    from sistema_lavoro_client.api.referrals import submit
    from sistema_lavoro_client.api.webhooks import create_webhook
    from sistema_lavoro_client.models import (
        ActionNote,
        ClientInput,
        CloseInput,
        DecisionInput,
        DecisionKind,
        EventType,
        Gender,
        MeetingInput,
        MeetingStatus,
        Need,
        Outcome,
        PersonInput,
        ReferralInput,
        ReferralStatus,
        Scope,
        SubscriptionInput,
        TakeChargeInput,
        TokenRequest,
    )

    # Set-up by people: the administrator creates the tool's client for the social service.
    referrer = _login(sl, base_url, "assistente.sociale@demo.test")
    social_service = _ok(me.sync_detailed(client=referrer)).organization.id
    admin = _login(sl, base_url, "admin@demo.test")
    credentials = _ok(
        create_client.sync_detailed(
            client=admin,
            body=ClientInput(
                organization_id=social_service,
                name="Cartella sociale comunale",
                scopes=[Scope.REFERRALSREAD, Scope.REFERRALSWRITE, Scope.WEBHOOKSMANAGE],
            ),
        ),
        201,
    )

    # 1. The tool gets a token with its client credentials. (openapi-python-client types the
    # form-encoded operation's client as authenticated; at run time any client will do.)
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)
    issued = _ok(
        token.sync_detailed(
            client=anonymous,  # type: ignore[arg-type]
            body=TokenRequest(
                grant_type="client_credentials",
                client_id=credentials.client_id,
                client_secret=credentials.client_secret,
            ),
        )
    )
    assert set(issued.scope.split()) == {"referrals:read", "referrals:write", "webhooks:manage"}
    tool = AuthenticatedClient(base_url=base_url, token=issued.access_token, raise_on_unexpected_status=True)

    # 2. It subscribes its receiver; the signing secret is shown this once.
    receiver = _Receiver()
    subscription = _ok(
        create_webhook.sync_detailed(
            client=tool,
            body=SubscriptionInput(url=receiver.url, event_types=[EventType.REFERRAL_DECIDED, EventType.CASE_CLOSED]),
            idempotency_key=str(uuid.uuid4()),
        ),
        201,
    )
    secret = subscription.secret

    # 3. It registers the person and refers them, sending every creating call twice with the
    # same Idempotency-Key, as a tool does after a timeout: the second answer replays the first.
    rng = random.Random()
    surname = rng.choice(["Arrigoni", "Belotti", "Cortinovis", "Donizetti", "Epis", "Fumagalli"])
    name = rng.choice(["Giorgio", "Franco", "Sergio", "Bruno", "Carlo", "Enrico"])
    birth = dt.date(1965 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28))
    person_body = PersonInput(
        tax_code=codice_fiscale(surname, name, birth, "M", "A794"),
        first_name=name,
        last_name=surname,
        birth_date=birth,
        gender=Gender.M,
        residence_municipality_code="016024",
    )
    key = str(uuid.uuid4())
    person = _ok(create_person.sync_detailed(client=tool, body=person_body, idempotency_key=key), 201)
    again = create_person.sync_detailed(client=tool, body=person_body, idempotency_key=key)
    assert again.headers.get("idempotency-replayed") == "true"
    assert _ok(again, 201).id == person.id
    _give_notice(tool, person.id)
    referral_body = ReferralInput(person_id=person.id, needs=[Need.WORK], reason="Dalla cartella sociale del Comune.")
    key = str(uuid.uuid4())
    referral = _ok(create_referral.sync_detailed(client=tool, body=referral_body, idempotency_key=key), 201)
    assert _ok(create_referral.sync_detailed(client=tool, body=referral_body, idempotency_key=key), 201).id == referral.id
    key = str(uuid.uuid4())
    for _ in range(2):
        submitted = _ok(
            submit.sync_detailed(referral.id, client=tool, body=ActionNote(reason="Inviata dal gestionale."), idempotency_key=key)
        )
        assert submitted.status == ReferralStatus.SUBMITTED

    # 4. The table decides: the coordinator accepts it at an open meeting and closes it.
    coordinator = _login(sl, base_url, "coordinatore@demo.test")
    meetings = _ok(list_meetings.sync_detailed(client=coordinator, limit=200)).items
    meeting = next((m for m in meetings if m.status == MeetingStatus.OPEN), None)
    if meeting is None:
        planned = _ok(
            create_meeting.sync_detailed(
                client=coordinator,
                body=MeetingInput(title="Tavolo straordinario", scheduled_for=dt.date.today(), participants=[]),
            ),
            201,
        )
        meeting = _ok(open_meeting.sync_detailed(planned.id, client=coordinator))
    orgs = _ok(list_organizations.sync_detailed(client=coordinator, limit=200)).items
    agency = next(o for o in orgs if o.name == "Agenzia Lavoro Orobica")
    _ok(
        decide.sync_detailed(
            meeting.id,
            client=coordinator,
            body=DecisionInput(referral_id=referral.id, decision=DecisionKind.ACCEPT, agency_id=agency.id, measure_ids=[]),
        )
    )
    _ok(close_meeting.sync_detailed(meeting.id, client=coordinator))

    headers, body = receiver.wait_for("referral.decided")
    assert verify_signature(secret, headers["x-signature"], body), "referral.decided is signed with the secret"
    event = json.loads(body)
    assert event["data"]["referral_id"] == referral.id
    assert event["data"]["decision"] == "accept"
    assert headers["x-event-id"] == event["id"]

    # 5. The agency follows the person and closes the case; the tool hears of it.
    accepted = _ok(read_referral.sync_detailed(referral.id, client=tool))
    assert accepted.status == ReferralStatus.ACCEPTED and accepted.case is not None
    operator = _login(sl, base_url, "operatore1@demo.test")
    _ok(
        take_charge.sync_detailed(
            accepted.case.id,
            client=operator,
            body=TakeChargeInput(first_meeting_date=dt.date.today(), plan_goals="Ricerca attiva del lavoro."),
        )
    )
    _ok(close_case.sync_detailed(accepted.case.id, client=operator, body=CloseInput(outcome=Outcome.DROPPED_OUT)))

    headers, body = receiver.wait_for("case.closed")
    assert verify_signature(secret, headers["x-signature"], body), "case.closed is signed with the secret"
    event = json.loads(body)
    assert event["data"]["case_id"] == accepted.case.id
    assert event["data"]["outcome"] == "dropped_out"
    assert not verify_signature("whsec_wrong", headers["x-signature"], body)
    receiver.server.shutdown()
