package io.rrtcp.cli;

import io.rrtcp.support.Daemon;
import io.rrtcp.support.DebianPackages;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real HAProxy in front of real {@code rr-tcp serve} processes, all on loopback ports chosen now: each instance runs
 * {@code test-workers/context-worker.php}, whose echo names the instance that answered. Stops everything it started,
 * by pid.
 */
final class HaproxyRig implements AutoCloseable {
    private static final Path WORKER = Path.of("test-workers/context-worker.php").toAbsolutePath();

    /** One rr-tcp instance: its name (the prefix of its echoes), port and process. */
    record Instance(String name, int port, ServeProcess serve, List<ProcessHandle> workers) {
    }

    private final Path dir;
    private final List<Instance> instances = new ArrayList<>();
    private final int frontendPort;
    private final int statsPort;
    private Daemon haproxy;
    private Path config;

    HaproxyRig(Path dir) throws IOException {
        this.dir = dir;
        this.frontendPort = Daemon.freePort();
        this.statsPort = Daemon.freePort();
    }

    /** Starts {@code rr-tcp serve} named {@code name} with the PROXY protocol {@code mode} and extra tcp lines. */
    Instance instance(String name, String mode, String... tcpLines) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        int port = ServeProcess.freePort();
        StringBuilder yaml = new StringBuilder("""
                version: '3'
                server:
                  command: "php %s"
                  env:
                    INSTANCE: %s
                    EVENT_LOG: "%s"
                tcp:
                  proxy_protocol: %s
                  trusted_proxies: ["127.0.0.1/32"]
                """.formatted(WORKER, name, home.resolve("events.jsonl"), mode));
        for (String line : tcpLines) {
            yaml.append("  ").append(line).append('\n');
        }
        yaml.append("""
                  servers:
                    main:
                      addr: 127.0.0.1:%d
                      delimiter: "\\n"
                  pool:
                    num_workers: 2
                    destroy_timeout: 5s
                logs:
                  level: info
                  output: [stdout, "%s"]
                """.formatted(port, home.resolve("serve.log")));
        Path file = home.resolve(".rr.yaml");
        Files.writeString(file, yaml);
        ServeProcess serve = ServeProcess.start(file);
        Instance instance = new Instance(name, port, serve, serve.process().descendants().toList());
        instances.add(instance);
        return instance;
    }

    /**
     * Starts HAProxy balancing over every instance started so far with {@code sendProxy} ({@code send-proxy} or
     * {@code send-proxy-v2}), and waits until it sees all of them up.
     */
    void startHaproxy(String sendProxy) throws Exception {
        Path binary = DebianPackages.require("haproxy", "haproxy");
        StringBuilder servers = new StringBuilder();
        for (Instance i : instances) {
            servers.append("    server ").append(i.name()).append(" 127.0.0.1:").append(i.port()).append(' ')
                    .append(sendProxy).append('\n');
        }
        config = dir.resolve("haproxy.cfg");
        Files.writeString(config, """
                global
                    log stderr format raw local0 info

                defaults
                    mode tcp
                    log global
                    option tcplog
                    retries 3
                    option redispatch 1
                    timeout connect 1s
                    timeout client 30s
                    timeout server 30s

                frontend app
                    bind 127.0.0.1:%d
                    default_backend rr

                backend rr
                    balance leastconn
                    default-server check inter 300ms fall 2 rise 2
                %s
                listen stats
                    mode http
                    bind 127.0.0.1:%d
                    stats enable
                    stats uri /stats
                """.formatted(frontendPort, servers, statsPort));
        haproxy = Daemon.start("haproxy", dir, List.of(binary.toString(), "-f", config.toString(), "-db"))
                .awaitPort(frontendPort, Duration.ofSeconds(20));
        awaitStatus(s -> instances.stream().allMatch(i -> "UP".equals(s.get(i.name()))), "every instance UP");
    }

    /** What the instance logged so far (its log file: the test reads it, not the process output). */
    String log(Instance instance) throws IOException {
        return Files.readString(dir.resolve(instance.name()).resolve("serve.log"));
    }

    int frontendPort() {
        return frontendPort;
    }

    String haproxyConfig() throws IOException {
        return Files.readString(config);
    }

    /** HAProxy's log so far (its stderr: state changes and one line per connection). */
    String haproxyLog() throws IOException {
        return Files.readString(haproxy.log());
    }

    /** Server name to HAProxy's status for it (UP, DOWN, ...), from its stats page. */
    Map<String, String> status() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            String csv = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Map<String, String> out = new LinkedHashMap<>();
            csv.lines().map(l -> l.split(",", -1)).filter(f -> f.length > 17 && f[0].equals("rr"))
                    .forEach(f -> out.put(f[1], f[17]));
            return out;
        }
    }

    /** Waits (20 s at most) for HAProxy's view of the servers to satisfy {@code condition}; returns it. */
    Map<String, String> awaitStatus(Predicate<Map<String, String>> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Map<String, String> seen = status();
        while (!condition.test(seen)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("HAProxy did not see " + what + " within 20s: " + seen + "\n" + haproxyLog());
            }
            Thread.sleep(50);
            seen = status();
        }
        return seen;
    }

    /** SIGKILL to the instance's JVM alone, as a crash would; its workers, orphaned, are ended later by pid. */
    void kill(Instance instance) throws InterruptedException {
        instance.serve().process().destroyForcibly();
        instance.serve().process().waitFor();
    }

    @Override
    public void close() {
        if (haproxy != null) {
            haproxy.close();
        }
        for (Instance i : instances) {
            i.serve().close();
            i.workers().forEach(ProcessHandle::destroyForcibly);
        }
    }
}
