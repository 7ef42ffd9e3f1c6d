#!/usr/bin/env bash
# The README's API walkthrough, runnable: from referral to outcome with curl and jq against a
# server started with the demo data (./scripts/run.sh). BASE defaults to http://localhost:8080.
# It can run again on the same database: the person already registered is reused (409 names
# it in existing_id), and when the open meeting was closed by an earlier run a new one is
# scheduled for today and opened.
set -euo pipefail
BASE=${BASE:-http://localhost:8080}
api() { curl -sS -H 'content-type: application/json' "$@"; }
login() { api "$BASE/api/v1/auth/login" -d "{\"email\":\"$1\",\"password\":\"Demo-2026!\"}" | jq -r .access_token; }

# 1. The social worker registers the person, records the privacy notice given, and submits a
#    referral.
AS=$(login assistente.sociale@demo.test)
PERSON=$(api "$BASE/api/v1/persons" -H "authorization: Bearer $AS" -d '{
  "tax_code": "VRDLGU80A01A794F", "first_name": "Luigi", "last_name": "Verdi",
  "birth_date": "1980-01-01", "gender": "M", "residence_municipality_code": "016024",
  "employment_status": "unemployed", "cluster": "band_2",
  "target_groups": ["long_term_unemployed"]}' | jq -r '.id // .existing_id')
# ...gives the person the privacy notice in force (informativa) and records it: without it the
# referral cannot be sent to the table (409 notice_missing).
NOTICE=$(api "$BASE/api/v1/privacy-notices?current=true" -H "authorization: Bearer $AS" \
  | jq -r '.items[] | select(.purpose == "referral_and_case") | .id')
api "$BASE/api/v1/persons/$PERSON/consents" -H "authorization: Bearer $AS" -d "{
  \"kind\": \"notice\", \"notice_id\": \"$NOTICE\", \"method\": \"in_person\"}" \
  | jq -r '"notice: " + (.status // .code)'
REF=$(api "$BASE/api/v1/referrals" -H "authorization: Bearer $AS" -d "{
  \"person_id\": \"$PERSON\", \"needs\": [\"work\", \"training\"],
  \"reason\": \"Disoccupato da 14 mesi, magazziniere.\"}" | jq -r .id)
api -X POST "$BASE/api/v1/referrals/$REF/submit" -H "authorization: Bearer $AS" | jq -r '"referral: " + .status'

# 2. The coordinator puts it on the open meeting, accepts it for Agenzia Lavoro Orobica with
#    Dote Unica Lavoro, closes the meeting and reads the minutes.
UP=$(login coordinatore@demo.test)
MEETING=$(api "$BASE/api/v1/meetings?status=open" -H "authorization: Bearer $UP" | jq -r '.items[0].id // empty')
if [ -z "$MEETING" ]; then   # an earlier run closed it: today's meeting, opened now
  MEETING=$(api "$BASE/api/v1/meetings" -H "authorization: Bearer $UP" -d "{
    \"title\": \"Tavolo del $(date +%d/%m/%Y)\", \"scheduled_for\": \"$(date +%F)\"}" | jq -r .id)
  api -X POST "$BASE/api/v1/meetings/$MEETING/open" -H "authorization: Bearer $UP" > /dev/null
fi
api "$BASE/api/v1/meetings/$MEETING/agenda" -H "authorization: Bearer $UP" -d "{\"referral_id\": \"$REF\"}" > /dev/null
AGENCY=$(api "$BASE/api/v1/organizations?kind=accredited_agency" -H "authorization: Bearer $UP" \
  | jq -r '.items[] | select(.name == "Agenzia Lavoro Orobica") | .id')
DUL=$(api "$BASE/api/v1/measures" -H "authorization: Bearer $UP" | jq -r '.items[] | select(.code == "DUL") | .id')
api "$BASE/api/v1/meetings/$MEETING/decisions" -H "authorization: Bearer $UP" -d "{
  \"referral_id\": \"$REF\", \"decision\": \"accept\", \"agency_id\": \"$AGENCY\",
  \"measure_ids\": [\"$DUL\"], \"reason\": \"Profilo adatto alla DUL\"}" > /dev/null
api -X POST "$BASE/api/v1/meetings/$MEETING/close" -H "authorization: Bearer $UP" | jq -r '"meeting: " + .status'
api "$BASE/api/v1/meetings/$MEETING/minutes" -H "authorization: Bearer $UP" | head -n 5
CASE=$(api "$BASE/api/v1/referrals/$REF" -H "authorization: Bearer $UP" | jq -r .case.id)

# 3. The agency takes charge, runs the measure within its threshold, writes the diary, closes.
OP=$(login operatore1@demo.test)
TODAY=$(date +%F)
api "$BASE/api/v1/cases/$CASE/take-charge" -H "authorization: Bearer $OP" -d "{
  \"first_meeting_date\": \"$TODAY\", \"plan_goals\": \"Bilancio di competenze; patentino muletto\"}" | jq -r '"case: " + .status'
ACT=$(api "$BASE/api/v1/cases/$CASE/activations" -H "authorization: Bearer $OP" | jq -r '.items[0].id')
api -X POST "$BASE/api/v1/activations/$ACT/approve" -H "authorization: Bearer $OP" | jq -r '"activation: " + .status + " (" + (.amount_cents|tostring) + " cents reserved)"'
api -X POST "$BASE/api/v1/activations/$ACT/start" -H "authorization: Bearer $OP" > /dev/null
api "$BASE/api/v1/cases/$CASE/follow-ups" -H "authorization: Bearer $OP" -d "{
  \"kind\": \"meeting\", \"date\": \"$TODAY\", \"note\": \"Frequenta il corso, buoni riscontri.\"}" > /dev/null
api "$BASE/api/v1/activations/$ACT/complete" -H "authorization: Bearer $OP" -d '{"spent_cents": 140000}' | jq -r '"activation: " + .status'
api "$BASE/api/v1/cases/$CASE/close" -H "authorization: Bearer $OP" -d '{"outcome": "hired",
  "hired": {"contract_type": "fixed_term", "hours_per_week": 38, "employer": "Logistica Orobica srl"}}' \
  | jq -r '"case: " + .status + ", outcome checks due " + ([.outcome_checks[].due_date] | join(", "))'

# 4. The social worker sees the outcome (not the agency's diary).
api "$BASE/api/v1/referrals/$REF" -H "authorization: Bearer $AS" | jq -r '"referrer sees: case " + .case.status + ", outcome " + .case.outcome + ", agency " + .case.agency.name'

# 5–6. Networks: the coordinator builds a territorial partnership; its activation fails with the
#    rules of its kind and their reasons; more members fix it; a member pledges a resource.
ORGS=$(api "$BASE/api/v1/organizations?limit=200" -H "authorization: Bearer $UP")
org() { echo "$ORGS" | jq -r --arg n "$1" '.items[] | select(.name == $n) | .id'; }
NET=$(api "$BASE/api/v1/networks" -H "authorization: Bearer $UP" -d "{
  \"kind\": \"territorial_partnership\", \"name\": \"Partenariato per la ricollocazione $(date +%s)\",
  \"objectives\": [\"outplacement\", \"reinsertion\"], \"coordinating_organization_id\": \"$AGENCY\"}" | jq -r .id)
api "$BASE/api/v1/networks/$NET/members" -H "authorization: Bearer $UP" -d "{
  \"organization_id\": \"$AGENCY\", \"role\": \"coordinator\"}" | jq -r '"member: " + .organization.name'
REFUSED=$(api -X POST "$BASE/api/v1/networks/$NET/activate" -H "authorization: Bearer $UP")
echo "$REFUSED" | jq -r '"activate: " + (.status|tostring) + " " + .code'
echo "$REFUSED" | jq -r '.reasons[] | "  " + .rule + " met=" + (.met|tostring) + ": " + .message'
test "$(echo "$REFUSED" | jq -r .code)" = network_not_compliant
for name in "Comune di Bergamo" "Camera di Commercio di Bergamo"; do
  api "$BASE/api/v1/networks/$NET/members" -H "authorization: Bearer $UP" -d "{
    \"organization_id\": \"$(org "$name")\"}" | jq -r '"member: " + .organization.name'
done
api -X POST "$BASE/api/v1/networks/$NET/activate" -H "authorization: Bearer $UP" \
  | jq -r '"network: " + .status + ", compliant " + (.compliance.compliant|tostring)'
test "$(api "$BASE/api/v1/networks/$NET" -H "authorization: Bearer $UP" | jq -r .status)" = active
api "$BASE/api/v1/networks/$NET/resources" -H "authorization: Bearer $OP" -d '{
  "kind": "staff_time", "hours": 40, "description": "Tutor per i laboratori di ricerca attiva"}' \
  | jq -r '"resource: " + .kind + " " + (.hours|tostring) + "h, " + .status'
api "$BASE/api/v1/networks/$NET/resources" -H "authorization: Bearer $UP" \
  | jq -r '"totals: " + (.totals.network.hours|tostring) + " hours, " + (.totals.network.amount_cents|tostring) + " cents"'

# 7. A convention between two of its members: drafted, its signed text attached as a PDF (kept in
#    the document store, read only by the network's members), signed.
BERGAMO=$(api "$BASE/api/v1/networks/$NET/members" -H "authorization: Bearer $UP" \
  | jq -r '.items[] | select(.organization.name == "Comune di Bergamo") | .id')
LEAD=$(api "$BASE/api/v1/networks/$NET/members" -H "authorization: Bearer $UP" \
  | jq -r --arg a "$AGENCY" '.items[] | select(.organization.id == $a) | .id')
AGR=$(api "$BASE/api/v1/networks/$NET/agreements" -H "authorization: Bearer $UP" -d "{
  \"kind\": \"convention\", \"subject\": \"Convenzione per lo sportello lavoro\",
  \"party_member_ids\": [\"$BERGAMO\", \"$LEAD\"], \"valid_from\": \"$TODAY\",
  \"valid_until\": \"$(( $(date +%Y) + 2 ))-12-31\"}" | jq -r .id)
PDF=$(mktemp --suffix=.pdf)
printf '%%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%%%EOF\n' > "$PDF"
curl -sS "$BASE/api/v1/agreements/$AGR/documents" -H "authorization: Bearer $UP" \
  -F "file=@$PDF;filename=convenzione-firmata.pdf;type=application/pdf" \
  | jq -r '"document: " + .file_name + " sha256 " + .sha256[0:12] + "…"'
rm -f "$PDF"
TAG=$(curl -sS -o /dev/null -D - "$BASE/api/v1/agreements/$AGR" -H "authorization: Bearer $UP" \
  | tr -d '\r' | awk 'tolower($1) == "etag:" {print $2}')
api -X POST "$BASE/api/v1/agreements/$AGR/sign" -H "authorization: Bearer $UP" -H "if-match: $TAG" \
  | jq -r '"agreement: " + .status + " on " + .signed_on + ", valid until " + .valid_until'
test "$(api "$BASE/api/v1/agreements/$AGR" -H "authorization: Bearer $OP" | jq -r '.document_ids | length')" = 1

# 8. The inclusion pact's forum holds a session: members attending, topics, an action item;
#    closed, its minutes are frozen and read as Markdown and as PDF.
RETE=$(login rete@demo.test)
FORUM=$(api "$BASE/api/v1/networks?kind=inclusion_pact" -H "authorization: Bearer $RETE" | jq -r '.items[0].id')
FMEMBER=$(api "$BASE/api/v1/networks/$FORUM/members" -H "authorization: Bearer $RETE" | jq -r '.items[0].id')
SESSION=$(api "$BASE/api/v1/meetings" -H "authorization: Bearer $RETE" -d "{
  \"network_id\": \"$FORUM\", \"scheduled_for\": \"$TODAY\", \"location\": \"Sala consiliare\",
  \"attendees\": [{\"member_id\": \"$FMEMBER\", \"people\": [\"Anna Rota\"], \"attendance\": \"present\"}],
  \"topics\": [{\"title\": \"Sportello casa\", \"notes\": \"Verifica dell'attività del primo anno\"}]}" | jq -r .id)
api -X POST "$BASE/api/v1/meetings/$SESSION/open" -H "authorization: Bearer $RETE" | jq -r '"forum session: " + .status'
api "$BASE/api/v1/meetings/$SESSION/action-items" -H "authorization: Bearer $RETE" -d "{
  \"title\": \"Mappare gli alloggi disponibili\", \"owner_member_id\": \"$FMEMBER\",
  \"due_on\": \"$(( $(date +%Y) + 1 ))-03-31\"}" | jq -r '"action item: " + .title + " by " + .due_on'
api -X POST "$BASE/api/v1/meetings/$SESSION/close" -H "authorization: Bearer $RETE" | jq -r '"forum session: " + .status'
api "$BASE/api/v1/meetings/$SESSION/minutes" -H "authorization: Bearer $RETE" | head -n 3
curl -sS "$BASE/api/v1/meetings/$SESSION/minutes?format=pdf" -H "authorization: Bearer $RETE" -o /tmp/verbale-forum.pdf
test "$(head -c 5 /tmp/verbale-forum.pdf)" = "%PDF-" && echo "minutes: verbale-forum.pdf, $(wc -c < /tmp/verbale-forum.pdf) bytes"
rm -f /tmp/verbale-forum.pdf

# 9. The partnership's outplacement action: the agency takes part, adds the case it closed hired
#    in step 3; the results are computed from the case (hired 1, six-month check pending).
COLL=$(api "$BASE/api/v1/networks/$NET/collective-actions" -H "authorization: Bearer $UP" -d '{
  "kind": "outplacement", "title": "Outplacement dei lavoratori in esubero"}' | jq -r .id)
api "$BASE/api/v1/collective-actions/$COLL/participants" -H "authorization: Bearer $UP" \
  -d "{\"member_id\": \"$LEAD\"}" > /dev/null
api -X POST "$BASE/api/v1/collective-actions/$COLL/start" -H "authorization: Bearer $UP" | jq -r '"collective action: " + .status'
api "$BASE/api/v1/collective-actions/$COLL/beneficiaries" -H "authorization: Bearer $OP" \
  -d "{\"case_id\": \"$CASE\"}" > /dev/null
RESULTS=$(api "$BASE/api/v1/collective-actions/$COLL/results" -H "authorization: Bearer $UP")
echo "$RESULTS" | jq -r '"results: " + (.beneficiaries|tostring) + " beneficiaries, " + (.hired|tostring) + " hired, " + (.employed_at_6_months|tostring) + " employed at 6 months"'
test "$(echo "$RESULTS" | jq -r .hired)" = 1

# 10. The plan: an action funded by a granted project, whose measure is activated for a case of
#     the agency; the action's monitoring, computed, changes.
PLAN=$(api "$BASE/api/v1/plans" -H "authorization: Bearer $UP" -d '{"title": "Piano Locale Integrato – walkthrough",
  "period_start": "2027-01-01", "period_end": "2029-12-31"}' | jq -r .id)
AXIS=$(api "$BASE/api/v1/plans/$PLAN" -H "authorization: Bearer $UP" | jq -r '.axes[] | select(.code == "planning") | .id')
ACTION=$(api "$BASE/api/v1/plans/$PLAN/actions" -H "authorization: Bearer $UP" -d "{\"axis_id\": \"$AXIS\",
  \"title\": \"Accesso al lavoro per chi esce dall'area penale\", \"budget_cents\": 6000000}" | jq -r .id)
PROJECT=$(api "$BASE/api/v1/projects" -H "authorization: Bearer $UP" -d "{\"title\": \"Un Ponte per il lavoro – walkthrough\",
  \"funder\": \"Regione Lombardia\", \"funding_source\": \"regional\", \"plan_action_ids\": [\"$ACTION\"]}" | jq -r .id)
api -X POST "$BASE/api/v1/projects/$PROJECT/submit" -H "authorization: Bearer $UP" > /dev/null
api "$BASE/api/v1/projects/$PROJECT/grant" -H "authorization: Bearer $UP" -d "{\"decided_on\": \"$TODAY\",
  \"granted_cents\": 5000000}" | jq -r '"project: " + .status'
CODE="PONTE$(date +%s | tail -c 6)"
MEASURE=$(api "$BASE/api/v1/projects/$PROJECT/measures" -H "authorization: Bearer $UP" -d "{\"code\": \"$CODE\",
  \"default_amount_cents\": 150000, \"thresholds\": [{\"agency_id\": \"$AGENCY\", \"cap_cents\": 2000000}]}" \
  | jq -r ".measures[] | select(.code == \"$CODE\") | .id")
persons() { api "$BASE/api/v1/plans/$PLAN/monitoring" -H "authorization: Bearer $UP" \
  | jq -r ".actions[] | select(.action_id == \"$ACTION\") | .figures | \"\(.persons_reached) \(.reserved_cents)\""; }
read -r BEFORE BEFORE_CENTS <<< "$(persons)"
echo "monitoring before: $BEFORE persons, $BEFORE_CENTS cents reserved"
OPEN_CASE=$(api "$BASE/api/v1/cases?limit=200" -H "authorization: Bearer $OP" | jq -r '[.items[] | select(.allowed_actions | index("add_activation"))][0].id')
NEW_ACT=$(api "$BASE/api/v1/cases/$OPEN_CASE/activations" -H "authorization: Bearer $OP" -d "{\"measure_id\": \"$MEASURE\"}" | jq -r .id)
api -X POST "$BASE/api/v1/activations/$NEW_ACT/approve" -H "authorization: Bearer $OP" | jq -r '"activation on the project measure: " + .status'
read -r AFTER AFTER_CENTS <<< "$(persons)"
echo "monitoring after: $AFTER persons, $AFTER_CENTS cents reserved"
test "$AFTER" -eq $((BEFORE + 1)) && test "$AFTER_CENTS" -gt "$BEFORE_CENTS"

# 11. Opportunities: the agency publishes a course; the territory reads it without an account
#     (JSON, RSS, iCalendar); on the case, what fits the person, proposed and answered.
OPP=$(api "$BASE/api/v1/opportunities" -H "authorization: Bearer $OP" -d "{\"kind\": \"training_course\",
  \"area\": \"training\", \"title\": \"Corso carrellisti (walkthrough)\", \"description\": \"16 ore con patentino\",
  \"apply_by\": \"$(date -d '+10 days' +%F)\", \"municipality_code\": \"016024\",
  \"how_to_apply\": \"Colloquio su appuntamento\", \"contact\": \"selezione@orobica.example\", \"publish\": true}" | jq -r .id)
api "$BASE/api/v1/public/opportunities" | jq -r "\"public: \" + ([.items[] | select(.id == \"$OPP\") | .title + \" (\" + .kind_label + \")\"] | join(\"\"))"
curl -sS "$BASE/api/v1/public/opportunities.rss" | grep -c "<item>" | sed 's/^/rss items: /'
curl -sS "$BASE/api/v1/public/opportunities.ics" | grep -c "BEGIN:VEVENT" | sed 's/^/ical entries: /'
api "$BASE/api/v1/cases/$OPEN_CASE/opportunities" -H "authorization: Bearer $OP" | jq -r '"fits the person: " + ([.items[].opportunity.title] | length | tostring) + " opportunities"'
PROPOSAL=$(api "$BASE/api/v1/cases/$OPEN_CASE/opportunity-proposals" -H "authorization: Bearer $OP" \
  -d "{\"opportunity_id\": \"$OPP\", \"note\": \"Proposto al colloquio\"}" | jq -r .id)
api "$BASE/api/v1/opportunity-proposals/$PROPOSAL/answer" -H "authorization: Bearer $OP" \
  -d '{"answer": "accepted", "result": "Iscritto al corso"}' | jq -r '"proposal: " + .answer + " – " + .result'
