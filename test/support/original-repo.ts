/**
 * Test support: "relay", a small Python daemon written for these tests, with three commits of
 * history. It has the shapes a blind review of CodeWorm's pages on a real async Python daemon
 * found explained wrongly (issue 12): a retry loop with backoff called as
 * `self.client.generate_with_retry(…)`, a callback passed by name, an `@asynccontextmanager`
 * lifespan, a log path shared with a shell script, HTML built into a Telegram alert, a
 * `contextlib.suppress`, `random` that picks a commit message, package re-exports, a git module
 * that commits (not a database), a second `main`, and a later commit that adds the alerts.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commitAll, git, writeFiles } from './git-repo.ts';

const CLIENT_PY = `"""
Model client with retries
"""
from __future__ import annotations

import asyncio

import httpx


class ModelError(Exception):
    """Raised when the model fails"""


class GenerationResult:
    """What the model answered"""

    def __init__(self, text: str, tokens_per_sec: float) -> None:
        self.text = text
        self.tokens_per_sec = tokens_per_sec


class ModelClient:
    """
    Talks to the model server
    """
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    async def generate(
        self,
        prompt: str,
        system: str | None = None,
        max_tokens: int | None = None,
    ) -> GenerationResult:
        """
        Generate text from a prompt
        """
        payload = {"prompt": prompt, "system": system, "max_tokens": max_tokens}
        async with httpx.AsyncClient(base_url = self.base_url) as client:
            response = await client.post("/api/generate", json = payload)
        data = response.json()
        tokens_per_sec = 0.0
        if data.get("eval_duration"):
            tokens_per_sec = data["eval_count"] / data["eval_duration"]
        return GenerationResult(data["response"], tokens_per_sec)

    async def generate_with_retry(
        self,
        prompt: str,
        system: str | None = None,
        max_retries: int = 3,
        retry_delay: float = 2.0,
    ) -> GenerationResult:
        """
        Generate with automatic retry on transient failures
        """
        last_error: Exception | None = None

        for attempt in range(max_retries):
            try:
                return await self.generate(prompt, system)
            except httpx.TimeoutException as e:
                last_error = e
                if attempt < max_retries - 1:
                    await asyncio.sleep(retry_delay * (attempt + 1))
            except httpx.ConnectError as e:
                last_error = e
                if attempt < max_retries - 1:
                    await asyncio.sleep(retry_delay * (attempt + 1))

        raise last_error or ModelError("Generation failed after retries")
`;

const WRITER_PY = `"""
Writes pages with the model
"""
from __future__ import annotations

from relay.llm.client import ModelClient


class PageWriter:
    """
    Turns code into documentation pages
    """
    def __init__(self, client: ModelClient) -> None:
        self.client = client

    async def write(self, code: str) -> str:
        result = await self.client.generate_with_retry(code, "You document code.")
        return result.text

    async def summarize(self, code: str) -> str:
        result = await self.client.generate_with_retry(code, "Summarize.")
        return result.text.strip()
`;

const LLM_INIT_PY = `from relay.llm.client import GenerationResult, ModelClient, ModelError
from relay.llm.writer import PageWriter

__all__ = ["GenerationResult", "ModelClient", "ModelError", "PageWriter"]
`;

const PROMPTS_PY = `"""
Prompt building
"""
from __future__ import annotations


class PromptBuilder:
    """Builds prompts for each page type"""

    def __init__(self, style: str) -> None:
        self.style = style

    def build_documentation_prompt(self, code: str) -> str:
        return f"{self.style}\\n{code}"

    def build_commit_prompt(self, name: str) -> str:
        return f"Write a commit message for {name}"

    def truncate(self, code: str, max_chars: int | None = None) -> str:
        limit = max_chars or 4000
        return code[:limit]

    @classmethod
    def from_settings(cls, settings: dict) -> PromptBuilder:
        return cls(settings.get("style", "plain"))


class TersePromptBuilder(PromptBuilder):
    """Short prompts for small models"""


def get_prompt_builder(settings: dict | None = None) -> PromptBuilder:
    """
    Get a prompt builder, optionally configured from settings
    """
    return PromptBuilder(style = (settings or {}).get("style", "plain"))


def builder_for(kind: str) -> PromptBuilder:
    if kind == "terse":
        return TersePromptBuilder("terse")
    return PromptBuilder("plain")
`;

const STATE_PY = `"""
Persistent state
"""
from __future__ import annotations

import sqlite3
from pathlib import Path


class StateStore:
    """
    Remembers what was documented
    Backed by SQLite
    """
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path

    def _conn(self) -> sqlite3.Connection:
        return sqlite3.connect(self.db_path)

    def get_stats(self) -> dict:
        with self._conn() as conn:
            row = conn.execute("SELECT COUNT(*) FROM documented").fetchone()
        return {"total_documented": row[0]}

    def record(self, name: str) -> None:
        with self._conn() as conn:
            conn.execute("INSERT INTO documented (name) VALUES (?)", (name,))
`;

const CORE_INIT_PY = `from relay.core.settings import Settings, load_settings
from relay.core.state import StateStore

__all__ = ["Settings", "StateStore", "load_settings"]
`;

const SETTINGS_PY = `from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Settings:
    """Daemon settings"""
    repos: list = field(default_factory = list)
    dry_run: bool = False
    devlog: dict = field(default_factory = dict)


def load_settings(config_dir: str | None = None, **overrides) -> Settings:
    """
    Load settings from the config file; explicit overrides win
    """
    merged = {"devlog": {"repo_path": "devlog"}}
    merged.update(overrides)
    return Settings(**merged)
`;

const ANALYZER_PY = `"""
Finds code worth documenting
"""
from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path


class RepoEntry:
    """One repository to analyse"""

    def __init__(self, path: Path) -> None:
        self.path = path


class Scorer:
    """Scores functions by interest"""

    def get_git_stats(self, file_path: Path) -> dict:
        stats = {"commits": 0}
        out = subprocess.run(["git", "log", "--oneline", str(file_path)], capture_output = True, text = True)
        with contextlib.suppress(ValueError):
            stats["commits"] = int(len(out.stdout.splitlines()))
        return stats


class Analyzer:
    """
    Main analysis engine
    """
    def __init__(self, repos: list[RepoEntry], settings: dict | None = None) -> None:
        self.repos = repos
        self.settings = settings or {}
        self.scorer = Scorer()
        self.scanner = None

    def find_candidates(self, limit: int = 50) -> list[Path]:
        found: list[Path] = []
        for repo in self.repos:
            found.extend(sorted(repo.path.rglob("*.py"))[:limit])
        return found
`;

const ANALYSIS_INIT_PY = `from relay.analysis.analyzer import Analyzer, RepoEntry, Scorer

__all__ = ["Analyzer", "RepoEntry", "Scorer"]
`;

const OPS_PY = `"""
Git operations on the DevLog
"""
from __future__ import annotations

import random

from git import Repo

MESSAGES = ["docs: update notes", "docs: add page", "docs: refresh"]


class DevLogRepository:
    """The DevLog git repository"""

    def __init__(self, path: str) -> None:
        self.repo = Repo(path)

    def add_page(self, rel_path: str) -> None:
        self.repo.index.add([rel_path])

    def commit(self, message: str) -> str:
        commit = self.repo.index.commit(message)
        return commit.hexsha

    def commit_all(self, message: str) -> str:
        self.repo.git.add(all = True)
        return self.commit(message)


class CommitNamer:
    """Names commits"""

    def generate(self, name: str) -> str:
        """
        Legacy method - generate a commit message for a name
        """
        if name.startswith("_"):
            return random.choice(MESSAGES)
        return f"docs: document {name}"
`;

const SCHEDULER_PY = `"""
Scheduling
"""
from __future__ import annotations

import random
import threading
from datetime import datetime, timedelta


class Trigger:
    """Fires at human-like times"""

    def __init__(self) -> None:
        self.callback = None

    def set_task_callback(self, callback) -> None:
        self.callback = callback

    def start(self) -> None:
        self._thread = threading.Thread(target = self._fire, daemon = True)
        self._thread.start()

    def _fire(self) -> None:
        if self.callback:
            self.callback()

    def stop(self) -> None:
        self.callback = None

    def _generate_times(self, day: datetime, count: int) -> list[datetime]:
        times = []
        for _ in range(count):
            hour = random.randint(8, 22)
            minute = random.randint(0, 59)
            times.append(day + timedelta(hours = hour, minutes = minute))
        return sorted(times)
`;

const NOTIFIER_PY = `"""
Telegram alerts
"""
from __future__ import annotations

import httpx


class Notifier:
    """Sends alerts to a Telegram chat with HTML formatting"""

    def __init__(self, token: str, chat_id: str) -> None:
        self.url = f"https://api.telegram.org/bot{token}/sendMessage"
        self.chat_id = chat_id

    async def send_alert(self, title: str, details: str | None = None) -> None:
        text = f"<b>{title}</b>\\n{details or ''}"
        try:
            async with httpx.AsyncClient() as client:
                await client.post(self.url, json = {"chat_id": self.chat_id, "text": text, "parse_mode": "HTML"})
        except Exception:
            pass
`;

const DAEMON_V1 = `"""
The relay daemon
"""
from __future__ import annotations

import asyncio
import signal
import sys

from relay.analysis import (
    Analyzer,
    RepoEntry,
)
from relay.core import (
    Settings,
    StateStore,
    load_settings,
)
from relay.llm import ModelClient, PageWriter
from relay.parsing import ParserManager
from relay.scheduler import Trigger


class Daemon:
    """
    Main daemon orchestrator
    Runs documentation cycles until stopped
    """
    READY_WAIT_MAX = 300

    def __init__(self, settings: Settings, dry_run: bool = False) -> None:
        self.settings = settings
        self.dry_run = dry_run
        self.running = False
        self.state = StateStore(settings.db_path)
        self.analyzer = Analyzer(
            [RepoEntry(p) for p in settings.repos],
        )
        self.router = TargetRouter(
            analyzer = self.analyzer,
            scanner = self.analyzer.scanner,
            limit = 10,
        )
        self.scheduler = Trigger()
        self.logger = None
        self._loop: asyncio.AbstractEventLoop | None = None

        self._setup_signals()

    def _setup_signals(self) -> None:
        signal.signal(signal.SIGTERM, self._handle_shutdown)
        signal.signal(signal.SIGINT, self._handle_shutdown)
        signal.signal(signal.SIGHUP, self._handle_reload)

    def _handle_shutdown(self, signum: int, _frame) -> None:
        """
        Handle shutdown signals gracefully
        """
        self.running = False
        self.scheduler.stop()

    def _handle_reload(self, _signum: int, _frame) -> None:
        """
        Handle SIGHUP for config reload
        """
        self.logger.info("reload_signal_received")

    async def _wait_for_ollama(self) -> bool:
        await asyncio.sleep(1)
        return True

    async def _ensure_ready(self) -> bool:
        while self.running:
            if await self._wait_for_ollama():
                return True
            await asyncio.sleep(10)
        return False

    def run(self) -> None:
        """
        Main daemon run loop
        """
        self.running = True
        self._loop = asyncio.new_event_loop()
        try:
            self._loop.run_until_complete(self._async_run())
        finally:
            self._loop.close()

    async def run_once(self) -> bool:
        """
        Run a single documentation cycle
        """
        if not await self._ensure_ready():
            return False
        await self._cycle()
        return True

    async def _init_llm(self) -> ModelClient:
        return ModelClient("http://localhost:11434")

    def _on_tick(self) -> None:
        """
        Callback executed by the scheduler for each cycle
        """
        asyncio.run(self._cycle())

    async def _cycle(self) -> None:
        client = await self._init_llm()
        writer = PageWriter(client)
        for path in self.analyzer.find_candidates():
            await writer.write(path.read_text())

    async def _document(self, candidate) -> None:
        generator = PageWriter(await self._init_llm())
        doc = await generator.generate(candidate)
        self.state.record(doc)

    async def _async_run(self) -> None:
        """
        Async main run loop
        """
        mode = "[DRY RUN] " if self.dry_run else ""
        self.logger.info("daemon_starting", mode = mode)

        ParserManager.initialize()

        db_stats = self.state.get_stats()
        self.logger.info("state_loaded", total = db_stats["total_documented"])

        if not await self._wait_for_ollama():
            return

        client = await self._init_llm()
        await client.generate("warm up")

        self.scheduler.set_task_callback(self._on_tick)
        self.scheduler.start()

        while self.running:
            await asyncio.sleep(1)


class TargetRouter:
    """Routes candidates to page types"""

    def __init__(self, analyzer: Analyzer, scanner, limit: int) -> None:
        self.analyzer = analyzer
        self.scanner = scanner
        self.limit = limit


def main() -> int:
    """
    Entry point for the daemon
    """
    settings = load_settings(devlog = {"repo_path": "/tmp/devlog"})
    daemon = Daemon(settings)
    daemon.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;

/** The daemon after the alerts commit: the notifier, the log tail and the dead man's switch. */
const DAEMON_V2 = DAEMON_V1.replace(
  `import asyncio
import sys
`,
  `import asyncio
import sys
from datetime import datetime
from pathlib import Path
`,
)
  .replace(
    `from relay.llm import ModelClient, PageWriter
`,
    `from relay.llm import ModelClient, PageWriter
from relay.notify import Notifier
`,
  )
  .replace(
    `        self.scheduler = Trigger()
        self.logger = None
`,
    `        self.scheduler = Trigger()
        self.logger = None
        self.notifier = Notifier("token", "chat")
        self._start_time = datetime.now()
        self.last_success: datetime | None = None
        self._dead_mans_task: asyncio.Task | None = None
`,
  )
  .replace(
    `    async def _wait_for_ollama(self) -> bool:
        await asyncio.sleep(1)
        return True
`,
    `    async def _wait_for_ollama(self) -> bool:
        for attempt in range(5):
            await asyncio.sleep(1)
            if attempt > 2:
                await self.notifier.send_alert("Model server unavailable")
        return True
`,
  )
  .replace(
    `        self.scheduler.start()

        while self.running:`,
    `        self.scheduler.start()

        self._dead_mans_task = asyncio.create_task(self._dead_mans_switch())

        while self.running:`,
  )
  .replace(
    `    def _on_tick(self) -> None:`,
    `    def _tail_log(self, lines: int = 20) -> str:
        log_path = Path("/tmp/relay.log")
        try:
            text = log_path.read_text(encoding = "utf-8", errors = "replace")
            return "\\n".join(text.splitlines()[-lines :])
        except Exception:
            return "(log unavailable)"

    async def _dead_mans_switch(self) -> None:
        check_interval = 300
        alert_threshold = 2700
        alerted = False
        while self.running:
            reference = self.last_success or self._start_time
            age = (datetime.now() - reference).total_seconds()
            if age > alert_threshold and not alerted:
                log_tail = self._tail_log(20)
                await self.notifier.send_alert(
                    f"No commits in {int(age / 60)} minutes",
                    details = f"<pre>{log_tail}</pre>",
                )
                alerted = True
            await asyncio.sleep(check_interval)

    def _on_tick(self) -> None:`,
  )
  .replace(
    `    async def _cycle(self) -> None:
        client = await self._init_llm()`,
    `    async def _cycle(self) -> None:
        if self.notifier and not self.running:
            await self.notifier.send_alert("Cycle while stopping")
        client = await self._init_llm()`,
  );

const CLI_PY = `"""
Command line
"""
import argparse
import sys


def load(path: str) -> dict:
    with open(path) as fh:
        return {"path": path, "text": fh.read()}


def run(settings: dict, once: bool = False) -> int:
    print(settings["path"], once)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog = "relay")
    parser.add_argument("--config", default = "config.yaml")
    parser.add_argument("--dry-run", action = "store_true")
    parser.add_argument("--once", action = "store_true")
    args = parser.parse_args()
    if args.dry_run:
        print("dry run")
    try:
        settings = load(args.config)
    except FileNotFoundError:
        return 2
    return run(settings, once = args.once)


if __name__ == "__main__":
    sys.exit(main())
`;

const WEB_APP_PY = `"""
Dashboard backend
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from web.ws import start_subscriber, stop_subscriber


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    await start_subscriber()
    yield
    await stop_subscriber()


app = FastAPI(
    title = "Relay Dashboard",
    lifespan = lifespan,
)
`;

const WEB_WS_PY = `"""
WebSocket fan-out
"""
from __future__ import annotations

from collections import deque
from typing import Any

import orjson


class ConnectionManager:
    """Keeps the open dashboard sockets"""

    def __init__(self) -> None:
        self.active: list = []
        self.log_buffer: deque = deque(maxlen = 100)

    async def broadcast(self, message: dict[str, Any]) -> None:
        payload = orjson.dumps(message).decode("utf-8")
        disconnected = []
        for ws in self.active:
            try:
                await ws.send_text(payload)
            except Exception:
                disconnected.append(ws)
        for ws in disconnected:
            self.active.remove(ws)


manager = ConnectionManager()


async def start_subscriber() -> None:
    await manager.broadcast({"event": "started"})


async def stop_subscriber() -> None:
    await manager.broadcast({"event": "stopped"})
`;

const PARSING_PY = `class ParserManager:
    """Loads the parsers once"""

    @classmethod
    def initialize(cls) -> None:
        cls.ready = True
`;

const START_SH = `#!/bin/bash
# start the relay daemon in the background
set -e
nohup relay run > /tmp/relay.log 2>&1 &
echo "Logs: tail -f /tmp/relay.log"
`;

/** The third commit's date as git records it: 2026-01-30 22:30 at UTC-5, which is 2026-01-31 03:30 UTC. */
export const LATE_COMMIT_DATE = '2026-01-30T22:30:00-05:00';

/** Build the repository in a fresh temp directory; returns its path (branch `main`, three commits). */
export async function cloneOriginal(): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'cw-relay-')), 'relay');
  await git(path.dirname(dir), ['init', '-q', '-b', 'main', 'relay']);
  const day = 86_400_000;
  const base = Date.UTC(2026, 0, 10, 12);
  await writeFiles(dir, { 'relay/__init__.py': '', 'relay/llm/client.py': CLIENT_PY, 'relay/llm/__init__.py': 'from relay.llm.client import GenerationResult, ModelClient, ModelError\n' });
  await commitAll(dir, 'add async model client with retry logic', new Date(base));
  await writeFiles(dir, {
    'README.md': '# relay\n\nDocuments code with a local model.\n',
    'relay/llm/writer.py': WRITER_PY,
    'relay/llm/__init__.py': LLM_INIT_PY,
    'relay/llm/prompts.py': PROMPTS_PY,
    'relay/core/__init__.py': CORE_INIT_PY,
    'relay/core/state.py': STATE_PY,
    'relay/core/settings.py': SETTINGS_PY,
    'relay/analysis/__init__.py': ANALYSIS_INIT_PY,
    'relay/analysis/analyzer.py': ANALYZER_PY,
    'relay/git/__init__.py': 'from relay.git.ops import CommitNamer, DevLogRepository\n',
    'relay/git/ops.py': OPS_PY,
    'relay/scheduler.py': SCHEDULER_PY,
    'relay/parsing.py': PARSING_PY,
    'relay/daemon.py': DAEMON_V1,
    'relay/cli.py': CLI_PY,
    'web/__init__.py': '',
    'web/app.py': WEB_APP_PY,
    'web/ws.py': WEB_WS_PY,
    'web/style.scss': '.main {\n  margin: 0;\n}\n',
    'web/shell.tsx': 'export function Shell() {\n  return <main className="content" />;\n}\n',
    'config/config.yaml': 'devlog:\n  branch: main\n',
  });
  await commitAll(dir, 'build the daemon, the analysis and the dashboard', new Date(base + 10 * day));
  await writeFiles(dir, { 'relay/daemon.py': DAEMON_V2, 'relay/notify.py': NOTIFIER_PY, 'scripts/start.sh': START_SH });
  // committed late in the evening at UTC-5: the commit's own day (2026-01-30) is not its UTC day
  // (2026-01-31), so a page that mixes the two rules shows two dates for one commit
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '-m', 'feat: add telegram notification on failures and dead man switch\n\nAlerts go to a Telegram chat; the dead man switch sends the log tail.'], { GIT_AUTHOR_DATE: LATE_COMMIT_DATE, GIT_COMMITTER_DATE: LATE_COMMIT_DATE });
  return dir;
}
