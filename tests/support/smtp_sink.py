#!/usr/bin/env python3
"""A real SMTP server for the tests (aiosmtpd): listens on 127.0.0.1 at a free
port, prints "READY <port>", then one JSON line per received message
({mail_from, rcpt_tos, to, subject, text, html}). With --reject it answers
every message with 550. Runs until stdin closes or it is killed."""
import argparse
import email
import email.policy
import json
import socket
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, reject):
        self.reject = reject

    async def handle_DATA(self, server, session, envelope):
        if self.reject:
            return "550 5.7.1 Rejected by the test sink"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "text": text.get_content() if text else "",
            "html": html.get_content() if html else "",
        }
        print(json.dumps(record), flush=True)
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reject", action="store_true")
    args = parser.parse_args()
    port = free_port()
    controller = Controller(Sink(args.reject), hostname="127.0.0.1", port=port)
    controller.start()  # returns once the server answers
    print(f"READY {port}", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
