"""Outbound notifications: Telegram, Slack, SMS, push and the news digest."""
import json
import os
import urllib.request
from urllib.parse import urlencode

import aiohttp
import requests
from flask import current_app

TELEGRAM_BOT_TOKEN = os.environ["TELEGRAM_BOT_TOKEN"]
SLACK_WEBHOOK_URL = os.environ["SLACK_WEBHOOK_URL"]
NEWS_API_KEY = os.getenv("NEWS_API_KEY")
SMS_BASE_URL = "https://sms.example.net/api/v1"


def _sms_token():
    return current_app.config["SMS_API_TOKEN"]


def telegram_send(chat_id, text):
    url = f"https://api.telegram.org/bot{TELEGRAM_BOT_TOKEN}/sendMessage"  # expect: KL205
    return requests.post(url, json={"chat_id": chat_id, "text": text}, timeout=10)


def telegram_webhook_info():
    return requests.get("https://api.telegram.org/bot{}/getWebhookInfo".format(TELEGRAM_BOT_TOKEN), timeout=10).json()  # expect: KL205


def slack_notify(text):
    return requests.post(SLACK_WEBHOOK_URL, json={"text": text}, timeout=10)  # ok: the webhook URL is used as-is, nothing is embedded in it


def sms_send(number, body):
    url = SMS_BASE_URL + "/messages?auth_token=" + _sms_token()  # expect: KL205
    return requests.post(url, data={"to": number, "body": body}, timeout=10)


def sms_send_v2(number, body):
    return requests.post(SMS_BASE_URL + "/messages", data={"to": number, "body": body}, headers={"Authorization": "Token " + _sms_token()}, timeout=10)  # ok: token in a header


def sms_status(message_id):
    return requests.get(f"{SMS_BASE_URL}/messages/{message_id}?fields=status,updated_at", headers={"Authorization": f"Token {_sms_token()}"}, timeout=10)  # ok: an id in the URL, the token in a header


def news_digest(topic):
    url = "https://newsapi.org/v2/everything?" + urlencode({"q": topic, "apiKey": NEWS_API_KEY})  # expect: KL205
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.load(resp)


def news_digest_v2(topic):
    req = urllib.request.Request("https://newsapi.org/v2/everything?" + urlencode({"q": topic, "pageSize": 20}), headers={"X-Api-Key": NEWS_API_KEY})  # ok: key in a header
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.load(resp)


async def push_to_devices(device_ids, message):
    push_api_key = current_app.config["PUSH_API_KEY"]
    async with aiohttp.ClientSession() as session:
        async with session.post("https://push.example.com/v3/notify", params={"api_key": push_api_key}, json={"devices": device_ids, "message": message}) as resp:  # expect: KL205
            return await resp.json()


async def push_status(batch_id):
    async with aiohttp.ClientSession(headers={"Authorization": f"key={current_app.config['PUSH_API_KEY']}"}) as session:  # ok: key in a header
        async with session.get("https://push.example.com/v3/batches", params={"batch": batch_id}) as resp:  # ok: a batch id
            return await resp.json()
