"""STARTTLS with Python's smtplib against rr-tcp's SMTP test worker; prints what it saw.

usage: smtp_starttls.py PORT CA_FILE
"""
import smtplib
import ssl
import sys

port, ca = int(sys.argv[1]), sys.argv[2]
context = ssl.create_default_context(cafile=ca)
with smtplib.SMTP("127.0.0.1", port, local_hostname="client.example", timeout=20) as smtp:
    smtp.ehlo()
    print("offers starttls", smtp.has_extn("starttls"))
    code, message = smtp.starttls(context=context)
    print("starttls", code, message.decode())
    smtp.ehlo()
    print("offers starttls after", smtp.has_extn("starttls"))
    print("tls version", smtp.sock.version())
    refused = smtp.sendmail("from@example.com", ["to@example.com"], "Subject: hi\r\n\r\nsent over TLS\r\n")
    print("refused", refused)
    code, message = smtp.docmd("XCTX")
    print("context", message.decode())
