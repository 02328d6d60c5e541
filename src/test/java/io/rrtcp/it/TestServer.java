package io.rrtcp.it;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import io.rrtcp.config.ConfigLoader;
import io.rrtcp.server.RrTcpServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real rr-tcp for integration tests: a YAML config written to a temp folder, loaded by the real loader, real php
 * workers from {@code test-workers/}, listeners on 127.0.0.1 with OS-chosen ports. Workers log every event they get
 * to a file, which tests read back.
 */
final class TestServer implements AutoCloseable {
    static final Path WORKERS = Path.of("test-workers").toAbsolutePath();

    /** One event as the worker received it. */
    record Event(long pid, String event, String uuid, String server, String remoteAddr, String body) {
    }

    private final RrTcpServer server;
    private final Path eventLog;

    private TestServer(RrTcpServer server, Path eventLog) {
        this.server = server;
        this.eventLog = eventLog;
    }

    static Builder in(Path dir) {
        return new Builder(dir);
    }

    static final class Builder {
        private final Path dir;
        private final Map<String, String> servers = new LinkedHashMap<>();
        private final Map<String, String> serverExtras = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> poolLines = new ArrayList<>();
        private final List<String> tcpLines = new ArrayList<>();
        private final List<String> serverLines = new ArrayList<>();
        private final List<String> sections = new ArrayList<>();
        private String script = "tcp-worker.php";
        private int workers = 2;
        private String rpcListen;
        private boolean eventLog = true;
        private io.rrtcp.config.ConfigOptions options = io.rrtcp.config.ConfigOptions.defaults();

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** A server on 127.0.0.1:0 with the delimiter written as a double-quoted YAML scalar (escapes allowed). */
        Builder server(String name, String yamlDelimiter) {
            servers.put(name, yamlDelimiter);
            return this;
        }

        /** As {@link #server(String, String)}, with more YAML under the server's key (e.g. a tls section). */
        Builder server(String name, String yamlDelimiter, String extraYaml) {
            serverExtras.put(name, extraYaml);
            return server(name, yamlDelimiter);
        }

        /** A server on 127.0.0.1:0 whose other keys are {@code yaml} (e.g. framing), without a delimiter. */
        Builder framedServer(String name, String yaml) {
            servers.put(name, null);
            serverExtras.put(name, yaml);
            return this;
        }

        Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** What the command line adds (overrides, --dotenv). */
        Builder options(io.rrtcp.config.ConfigOptions options) {
            this.options = options;
            return this;
        }

        /** Workers do not log their events (for load tests). */
        Builder noEventLog() {
            eventLog = false;
            return this;
        }

        Builder workers(int n) {
            workers = n;
            return this;
        }

        /** An extra line under tcp.pool, e.g. "max_jobs: 3". */
        Builder pool(String line) {
            poolLines.add(line);
            return this;
        }

        /** An extra line directly under tcp: (defaults for every server), e.g. "idle_timeout: 500ms". */
        Builder tcp(String line) {
            tcpLines.add(line);
            return this;
        }

        /** An {@code rpc} section listening on {@code dsn}, e.g. {@code tcp://127.0.0.1:0}. */
        Builder rpc(String dsn) {
            rpcListen = dsn;
            return this;
        }

        /** An extra line under server, e.g. "relay: tcp://127.0.0.1:0". */
        Builder serverLine(String line) {
            serverLines.add(line);
            return this;
        }

        /** A whole top-level section in YAML, appended to the file as written, e.g. "reload:\n  interval: 1s\n". */
        Builder section(String yaml) {
            sections.add(yaml.endsWith("\n") ? yaml : yaml + "\n");
            return this;
        }

        Builder script(String name) {
            script = name;
            return this;
        }

        Path writeConfig() throws IOException {
            Path eventLog = dir.resolve("events.jsonl");
            StringBuilder yaml = new StringBuilder()
                    .append("version: '3'\n")
                    .append("server:\n")
                    .append("  command: \"php ").append(WORKERS.resolve(script)).append("\"\n")
                    .append("  env:\n")
                    .append("    EVENT_LOG: \"").append(this.eventLog ? eventLog.toString() : "").append("\"\n");
            env.forEach((k, v) -> yaml.append("    ").append(k).append(": \"").append(v).append("\"\n"));
            serverLines.forEach(l -> yaml.append("  ").append(l).append('\n'));
            yaml.append("tcp:\n");
            tcpLines.forEach(l -> yaml.append("  ").append(l).append('\n'));
            yaml.append("  servers:\n");
            servers.forEach((name, delimiter) -> yaml.append("    ").append(name).append(":\n")
                    .append("      addr: 127.0.0.1:0\n")
                    .append(delimiter == null ? "" : "      delimiter: \"" + delimiter + "\"\n")
                    .append(serverExtras.getOrDefault(name, "").indent(6)));
            yaml.append("  pool:\n    num_workers: ").append(workers).append('\n');
            poolLines.forEach(l -> yaml.append("    ").append(l).append('\n'));
            if (rpcListen != null) {
                yaml.append("rpc:\n  listen: \"").append(rpcListen).append("\"\n");
            }
            sections.forEach(yaml::append);
            Path file = dir.resolve(".rr.yaml");
            Files.writeString(file, yaml);
            return file;
        }

        /** The events logged in this folder, without a running server (e.g. after it stopped). */
        List<Event> eventsOnly() throws IOException {
            return TestServer.readEvents(dir.resolve("events.jsonl"));
        }

        TestServer start() throws Exception {
            if (servers.isEmpty()) {
                server("main", "\\r\\n");
            }
            return startWith(writeConfig());
        }

        /** Starts from a config file written (and maybe edited) beforehand. */
        TestServer startWith(Path file) throws Exception {
            return new TestServer(RrTcpServer.start(ConfigLoader.load(file, options), dir), dir.resolve("events.jsonl"));
        }
    }

    int port(String name) {
        return server.addresses().get(name).getPort();
    }

    Client connect(String name) throws IOException {
        return new Client(port(name));
    }

    /** The RPC address with its real port (the config must have an rpc section). */
    String rpc() {
        return server.rpcAddress().orElseThrow().dsn();
    }

    RrTcpServer server() {
        return server;
    }

    List<Long> workerPids() {
        return server.pool().workers().stream().map(w -> w.pid()).toList();
    }

    /** Every event the workers have logged so far, in order. */
    List<Event> events() throws IOException {
        return readEvents(eventLog);
    }

    static List<Event> readEvents(Path eventLog) throws IOException {
        if (!Files.exists(eventLog)) {
            return List.of();
        }
        List<Event> out = new ArrayList<>();
        for (String line : Files.readAllLines(eventLog, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject o = Json.parse(line).asObject();
            out.add(new Event(o.getLong("pid", 0), o.getString("event", ""), o.getString("uuid", ""),
                    o.getString("server", ""), o.getString("remote_addr", ""),
                    new String(Base64.getDecoder().decode(o.getString("body_b64", "")), StandardCharsets.UTF_8)));
        }
        return out;
    }

    List<Event> events(String uuid) throws IOException {
        return events().stream().filter(e -> e.uuid().equals(uuid)).toList();
    }

    /** Polls the event log until {@code condition} holds (checked every 20 ms), or fails after {@code timeout}. */
    List<Event> awaitEvents(Predicate<List<Event>> condition, Duration timeout) throws Exception {
        return Await.until(this::events, condition, timeout, "events");
    }

    /** The bodies of one connection's DATA events, once at least {@code count} have arrived. */
    List<String> dataBodies(String uuid, int count) throws Exception {
        return awaitEvents(all -> all.stream().filter(e -> e.uuid().equals(uuid) && e.event().equals("DATA"))
                .count() >= count, Duration.ofSeconds(10)).stream()
                .filter(e -> e.uuid().equals(uuid) && e.event().equals("DATA")).map(Event::body).toList();
    }

    /** The event names one connection received, once its CLOSE arrived. */
    List<String> eventNamesAfterClose(String uuid) throws Exception {
        return awaitEvents(all -> all.stream().anyMatch(e -> e.uuid().equals(uuid) && e.event().equals("CLOSE")),
                Duration.ofSeconds(10)).stream().filter(e -> e.uuid().equals(uuid)).map(Event::event).toList();
    }

    /** The uuid of the first connection whose CLOSE event the workers got (waits for one). */
    String firstClosedUuid() throws Exception {
        return awaitEvents(all -> all.stream().anyMatch(e -> e.event().equals("CLOSE")), Duration.ofSeconds(10))
                .stream().filter(e -> e.event().equals("CLOSE")).findFirst().orElseThrow().uuid();
    }

    /** The uuid of the newest connection seen by the workers whose CONNECTED came from {@code localAddr}. */
    String uuidOf(Client client) throws Exception {
        String addr = client.localAddress();
        return awaitEvents(all -> all.stream().anyMatch(e -> e.remoteAddr().equals(addr) && e.event().equals("CONNECTED")),
                Duration.ofSeconds(10)).stream().filter(e -> e.remoteAddr().equals(addr)).reduce((a, b) -> b)
                .orElseThrow().uuid();
    }

    @Override
    public void close() {
        server.close();
    }
}
