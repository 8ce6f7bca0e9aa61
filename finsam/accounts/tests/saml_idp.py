"""A SAML 2 identity provider for the tests: a fresh key and certificate, and signed responses
to finsam's authentication requests (python3-saml signs them)."""

import base64
import datetime
import uuid
import zlib
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

ENTITY_ID = "https://idp.kommun.test/saml"
SSO_URL = "https://idp.kommun.test/sso"
EMAIL_ATTRIBUTE = "urn:oid:0.9.2342.19200300.100.1.3"
GIVEN_NAME_ATTRIBUTE = "urn:oid:2.5.4.42"
SURNAME_ATTRIBUTE = "urn:oid:2.5.4.4"


def _key_and_certificate() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.kommun.test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()


class SamlIdentityProvider:
    def __init__(self):
        self.key, self.certificate = _key_and_certificate()

    def app_settings(self) -> dict:
        """The SocialApp settings that point finsam at this provider."""
        return {"idp": {"entity_id": ENTITY_ID, "sso_url": SSO_URL, "x509cert": self.certificate}}

    @staticmethod
    def request_id(redirect_url: str) -> str:
        """The ID of the AuthnRequest that finsam sent along in the redirect to the provider."""
        assert redirect_url.startswith(SSO_URL)
        encoded = parse_qs(urlsplit(redirect_url).query)["SAMLRequest"][0]
        xml = zlib.decompress(base64.b64decode(encoded), -15)
        return etree.fromstring(xml).get("ID")  # noqa: S320 (our own request)

    def response(
        self, *, in_response_to: str, acs_url: str, audience: str, email: str, authn_context: str
    ) -> str:
        """A signed, base64-encoded SAML response asserting `email` and `authn_context`."""
        now = datetime.datetime.now(datetime.UTC)

        def instant(delta=0):
            return (now + datetime.timedelta(minutes=delta)).strftime("%Y-%m-%dT%H:%M:%SZ")

        attributes = "\n".join(
            f'<saml:Attribute Name="{name}"><saml:AttributeValue>{value}</saml:AttributeValue>'
            "</saml:Attribute>"
            for name, value in (
                (EMAIL_ATTRIBUTE, email),
                (GIVEN_NAME_ATTRIBUTE, "Karin"),
                (SURNAME_ATTRIBUTE, "Ask"),
            )
        )
        xml = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
    xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{uuid.uuid4().hex}" Version="2.0"
    IssueInstant="{instant()}" Destination="{acs_url}" InResponseTo="{in_response_to}">
  <saml:Issuer>{ENTITY_ID}</saml:Issuer>
  <samlp:Status>
    <samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>
  </samlp:Status>
  <saml:Assertion ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{instant()}">
    <saml:Issuer>{ENTITY_ID}</saml:Issuer>
    <saml:Subject>
      <saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
        >kommun-{email}</saml:NameID>
      <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <saml:SubjectConfirmationData NotOnOrAfter="{instant(5)}" Recipient="{acs_url}"
            InResponseTo="{in_response_to}"/>
      </saml:SubjectConfirmation>
    </saml:Subject>
    <saml:Conditions NotBefore="{instant(-1)}" NotOnOrAfter="{instant(5)}">
      <saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction>
    </saml:Conditions>
    <saml:AuthnStatement AuthnInstant="{instant()}" SessionIndex="_{uuid.uuid4().hex}">
      <saml:AuthnContext><saml:AuthnContextClassRef>{authn_context}</saml:AuthnContextClassRef></saml:AuthnContext>
    </saml:AuthnStatement>
    <saml:AttributeStatement>
{attributes}
    </saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>"""
        signed = OneLogin_Saml2_Utils.add_sign(
            xml,
            self.key,
            self.certificate,
            sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
            digest_algorithm=OneLogin_Saml2_Constants.SHA256,
        )
        return base64.b64encode(signed).decode()
