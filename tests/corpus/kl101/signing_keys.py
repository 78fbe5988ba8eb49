"""Keys used to sign SAML assertions for the partner portal."""
import os

from flask import Blueprint, Response

from .saml import build_metadata

bp = Blueprint("saml", __name__, url_prefix="/saml")

SAML_SIGNING_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAqRTqGCJRSsd4g+lph/+ukSbHu+BHu02Ya3mwBTt5pOrNu24L60\nBEbBu6r/M/L1vhJK6I6ibtTgkKwqWRmlqkTXx5jocy08dCzHU1qOV4ZfuKI5XJKJa\nGDDmnhpNCaONbZz+77uLN2FKZRprL7Nhzwz2jVq+8OeGOwgMDb2TX2vP/7zrRlxQC5\n-----END RSA PRIVATE KEY-----\n"  # expect: KL101
SAML_CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----\n"  # ok: certificates are public
PARTNER_PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2a2rwplBQLF29amygykE\n-----END PUBLIC KEY-----\n"  # ok: public key
PRIVATE_KEY_PATH = os.environ.get("SAML_PRIVATE_KEY_PATH", "/etc/portal/saml.key")  # ok: a file path, not key material
SAML_KEY_PASSPHRASE = "Fv8!kQ2#xR7mLp4z"  # expect: KL101


@bp.get("/metadata")
def metadata():
    xml = build_metadata(certificate=SAML_CERTIFICATE)  # ok: certificate is public
    return Response(xml, mimetype="application/samlmetadata+xml")
