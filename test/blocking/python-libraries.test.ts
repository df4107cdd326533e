/**
 * Issue 13, item 2: synchronous third-party libraries the rules know (VCS, SSH/SFTP, container
 * SDKs, message queues, images and documents), each with its async alternative as advice. The
 * snippets follow real code (Home Assistant Supervisor's `store/git.py` before its fix #6380,
 * SFTP upload helpers, Docker SDK calls, thumbnailing in request handlers).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, brief, py } from './helpers.ts';

test('GitPython: fetch through `repo.remotes.origin`, `repo.git.*` commands and `Repo.clone_from` block', async () => {
  const r = await analyze({
    'store/gitrepo.py': py`
      import git

      class GitRepo:
          def __init__(self, path, url):
              self.path = path
              self.url = url
              self.repo = None

          async def load(self):
              self.repo = git.Repo(str(self.path))

          async def clone(self):
              self.repo = git.Repo.clone_from(self.url, str(self.path), depth=1)

          async def pull(self):
              repo = git.Repo(str(self.path))
              repo.remotes.origin.fetch(depth=1)
              repo.git.reset("--hard", "origin/main")
              if repo.is_dirty():
                  repo.git.clean("-xdf")
              repo.close()
    `,
  });
  assert.deepEqual(brief(r.findings), [
    'store/gitrepo.py:13 direct git.Repo.clone_from',
    'store/gitrepo.py:17 direct repo.remotes.origin.fetch',
    'store/gitrepo.py:18 direct repo.git.reset',
    'store/gitrepo.py:19 direct repo.is_dirty',
    'store/gitrepo.py:20 direct repo.git.clean',
  ]);
  const fetch = r.findings.find((f) => f.line === 17)!;
  assert.equal(fetch.category, 'network');
  assert.match(fetch.recommendation, /asyncio\.to_thread|create_subprocess_exec/);
});

test('paramiko SFTP and the Docker SDK block; their recommendations name asyncssh and aiodocker', async () => {
  const r = await analyze({
    'deploy.py': py`
      import docker
      import paramiko

      async def upload(host, local, remote):
          client = paramiko.SSHClient()
          client.connect(host, username="deploy")
          sftp = client.open_sftp()
          sftp.put(local, remote)

      async def restart(name):
          client = docker.from_env()
          container = client.containers.get(name)
          container.restart()
    `,
  });
  assert.deepEqual(brief(r.findings), [
    'deploy.py:11 direct docker.from_env',
    'deploy.py:12 direct client.containers.get',
    'deploy.py:13 direct container.restart',
    'deploy.py:6 direct client.connect',
    'deploy.py:7 direct client.open_sftp',
    'deploy.py:8 direct sftp.put',
  ]);
  assert.match(r.findings.find((f) => f.line === 8)!.recommendation, /asyncssh/);
  assert.match(r.findings.find((f) => f.line === 13)!.recommendation, /aiodocker/);
});

test('Pillow thumbnails and saves in a request handler, pika and kafka producers, documents', async () => {
  const r = await analyze({
    'media.py': py`
      import pika
      from kafka import KafkaProducer
      from PIL import Image
      from openpyxl import load_workbook

      async def thumbnail(path, out):
          img = Image.open(path)
          img.thumbnail((128, 128))
          img.save(out)

      async def publish(body):
          conn = pika.BlockingConnection(pika.ConnectionParameters("mq"))
          ch = conn.channel()
          ch.basic_publish(exchange="", routing_key="q", body=body)
          producer = KafkaProducer(bootstrap_servers="k")
          producer.send("t", body)

      async def sheet(path):
          wb = load_workbook(path)
          return wb.sheetnames
    `,
  });
  assert.deepEqual(brief(r.findings), [
    'media.py:12 direct pika.BlockingConnection',
    'media.py:13 direct conn.channel',
    'media.py:14 direct ch.basic_publish',
    'media.py:16 direct producer.send',
    'media.py:19 direct load_workbook',
    'media.py:7 direct Image.open',
    'media.py:8 direct img.thumbnail',
    'media.py:9 direct img.save',
  ]);
  assert.equal(r.findings.find((f) => f.line === 8)!.category, 'cpu');
});

test('negative: the async alternatives, offloaded calls and cheap calls (`Repo.remote()`, `close()`) are no findings', async () => {
  const r = await analyze({
    'ok.py': py`
      import asyncio
      import asyncssh
      import aiodocker
      import docker
      import git

      async def run(host, path):
          async with asyncssh.connect(host) as conn:
              await conn.run("ls")
          d = aiodocker.Docker()
          await d.containers.list()
          client = await asyncio.to_thread(docker.from_env)
          repo = git.Repo(path)
          origin = repo.remote()
          await asyncio.to_thread(origin.fetch)
          repo.close()
          client.close()
    `,
  });
  assert.deepEqual(brief(r.findings), []);
});
