/**
 * The catalogue of synchronous third-party libraries (issue 13): every entry has a source and an
 * async alternative, and a positive and a negative example here, run through the whole analysis.
 * In a positive example the lines marked `# !` (Python) or `// !` (JS) are exactly the findings;
 * a negative example (the async alternative, an offloaded call, a cheap call) has none.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOGUE } from '../../src/analysis/blocking/catalogue.ts';
import { analyze } from './helpers.ts';

interface Example {
  pos: string;
  neg: string;
}

const PY: Record<string, Example> = {
  requests: {
    pos: 'import requests\nasync def f(u):\n    s = requests.Session()\n    requests.get(u)  # !\n    s.post(u)  # !\n',
    neg: 'import asyncio, requests\nasync def f(u):\n    await asyncio.to_thread(requests.get, u)\n',
  },
  httpx: {
    pos: 'import httpx\nasync def f(u):\n    httpx.get(u)  # !\n    with httpx.Client() as c:\n        c.get(u)  # !\n',
    neg: 'import httpx\nasync def f(u):\n    async with httpx.AsyncClient() as c:\n        await c.get(u)\n',
  },
  urllib3: {
    pos: 'import urllib3\nasync def f(u):\n    pool = urllib3.PoolManager()\n    pool.request("GET", u)  # !\n',
    neg: 'import urllib3\nasync def f(u):\n    return urllib3.util.parse_url(u)\n',
  },
  httplib2: {
    pos: 'import httplib2\nasync def f(u):\n    h = httplib2.Http()\n    h.request(u)  # !\n',
    neg: 'import httplib2\nasync def f():\n    return httplib2.Http()\n',
  },
  pycurl: {
    pos: 'import pycurl\nasync def f(u):\n    c = pycurl.Curl()\n    c.setopt(pycurl.URL, u)\n    c.perform()  # !\n',
    neg: 'import pycurl\nasync def f(u):\n    c = pycurl.Curl()\n    c.setopt(pycurl.URL, u)\n',
  },
  'websocket-client': {
    pos: 'import websocket\nasync def f(u):\n    ws = websocket.create_connection(u)  # !\n    ws.recv()  # !\n',
    neg: 'import websockets\nasync def f(u):\n    async with websockets.connect(u) as ws:\n        await ws.recv()\n',
  },
  openai: {
    pos: 'from openai import OpenAI\nclient = OpenAI()\nasync def f(m):\n    return client.chat.completions.create(model="x", messages=m)  # !\n',
    neg: 'from openai import AsyncOpenAI\nclient = AsyncOpenAI()\nasync def f(m):\n    return await client.chat.completions.create(model="x", messages=m)\n',
  },
  anthropic: {
    pos: 'import anthropic\nasync def f(m):\n    c = anthropic.Anthropic()\n    return c.messages.create(model="x", messages=m, max_tokens=9)  # !\n',
    neg: 'import anthropic\nasync def f(m):\n    c = anthropic.AsyncAnthropic()\n    return await c.messages.create(model="x", messages=m, max_tokens=9)\n',
  },
  slack_sdk: {
    pos: 'from slack_sdk import WebClient\nasync def f(t):\n    c = WebClient(token=t)\n    c.chat_postMessage(channel="#a", text="hi")  # !\n',
    neg: 'from slack_sdk.web.async_client import AsyncWebClient\nasync def f(t):\n    c = AsyncWebClient(token=t)\n    await c.chat_postMessage(channel="#a", text="hi")\n',
  },
  stripe: {
    pos: 'import stripe\nasync def f(e):\n    return stripe.Customer.create(email=e)  # !\n',
    neg: 'import stripe\nasync def f(e):\n    return await stripe.Customer.create_async(email=e)\n',
  },
  kubernetes: {
    pos: 'from kubernetes import client\nasync def f(ns):\n    v1 = client.CoreV1Api()\n    return v1.list_namespaced_pod(ns)  # !\n',
    neg: 'from kubernetes_asyncio import client\nasync def f(ns):\n    v1 = client.CoreV1Api()\n    return await v1.list_namespaced_pod(ns)\n',
  },
  pytube: {
    pos: 'import pytube\nasync def f(u):\n    html = pytube.request.get(u)  # !\n    return pytube.extract.js_url(html)\n',
    neg: 'import asyncio, pytube\nasync def f(u):\n    return await asyncio.to_thread(pytube.request.get, u)\n',
  },
  ytmusicapi: {
    pos: 'from ytmusicapi import YTMusic\nasync def f(q):\n    ytm = YTMusic()\n    return ytm.search(q)  # !\n',
    neg: 'import asyncio\nfrom ytmusicapi import YTMusic\nasync def f(q):\n    ytm = YTMusic()\n    return await asyncio.to_thread(ytm.search, q)\n',
  },
  boto3: {
    pos: 'import boto3\nasync def f(b, k):\n    s3 = boto3.client("s3")\n    s3.get_object(Bucket=b, Key=k)  # !\n',
    neg: 'import boto3\nasync def f():\n    s3 = boto3.client("s3")\n    return s3.get_paginator("list_objects_v2")\n',
  },
  'google-cloud-storage': {
    pos: 'from google.cloud import storage\nasync def f(b, k, p):\n    blob = storage.Client().bucket(b).blob(k)\n    blob.upload_from_filename(p)  # !\n',
    neg: 'from google.cloud import storage\nasync def f(b, k):\n    return storage.Client().bucket(b).blob(k).name\n',
  },
  'azure-storage-blob': {
    pos: 'from azure.storage.blob import BlobServiceClient\nasync def f(cs, data):\n    svc = BlobServiceClient.from_connection_string(cs)\n    blob = svc.get_blob_client("c", "b")\n    blob.upload_blob(data)  # !\n',
    neg: 'from azure.storage.blob.aio import BlobServiceClient\nasync def f(cs, data):\n    svc = BlobServiceClient.from_connection_string(cs)\n    blob = svc.get_blob_client("c", "b")\n    await blob.upload_blob(data)\n',
  },
  minio: {
    pos: 'from minio import Minio\nasync def f(p):\n    m = Minio("s3.local")\n    m.fput_object("b", "k", p)  # !\n',
    neg: 'import asyncio\nfrom minio import Minio\nasync def f(p):\n    m = Minio("s3.local")\n    await asyncio.to_thread(m.fput_object, "b", "k", p)\n',
  },
  psycopg2: {
    pos: 'import psycopg2\nasync def f(dsn):\n    conn = psycopg2.connect(dsn)  # !\n    cur = conn.cursor()\n    cur.execute("select 1")  # !\n',
    neg: 'import asyncpg\nasync def f(dsn):\n    conn = await asyncpg.connect(dsn)\n    await conn.execute("select 1")\n',
  },
  psycopg: {
    pos: 'import psycopg\nasync def f(dsn):\n    conn = psycopg.connect(dsn)  # !\n    conn.execute("select 1")  # !\n',
    neg: 'import psycopg\nasync def f(dsn):\n    conn = await psycopg.AsyncConnection.connect(dsn)\n    await conn.execute("select 1")\n',
  },
  PyMySQL: {
    pos: 'import pymysql\nasync def f():\n    conn = pymysql.connect(host="db")  # !\n    cur = conn.cursor()\n    cur.fetchall()  # !\n',
    neg: 'import aiomysql\nasync def f():\n    conn = await aiomysql.connect(host="db")\n    cur = await conn.cursor()\n    await cur.fetchall()\n',
  },
  mysqlclient: {
    pos: 'import MySQLdb\nasync def f():\n    conn = MySQLdb.connect(host="db")  # !\n    conn.commit()  # !\n',
    neg: 'import MySQLdb\nasync def f():\n    return MySQLdb.escape_string("x")\n',
  },
  'mysql-connector-python': {
    pos: 'import mysql.connector\nasync def f():\n    return mysql.connector.connect(host="db")  # !\n',
    neg: 'import mysql.connector.aio\nasync def f():\n    return await mysql.connector.aio.connect(host="db")\n',
  },
  pyodbc: {
    pos: 'import pyodbc\nasync def f(cs):\n    conn = pyodbc.connect(cs)  # !\n    cur = conn.cursor()\n    cur.execute("select 1")  # !\n',
    neg: 'import aioodbc\nasync def f(cs):\n    conn = await aioodbc.connect(dsn=cs)\n    cur = await conn.cursor()\n    await cur.execute("select 1")\n',
  },
  oracledb: {
    pos: 'import oracledb\nasync def f():\n    conn = oracledb.connect(user="u")  # !\n    cur = conn.cursor()\n    cur.execute("select 1 from dual")  # !\n',
    neg: 'import oracledb\nasync def f():\n    conn = await oracledb.connect_async(user="u")\n    cur = conn.cursor()\n    await cur.execute("select 1 from dual")\n',
  },
  SQLAlchemy: {
    pos: 'from sqlalchemy import create_engine, text\nengine = create_engine("sqlite://")\nasync def f():\n    with engine.connect() as conn:  # !\n        conn.execute(text("select 1"))  # !\n',
    neg: 'from sqlalchemy import text\nfrom sqlalchemy.ext.asyncio import create_async_engine\nengine = create_async_engine("sqlite+aiosqlite://")\nasync def f():\n    async with engine.connect() as conn:\n        await conn.execute(text("select 1"))\n',
  },
  redis: {
    pos: 'import redis\nr = redis.Redis()\nasync def f(k):\n    return r.get(k)  # !\n',
    neg: 'import redis\nr = redis.Redis()\nasync def f():\n    return r.pipeline()\n',
  },
  pymongo: {
    pos: 'from pymongo import MongoClient\nclient = MongoClient()\nasync def f(q):\n    return client.app.users.find_one(q)  # !\n',
    neg: 'from motor.motor_asyncio import AsyncIOMotorClient\nclient = AsyncIOMotorClient()\nasync def f(q):\n    return await client.app.users.find_one(q)\n',
  },
  elasticsearch: {
    pos: 'from elasticsearch import Elasticsearch\nes = Elasticsearch("http://es")\nasync def f(q):\n    return es.search(index="i", query=q)  # !\n',
    neg: 'from elasticsearch import AsyncElasticsearch\nes = AsyncElasticsearch("http://es")\nasync def f(q):\n    return await es.search(index="i", query=q)\n',
  },
  'cassandra-driver': {
    pos: 'from cassandra.cluster import Cluster\nasync def f():\n    session = Cluster(["db"]).connect()  # !\n    session.execute("select 1")  # !\n',
    neg: 'from cassandra.cluster import Cluster\nasync def f(session):\n    return session.execute_async("select 1")\n',
  },
  'clickhouse-driver': {
    pos: 'from clickhouse_driver import Client\nasync def f():\n    c = Client("ch")\n    return c.execute("select 1")  # !\n',
    neg: 'from asynch import connect\nasync def f():\n    conn = await connect(host="ch")\n    return conn\n',
  },
  'kafka-python': {
    pos: 'from kafka import KafkaProducer\nasync def f(b):\n    p = KafkaProducer(bootstrap_servers="k")\n    p.send("t", b)  # !\n    p.flush()  # !\n',
    neg: 'from aiokafka import AIOKafkaProducer\nasync def f(b):\n    p = AIOKafkaProducer(bootstrap_servers="k")\n    await p.send_and_wait("t", b)\n',
  },
  'confluent-kafka': {
    pos: 'from confluent_kafka import Consumer\nasync def f():\n    c = Consumer({"group.id": "g"})\n    return c.poll(1.0)  # !\n',
    neg: 'import asyncio\nfrom confluent_kafka import Consumer\nasync def f():\n    c = Consumer({"group.id": "g"})\n    return await asyncio.to_thread(c.poll, 1.0)\n',
  },
  pika: {
    pos: 'import pika\nasync def f(b):\n    conn = pika.BlockingConnection(pika.ConnectionParameters("mq"))  # !\n    conn.channel().basic_publish(exchange="", routing_key="q", body=b)  # !\n',
    neg: 'import aio_pika\nasync def f(b):\n    conn = await aio_pika.connect("amqp://mq")\n    ch = await conn.channel()\n    await ch.default_exchange.publish(aio_pika.Message(b), routing_key="q")\n',
  },
  yagmail: {
    pos: 'import yagmail\nasync def f(to):\n    y = yagmail.SMTP("me")  # !\n    y.send(to, "s", "b")  # !\n',
    neg: 'import aiosmtplib\nasync def f(msg):\n    await aiosmtplib.send(msg, hostname="mail")\n',
  },
  ldap3: {
    pos: 'from ldap3 import Connection, Server\nasync def f(dn):\n    c = Connection(Server("ldap"))\n    c.bind()  # !\n    c.search(dn, "(uid=*)")  # !\n',
    neg: 'from ldap3 import Server\nasync def f():\n    return Server("ldap")\n',
  },
  GitPython: {
    pos: 'import git\nasync def f(p):\n    repo = git.Repo(p)\n    repo.remotes.origin.fetch()  # !\n    repo.git.status()  # !\n',
    neg: 'import asyncio, git\nasync def f(p):\n    repo = git.Repo(p)\n    await asyncio.to_thread(repo.remotes.origin.fetch)\n    repo.close()\n',
  },
  pygit2: {
    pos: 'import pygit2\nasync def f(u, p):\n    repo = pygit2.clone_repository(u, p)  # !\n    repo.status()  # !\n',
    neg: 'import asyncio, pygit2\nasync def f(u, p):\n    return await asyncio.to_thread(pygit2.clone_repository, u, p)\n',
  },
  paramiko: {
    pos: 'import paramiko\nasync def f(h):\n    c = paramiko.SSHClient()\n    c.connect(h)  # !\n    c.exec_command("ls")  # !\n',
    neg: 'import asyncssh\nasync def f(h):\n    async with asyncssh.connect(h) as c:\n        await c.run("ls")\n',
  },
  pysftp: {
    pos: 'import pysftp\nasync def f(h, p):\n    sftp = pysftp.Connection(h)  # !\n    sftp.put(p)  # !\n',
    neg: 'import asyncio, pysftp\nasync def f(h):\n    return await asyncio.to_thread(pysftp.Connection, h)\n',
  },
  fabric: {
    pos: 'from fabric import Connection\nasync def f(h):\n    c = Connection(h)\n    c.run("uptime")  # !\n',
    neg: 'from fabric import Connection\nasync def f(h):\n    return Connection(h).host\n',
  },
  docker: {
    pos: 'import docker\nfrom docker.client import DockerClient\nasync def f(n):\n    c = docker.from_env()  # !\n    c.containers.get(n).restart()  # !\n    return DockerClient(base_url="unix://x", version="auto")  # !\n',
    neg: 'import aiodocker\nasync def f(n):\n    d = aiodocker.Docker()\n    c = await d.containers.get(n)\n    await c.restart()\n',
  },
  'py-opensonic': {
    pos: 'from libopensonic.connection import Connection\nclass P:\n    def __init__(self, url):\n        self._conn: Connection | None = Connection(url, "u", "p")\n    async def check(self):\n        return self._conn.ping()  # !\n',
    neg: 'import asyncio\nfrom libopensonic.connection import Connection\nclass P:\n    def __init__(self, url):\n        self._conn = Connection(url, "u", "p")\n    async def check(self):\n        return await asyncio.to_thread(self._conn.ping)\n',
  },
  debugpy: {
    pos: 'import debugpy\nasync def f():\n    debugpy.listen(("0.0.0.0", 5678))  # !\n    debugpy.wait_for_client()  # !\n',
    neg: 'import debugpy\nasync def f():\n    return debugpy.is_client_connected()\n',
  },
  securetar: {
    pos: 'from securetar import SecureTarFile, atomic_contents_add\nasync def f(p, d):\n    with SecureTarFile(p, "w") as tar:  # !\n        atomic_contents_add(tar, d, [], ".")  # !\n    return SecureTarFile(p, "r").path.exists()  # !\n',
    neg: 'from securetar import SecureTarFile\nasync def f(p):\n    tar = SecureTarFile(p, "w")\n    return tar.path.name\n',
  },
  pulsectl: {
    pos: 'from pulsectl import Pulse\nasync def f(n):\n    with Pulse("x") as pulse:  # !\n        return pulse.get_source_by_name(n)  # !\n',
    neg: 'import pulsectl_asyncio\nasync def f(n):\n    async with pulsectl_asyncio.PulseAsync("x") as pulse:\n        return await pulse.get_source_by_name(n)\n',
  },
  nbconvert: {
    pos: 'from nbconvert.exporters import base\nasync def f(name, exporter, nb):\n    base.get_export_names()  # !\n    return exporter.from_notebook_node(nb)  # !\n',
    neg: 'import asyncio\nfrom nbconvert.exporters import base\nasync def f(exporter, nb):\n    return await asyncio.to_thread(exporter.from_notebook_node, nb)\n',
  },
  pexpect: {
    pos: 'import pexpect\nasync def f():\n    child = pexpect.spawn("ssh h")  # !\n    child.expect("password:")  # !\n',
    neg: 'import pexpect\nasync def f():\n    child = await asyncio.to_thread(pexpect.spawn, "ssh h")\n    await child.expect("password:", async_=True)\n',
  },
  pypandoc: {
    pos: 'import pypandoc\nasync def f(t):\n    return pypandoc.convert_text(t, "html", format="md")  # !\n',
    neg: 'import asyncio, pypandoc\nasync def f(t):\n    return await asyncio.to_thread(pypandoc.convert_text, t, "html", format="md")\n',
  },
  pdfkit: {
    pos: 'import pdfkit\nasync def f(h):\n    return pdfkit.from_string(h, False)  # !\n',
    neg: 'import asyncio, pdfkit\nasync def f(h):\n    return await asyncio.to_thread(pdfkit.from_string, h, False)\n',
  },
  'ffmpeg-python': {
    pos: 'import ffmpeg\nasync def f(a, b):\n    ffmpeg.input(a).output(b).run()  # !\n    return ffmpeg.probe(b)  # !\n',
    neg: 'import ffmpeg\nasync def f(a, b):\n    return ffmpeg.input(a).output(b).compile()\n',
  },
  pydub: {
    pos: 'from pydub import AudioSegment\nasync def f(p, o):\n    s = AudioSegment.from_file(p)  # !\n    s.export(o, format="mp3")  # !\n',
    neg: 'import asyncio\nfrom pydub import AudioSegment\nasync def f(p):\n    return await asyncio.to_thread(AudioSegment.from_file, p)\n',
  },
  Pillow: {
    pos: 'from PIL import Image\nasync def f(p):\n    img = Image.open(p)  # !\n    img.thumbnail((64, 64))  # !\n',
    neg: 'import asyncio\nfrom PIL import Image\nasync def f(p):\n    return await asyncio.to_thread(Image.open, p)\n',
  },
  'opencv-python': {
    pos: 'import cv2\nasync def f(p):\n    return cv2.imread(p)  # !\n',
    neg: 'import cv2\nasync def f(img):\n    return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)\n',
  },
  imageio: {
    pos: 'import imageio.v3 as iio\nasync def f(p):\n    return iio.imread(p)  # !\n',
    neg: 'import asyncio\nimport imageio.v3 as iio\nasync def f(p):\n    return await asyncio.to_thread(iio.imread, p)\n',
  },
  soundfile: {
    pos: 'import soundfile as sf\nasync def f(p):\n    return sf.read(p)  # !\n',
    neg: 'import asyncio\nimport soundfile as sf\nasync def f(p):\n    return await asyncio.to_thread(sf.read, p)\n',
  },
  'python-docx': {
    pos: 'from docx import Document\nasync def f(p, o):\n    d = Document(p)  # !\n    d.save(o)  # !\n',
    neg: 'import asyncio\nfrom docx import Document\nasync def f(p):\n    return await asyncio.to_thread(Document, p)\n',
  },
  'python-pptx': {
    pos: 'from pptx import Presentation\nasync def f(p, o):\n    d = Presentation(p)  # !\n    d.save(o)  # !\n',
    neg: 'import asyncio\nfrom pptx import Presentation\nasync def f(p):\n    return await asyncio.to_thread(Presentation, p)\n',
  },
  openpyxl: {
    pos: 'from openpyxl import load_workbook\nasync def f(p):\n    wb = load_workbook(p)  # !\n    wb.save(p)  # !\n',
    neg: 'import asyncio\nfrom openpyxl import load_workbook\nasync def f(p):\n    return await asyncio.to_thread(load_workbook, p)\n',
  },
  pypdf: {
    pos: 'from pypdf import PdfReader\nasync def f(p):\n    return PdfReader(p)  # !\n',
    neg: 'import asyncio\nfrom pypdf import PdfReader\nasync def f(p):\n    return await asyncio.to_thread(PdfReader, p)\n',
  },
  PyMuPDF: {
    pos: 'import fitz\nasync def f(p):\n    return fitz.open(p)  # !\n',
    neg: 'import asyncio, fitz\nasync def f(p):\n    return await asyncio.to_thread(fitz.open, p)\n',
  },
  pdfplumber: {
    pos: 'import pdfplumber\nasync def f(p):\n    with pdfplumber.open(p) as pdf:  # !\n        return len(pdf.pages)\n',
    neg: 'import asyncio, pdfplumber\nasync def f(p):\n    return await asyncio.to_thread(pdfplumber.open, p)\n',
  },
  weasyprint: {
    pos: 'from weasyprint import HTML\nasync def f(h):\n    return HTML(string=h).write_pdf()  # !\n',
    neg: 'import asyncio\nfrom weasyprint import HTML\nasync def f(h):\n    return await asyncio.to_thread(HTML(string=h).write_pdf)\n',
  },
  reportlab: {
    pos: 'from reportlab.pdfgen import canvas\nasync def f(p):\n    c = canvas.Canvas(p)\n    c.drawString(10, 10, "x")\n    c.save()  # !\n',
    neg: 'from reportlab.pdfgen import canvas\nasync def f(p):\n    c = canvas.Canvas(p)\n    c.drawString(10, 10, "x")\n',
  },
  pandas: {
    pos: 'import pandas as pd\nasync def f(p):\n    return pd.read_csv(p)  # !\n',
    neg: 'import pandas as pd\nasync def f(rows):\n    return pd.DataFrame(rows)\n',
  },
  bcrypt: {
    pos: 'import bcrypt\nasync def f(pw):\n    return bcrypt.hashpw(pw, bcrypt.gensalt())  # !\n',
    neg: 'import asyncio, bcrypt\nasync def f(pw):\n    return await asyncio.to_thread(bcrypt.hashpw, pw, bcrypt.gensalt())\n',
  },
  'argon2-cffi': {
    pos: 'from argon2 import PasswordHasher\nph = PasswordHasher()\nasync def f(pw):\n    return ph.hash(pw)  # !\n',
    neg: 'import asyncio\nfrom argon2 import PasswordHasher\nph = PasswordHasher()\nasync def f(pw):\n    return await asyncio.to_thread(ph.hash, pw)\n',
  },
};

const JS: Record<string, Example> = {
  'fs-extra': {
    pos: "import fse from 'fs-extra';\nexport async function f(p: string) {\n  fse.ensureDirSync(p); // !\n  return fse.readJsonSync(p); // !\n}\n",
    neg: "import fse from 'fs-extra';\nexport async function f(p: string) {\n  await fse.ensureDir(p);\n  return fse.readJson(p);\n}\n",
  },
  'fs-promise': {
    pos: "const fs = require('fs-promise');\nasync function f(p) {\n  return fs.existsSync(p) && fs.readFileSync(p); // !\n}\n",
    neg: "const fs = require('fs-promise');\nasync function f(p) {\n  return (await fs.exists(p)) && fs.readFile(p);\n}\n",
  },
  mz: {
    pos: "const fs = require('mz/fs');\nconst cp = require('mz/child_process');\nasync function f(p) {\n  cp.execSync('sync'); // !\n  return fs.readFileSync(p); // !\n}\n",
    neg: "const fs = require('mz/fs');\nasync function f(p) {\n  return fs.readFile(p);\n}\n",
  },
  'graceful-fs': {
    pos: "const fs = require('graceful-fs');\nasync function f(p) {\n  return fs.readFileSync(p); // !\n}\n",
    neg: "const fs = require('graceful-fs');\nasync function f(p) {\n  return fs.promises.readFile(p);\n}\n",
  },
  'original-fs': {
    pos: "const fs = require('original-fs');\nasync function f(p) {\n  fs.writeFileSync(p, ''); // !\n}\n",
    neg: "const fs = require('original-fs');\nasync function f(p) {\n  await fs.promises.writeFile(p, '');\n}\n",
  },
  'path-type': {
    pos: "import { isDirectorySync } from 'path-type';\nexport async function f(p: string) {\n  return isDirectorySync(p); // !\n}\n",
    neg: "import { isDirectory } from 'path-type';\nexport async function f(p: string) {\n  return await isDirectory(p);\n}\n",
  },
  execa: {
    pos: "import { execaSync } from 'execa';\nexport async function f() {\n  return execaSync('git', ['status']); // !\n}\n",
    neg: "import { execa } from 'execa';\nexport async function f() {\n  return await execa('git', ['status']);\n}\n",
  },
  'cross-spawn': {
    pos: "const spawn = require('cross-spawn');\nasync function f() {\n  return spawn.sync('npm', ['ls']); // !\n}\n",
    neg: "const spawn = require('cross-spawn');\nasync function f() {\n  return spawn('npm', ['ls']);\n}\n",
  },
  shelljs: {
    pos: "import shell from 'shelljs';\nexport async function f() {\n  shell.exec('make'); // !\n  shell.cp('-R', 'a', 'b'); // !\n}\n",
    neg: "import shell from 'shelljs';\nexport async function f() {\n  shell.exec('make', { async: true });\n  shell.exec('make', (code) => code);\n}\n",
  },
  glob: {
    pos: "import { globSync } from 'glob';\nexport async function f() {\n  return globSync('**/*.ts'); // !\n}\n",
    neg: "import { glob } from 'glob';\nexport async function f() {\n  return await glob('**/*.ts');\n}\n",
  },
  'fast-glob': {
    pos: "import fg from 'fast-glob';\nexport async function f() {\n  return fg.sync('**/*.ts'); // !\n}\n",
    neg: "import fg from 'fast-glob';\nexport async function f() {\n  return await fg('**/*.ts');\n}\n",
  },
  globby: {
    pos: "import { globbySync } from 'globby';\nexport async function f() {\n  return globbySync('*.md'); // !\n}\n",
    neg: "import { globby } from 'globby';\nexport async function f() {\n  return await globby('*.md');\n}\n",
  },
  rimraf: {
    pos: "import { rimrafSync } from 'rimraf';\nexport async function f(p: string) {\n  rimrafSync(p); // !\n}\n",
    neg: "import { rimraf } from 'rimraf';\nexport async function f(p: string) {\n  await rimraf(p);\n}\n",
  },
  mkdirp: {
    pos: "const mkdirp = require('mkdirp');\nasync function f(p) {\n  mkdirp.sync(p); // !\n}\n",
    neg: "const mkdirp = require('mkdirp');\nasync function f(p) {\n  await mkdirp(p);\n}\n",
  },
  'write-file-atomic': {
    pos: "const writeFileAtomic = require('write-file-atomic');\nasync function f(p, d) {\n  writeFileAtomic.sync(p, d); // !\n}\n",
    neg: "const writeFileAtomic = require('write-file-atomic');\nasync function f(p, d) {\n  await writeFileAtomic(p, d);\n}\n",
  },
  tmp: {
    pos: "import tmp from 'tmp';\nexport async function f() {\n  return tmp.dirSync(); // !\n}\n",
    neg: "import tmp from 'tmp';\nexport async function f() {\n  tmp.dir((err, path) => path);\n}\n",
  },
  'proper-lockfile': {
    pos: "import lockfile from 'proper-lockfile';\nexport async function f(p: string) {\n  lockfile.lockSync(p); // !\n}\n",
    neg: "import lockfile from 'proper-lockfile';\nexport async function f(p: string) {\n  await lockfile.lock(p);\n}\n",
  },
  'adm-zip': {
    pos: "import AdmZip from 'adm-zip';\nexport async function f(p: string, out: string) {\n  const zip = new AdmZip(p); // !\n  zip.extractAllTo(out, true); // !\n}\n",
    neg: "import AdmZip from 'adm-zip';\nexport async function f(zip: AdmZip, out: string) {\n  await zip.extractAllToAsync(out, true);\n}\n",
  },
  xlsx: {
    pos: "import * as XLSX from 'xlsx';\nexport async function f(p: string) {\n  return XLSX.readFile(p); // !\n}\n",
    neg: "import * as XLSX from 'xlsx';\nimport { readFile } from 'node:fs/promises';\nexport async function f(p: string) {\n  return XLSX.utils.sheet_to_json((await readFile(p)) as never);\n}\n",
  },
  'better-sqlite3': {
    pos: "import Database from 'better-sqlite3';\nexport async function f() {\n  const db = new Database('a.db'); // !\n  return db.prepare('select 1').get(); // !\n}\n",
    neg: "import Database from 'better-sqlite3';\nexport function f() {\n  const db = new Database('a.db');\n  return db.prepare('select 1').get();\n}\n",
  },
  lowdb: {
    pos: "import { LowSync } from 'lowdb';\nimport { JSONFileSync } from 'lowdb/node';\nexport async function f() {\n  const db = new LowSync(new JSONFileSync('db.json'), {});\n  db.read(); // !\n  db.write(); // !\n}\n",
    neg: "import { Low } from 'lowdb';\nimport { JSONFile } from 'lowdb/node';\nexport async function f() {\n  const db = new Low(new JSONFile('db.json'), {});\n  await db.read();\n  await db.write();\n}\n",
  },
  'sync-request': {
    pos: "const request = require('sync-request');\nasync function f(u) {\n  return request('GET', u); // !\n}\n",
    neg: 'async function f(u) {\n  return await fetch(u);\n}\n',
  },
  'sync-fetch': {
    pos: "import fetchSync from 'sync-fetch';\nexport async function f(u: string) {\n  return fetchSync(u); // !\n}\n",
    neg: 'export async function f(u: string) {\n  return await fetch(u);\n}\n',
  },
  'readline-sync': {
    pos: "import readlineSync from 'readline-sync';\nexport async function f() {\n  return readlineSync.question('name? '); // !\n}\n",
    neg: "import * as readline from 'node:readline/promises';\nexport async function f(rl: readline.Interface) {\n  return await rl.question('name? ');\n}\n",
  },
  deasync: {
    pos: "const deasync = require('deasync');\nasync function f() {\n  deasync.sleep(100); // !\n}\n",
    neg: "async function f() {\n  await new Promise((r) => setTimeout(r, 100));\n}\n",
  },
  bcrypt: {
    pos: "import bcrypt from 'bcrypt';\nexport async function f(pw: string) {\n  return bcrypt.hashSync(pw, 10); // !\n}\n",
    neg: "import bcrypt from 'bcrypt';\nexport async function f(pw: string) {\n  return await bcrypt.hash(pw, 10);\n}\n",
  },
  bcryptjs: {
    pos: "import bcrypt from 'bcryptjs';\nexport async function f(pw: string, h: string) {\n  return bcrypt.compareSync(pw, h); // !\n}\n",
    neg: "import bcrypt from 'bcryptjs';\nexport async function f(pw: string, h: string) {\n  return await bcrypt.compare(pw, h);\n}\n",
  },
  jsonwebtoken: {
    pos: "import jwt from 'jsonwebtoken';\nexport async function f(p: object, key: string) {\n  return jwt.sign(p, key, { algorithm: 'RS256' }); // !\n}\n",
    neg: "import jwt from 'jsonwebtoken';\nexport async function f(p: object, key: string) {\n  jwt.sign(p, key, { algorithm: 'RS256' }, (err, tok) => tok);\n}\n",
  },
  pngjs: {
    pos: "import { PNG } from 'pngjs';\nexport async function f(buf: Buffer) {\n  return PNG.sync.read(buf); // !\n}\n",
    neg: "import { PNG } from 'pngjs';\nexport async function f(buf: Buffer) {\n  new PNG().parse(buf, (err, png) => png);\n}\n",
  },
};

/** Lines carrying the marker (1-based). */
function marked(src: string, marker: string): number[] {
  return src.split('\n').flatMap((l, i) => (l.trimEnd().endsWith(marker) ? [i + 1] : []));
}

describe('catalogue of synchronous libraries', () => {
  it('has at least 40 libraries across PyPI and npm, each with a category, an alternative, a source and both examples', () => {
    assert.ok(CATALOGUE.length >= 40, `${CATALOGUE.length} entries`);
    assert.ok(CATALOGUE.filter((e) => e.registry === 'npm').length >= 15);
    const cats = new Set(CATALOGUE.map((e) => e.category));
    for (const c of ['network', 'database', 'subprocess', 'file_io', 'cpu']) assert.ok(cats.has(c as never), c);
    const keys = new Set<string>();
    for (const e of CATALOGUE) {
      const key = `${e.registry}:${e.library}`;
      assert.ok(!keys.has(key), `duplicate ${key}`);
      keys.add(key);
      assert.match(e.source, /https?:\/\//, `${key}: a source URL`);
      assert.ok(e.alternative.length > 10, `${key}: an alternative`);
      assert.ok(e.patterns.length > 0, `${key}: patterns`);
      assert.ok((e.registry === 'pypi' ? PY : JS)[e.library], `${key}: examples in this test`);
    }
  });

  for (const e of CATALOGUE) {
    const ex = (e.registry === 'pypi' ? PY : JS)[e.library];
    if (!ex) continue;
    const file = e.registry === 'pypi' ? 'app/mod.py' : 'src/mod.ts';
    const marker = e.registry === 'pypi' ? '# !' : '// !';
    it(`${e.registry} ${e.library}: the blocking calls are findings with the catalogue's advice`, async () => {
      const r = await analyze({ [file]: ex.pos });
      assert.deepEqual(r.findings.map((f) => f.line).sort((a, b) => a - b), marked(ex.pos, marker), JSON.stringify(r.findings.map((f) => [f.line, f.call])));
      assert.ok(r.findings.some((f) => f.recommendation.length > 0 && (f.category === e.category || e.patterns.some((p) => typeof p !== 'string' && p.category === f.category))));
    });
    it(`${e.registry} ${e.library}: the async alternative / cheap calls are no findings`, async () => {
      const r = await analyze({ [file]: ex.neg });
      assert.deepEqual(r.findings.map((f) => [f.line, f.call]), []);
    });
  }
});
