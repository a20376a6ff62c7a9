# ntprofile node image: `ntprofile run $PROFILE` on a slim Python, as a non-root user.
# It runs only what it is given: no profiles inside. Mount them at /app/profiles
# (a missing mount stops `run` at once with exit 2).
#   docker build -t ntprofile .
#   docker run -v "$PWD/profiles:/app/profiles:ro" --env-file .env -e PROFILE=prod-bybit ntprofile
# A firm's own strategies go into an image built on this one (README "Docker"):
#   FROM ntprofile:latest
#   USER root
#   RUN pip install --no-cache-dir firm-strategies==1.4.2
#   USER 10001:10001
# docker-compose.yml runs it next to a persistent Redis; `ntprofile render compose|kubernetes`
# writes the deployment of a fleet of targets.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The package with its node extra (NautilusTrader pinned to the release the packaged
# schema was generated from, redis-py, python-dotenv), from wheels; no compiler needed.
# The build fails when the installed NautilusTrader and the schema disagree
# (`ntprofile schema --check` compares the very file `validate` reads).
COPY pyproject.toml README.md MANIFEST.in ./
COPY compiler ./compiler
# DL3013 asks to pin what pip installs: this is the local package, whose node extra pins NautilusTrader.
# hadolint ignore=DL3013
RUN pip install ".[node]" \
    && ntprofile schema --check \
    && rm -rf /root/.cache

# A fixed non-root user; it owns only what the node writes (logs/).
RUN useradd --create-home --uid 10001 --user-group ntprofile \
    && mkdir -p /app/logs \
    && chown ntprofile:ntprofile /app/logs

USER 10001:10001

# The profile to run: `ntprofile run` reads $PROFILE when no argument is given,
# so either `-e PROFILE=prod-bybit` or a CMD argument selects it.
# The profiles are mounted here; `run` keeps its health file at NTPROFILE_HEALTH_PATH and
# `ntprofile health` reads it: healthy once every client is connected and reconciled.
ENV PROFILE="" \
    NTPROFILE_PROFILES=/app/profiles \
    NTPROFILE_HEALTH_PATH=/tmp/ntprofile/health.json
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 CMD ["ntprofile", "health"]
ENTRYPOINT ["ntprofile", "run"]
CMD []
