# elderscan on Debian: the same install scripts CI runs, so this file cannot rot unseen.
FROM debian:bookworm-slim
WORKDIR /opt/elderscan-src
COPY scripts/install-system-deps.sh scripts/install-system-deps.sh
RUN bash scripts/install-system-deps.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN INSTALL_MODE=regular bash scripts/install-app.sh /opt/elderscan
ENV PATH="/opt/elderscan/bin:${PATH}" \
    ELDERSCAN_FIXTURES=/opt/elderscan-src/fixtures/sites
ENTRYPOINT ["elderscan"]
CMD ["--help"]
