"""An SMTP server for api/tests/notifications.rs: aiosmtpd on 127.0.0.1:<port>. Each message is
parsed back with Python's own e-mail package (independent of the sender's encoder) and written
as <dir>/<n>.json — envelope recipients, To, Subject, plain-text body — renamed into place when
whole. Prints READY once listening."""
import email
import email.policy
import json
import os
import sys
import time

from aiosmtpd.controller import Controller

port, outdir = int(sys.argv[1]), sys.argv[2]


class Sink:
    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain",))
        parsed = {
            "rcpt": envelope.rcpt_tos,
            "to": str(msg["To"]),
            "from": str(msg["From"]),
            "subject": str(msg["Subject"]),
            "body": body.get_content() if body is not None else "",
        }
        name = os.path.join(outdir, f"{time.time_ns()}.json")
        with open(name + ".part", "w", encoding="utf-8") as f:
            json.dump(parsed, f)
        os.rename(name + ".part", name)
        return "250 OK"


controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
print("READY", flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    controller.stop()
