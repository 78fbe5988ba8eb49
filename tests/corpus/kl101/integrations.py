"""Third-party API clients shared by the web app and the background workers."""
import os

import anthropic
import boto3
import openai
import requests
import sendgrid
from github import Github
from slack_sdk import WebClient

AWS_REGION = "eu-west-1"  # ok: region name
AWS_ACCESS_KEY_ID = "AKIAZ5IRZBHQ7CLVSML8"  # expect: KL101
AWS_SECRET_ACCESS_KEY = "80mM6WQpmbzAJUItAWFtEzyRcdTPDG29DsbEGRQE"  # expect: KL101

# The access key from the AWS documentation, used in our README snippet.
DOCS_EXAMPLE_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"  # ok: documented AWS placeholder

s3 = boto3.client("s3", region_name=AWS_REGION, aws_access_key_id=AWS_ACCESS_KEY_ID, aws_secret_access_key=AWS_SECRET_ACCESS_KEY)  # ok: names, no literal

github = Github("ghp_PE9Om0phbf74GuBeBtKLBKgqNhsRosVSqMKt")  # expect: KL101
GITLAB_TOKEN = "glpat-jY_GiazElROHvcqn1vGP"  # expect: KL101
slack = WebClient(token="xoxb-519350229042-7398924130539-QeDVbKZ1L201PzBobrZRmZyi")  # expect: KL101
SLACK_ALERTS_WEBHOOK = "https://hooks.slack.com/services/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"  # expect: KL101
mailer = sendgrid.SendGridAPIClient(api_key="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")  # expect: KL101
openai.api_key = "sk-proj-kJQorf13mh9oMcYHKx69yWMZNeARda0q8szBUKQ0ilcVzFx"  # expect: KL101
claude = anthropic.Anthropic(api_key="sk-ant-api03-VHWPvRMTtMHUAvgUouwPHgsl0SbMEvj6iy7F8IMSWhHmwPt0E-TaDcrwPlK8Nv3UiMrywILWbzhwMVCwtT5jG9CvggNjcAA")  # expect: KL101
GOOGLE_GEOCODING_KEY = "AIzaZkmkknRs0dhsibABtZLOZKYiVvYIpVEkPYl"  # expect: KL101
TWILIO_AUTH_TOKEN = "6f0e84bc7a9dcbe9a2231ab517b53f23"  # expect: KL101

# Placeholders left in for people setting up a local checkout.
HUGGINGFACE_TOKEN = "your-api-key-here"  # ok: placeholder
PAGERDUTY_TOKEN = "<token>"  # ok: placeholder
DATADOG_API_KEY = "${DATADOG_API_KEY}"  # ok: template placeholder
LEGACY_STRIPE_KEY = "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"  # ok: placeholder
SEGMENT_WRITE_KEY = os.getenv("SEGMENT_WRITE_KEY")  # ok: env read without a default
OPENAI_MODEL = "gpt-4o-mini"  # ok: model name
max_tokens = 4096  # ok: not a credential


class MailgunClient:
    """Tiny wrapper around the Mailgun HTTP API."""

    def __init__(self, domain):
        self.domain = domain
        self.base_url = f"https://api.mailgun.net/v3/{domain}"  # ok: f-string, no secret
        self.api_key = "key-efc8d14d180e7399d6950057631ab01b"  # expect: KL101

    def send(self, to, subject, text):
        return requests.post(f"{self.base_url}/messages", auth=("api", self.api_key), data={"from": f"noreply@{self.domain}", "to": to, "subject": subject, "text": text}, timeout=10)  # ok: no literal credential
