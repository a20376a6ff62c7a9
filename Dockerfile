# ntprofile node image: `ntprofile run $PROFILE` on a slim Python, as a non-root user.
#   docker build -t ntprofile .
#   docker run --env-file .env -e PROFILE=prod-bybit ntprofile      (or: ntprofile prod-bybit)
# docker-compose.yml runs it next to a persistent Redis; see README "Docker".
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
RUN pip install ".[node]" \
    && ntprofile schema --check \
    && rm -rf /root/.cache

# A fixed non-root user; it owns only what the node writes (logs/).
RUN useradd --create-home --uid 10001 --user-group ntprofile \
    && mkdir -p /app/logs \
    && chown ntprofile:ntprofile /app/logs

# The shipped profiles as a default; docker-compose.yml mounts ./profiles read-only over them.
COPY profiles ./profiles

USER ntprofile

# The profile to run: `ntprofile run` reads $PROFILE when no argument is given,
# so either `-e PROFILE=prod-bybit` or a CMD argument selects it.
ENV PROFILE=""
ENTRYPOINT ["ntprofile", "run"]
CMD []
