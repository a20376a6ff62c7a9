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

# The package (and NautilusTrader, from its wheels); no compiler needed. schemas/ is
# copied too: the package's profile.schema.json is a symlink into it. NautilusTrader is
# pinned to the version the committed schema was generated from, and the build fails
# when the two disagree (`ntprofile schema --check`).
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY compiler ./compiler
RUN version=$(python -c 'import json; print(json.load(open("schemas/profile.schema.json"))["x-nautilus-trader-version"])') \
    && pip install . "nautilus_trader==${version}" \
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
