"""Mail and file drops to partners."""
import ftplib
import smtplib
import ssl
import urllib.request
from email.message import EmailMessage

import requests
from flask import current_app


def _message(to, subject, body):
    msg = EmailMessage()
    msg["From"] = "orders@fulfilment.example"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def send_plain(to, subject, body):
    cfg = current_app.config
    server = smtplib.SMTP(cfg["SMTP_HOST"], 25)
    server.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])  # expect: KL303
    server.send_message(_message(to, subject, body))
    server.quit()


def send_submission_port(to, subject, body):
    cfg = current_app.config
    with smtplib.SMTP(cfg["SMTP_HOST"], 587) as server:
        server.ehlo()
        server.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])  # expect: KL303
        server.send_message(_message(to, subject, body))


def send_starttls(to, subject, body):
    cfg = current_app.config
    with smtplib.SMTP(cfg["SMTP_HOST"], 587) as server:
        server.starttls(context=ssl.create_default_context())
        server.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])  # ok: STARTTLS before login
        server.send_message(_message(to, subject, body))


def send_implicit_tls(to, subject, body):
    cfg = current_app.config
    with smtplib.SMTP_SSL(cfg["SMTP_HOST"], 465, context=ssl.create_default_context()) as server:
        server.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])  # ok: SMTP over TLS
        server.send_message(_message(to, subject, body))


def send_local_relay(to, subject, body):
    with smtplib.SMTP("localhost", 25) as server:
        server.login("relay", current_app.config["SMTP_PASSWORD"])  # ok: loopback relay
        server.send_message(_message(to, subject, body))


def send_open_relay(to, subject, body):
    with smtplib.SMTP("mx.partner.example", 25) as server:
        server.send_message(_message(to, subject, body))  # ok: no login, no credential sent


def drop_invoice_file(path):
    ftp = ftplib.FTP("ftp.partner.example")
    ftp.login("fulfilment", current_app.config["PARTNER_FTP_PASSWORD"])  # expect: KL303
    with open(path, "rb") as fh:
        ftp.storbinary("STOR invoices.csv", fh)
    ftp.quit()


def drop_invoice_file_tls(path):
    ftps = ftplib.FTP_TLS("ftp.partner.example")
    ftps.login("fulfilment", current_app.config["PARTNER_FTP_PASSWORD"])  # ok: FTP over TLS
    ftps.prot_p()
    with open(path, "rb") as fh:
        ftps.storbinary("STOR invoices.csv", fh)
    ftps.quit()


def notify_partner(event):
    token = current_app.config["PARTNER_HOOK_TOKEN"]
    return requests.post("http://hooks.partner.example/notify", json={"token": token, "event": event}, timeout=5)  # expect: KL303


def notify_partner_tls(event):
    token = current_app.config["PARTNER_HOOK_TOKEN"]
    return requests.post("https://hooks.partner.example/notify", json={"token": token, "event": event}, timeout=5)  # ok: https


def notify_partner_unsigned(event):
    return requests.post("http://hooks.partner.example/public-events", json={"event": event, "token_type": "none"}, timeout=5)  # ok: http, but the body holds no credential


def send_sms(number, text):
    auth_header = "Basic " + current_app.config["SMS_BASIC_AUTH"]
    data = f"to={number}&text={text}".encode()
    return urllib.request.urlopen(urllib.request.Request("http://sms.partner.example/send", data=data, headers={"Authorization": auth_header}), timeout=5).read()  # expect: KL303
