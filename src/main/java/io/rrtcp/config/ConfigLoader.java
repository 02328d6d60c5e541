package io.rrtcp.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads a RoadRunner-style {@code .rr.yaml} into an {@link RrConfig}: applies upstream's defaults, rejects unusable
 * values with a {@link ConfigException} naming the key, and collects warnings for keys rr-tcp does not use.
 */
public final class ConfigLoader {
    static final String DEFAULT_RPC_LISTEN = "tcp://127.0.0.1:6001";

    private static final Set<String> SECTIONS =
            Set.of("version", "server", "tcp", "rpc", "logs", "kv", "include", "envfile", "endure", "reload");
    private static final Set<String> TCP_KEYS = union(union(Set.of("servers", "read_buf_size", "pool", "shutdown_grace"),
            ConnectionLimitsReader.KEYS), ProxyProtocolReader.KEYS);
    private static final Set<String> TCP_SERVER_KEYS = union(union(union(Set.of("addr", "delimiter", "read_buf_size",
            "tls"), ConnectionLimitsReader.KEYS), ProxyProtocolReader.KEYS), FramingReader.KEYS);
    private static final Set<String> RPC_KEYS = Set.of("listen");

    private static final Pattern SERVER_NAME = Pattern.compile("^[a-z0-9._-]+$");
    private static final byte[] DEFAULT_DELIMITER = "\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MEGABYTE = 1_048_576;
    private static final int MAX_READ_BUF_MEGABYTES = 100;

    private ConfigLoader() {
    }

    /**
     * Reads and validates {@code file}.
     *
     * @throws ConfigException when the file cannot be read, is not YAML, or holds an unusable value
     */
    public static RrConfig load(Path file) {
        return load(file, ConfigOptions.defaults());
    }

    /**
     * Reads and validates {@code file} with the command line's overrides and environment.
     *
     * @throws ConfigException when the file cannot be read, is not YAML, or holds an unusable value
     */
    public static RrConfig load(Path file, ConfigOptions options) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file, "", "cannot read config file: " + reason(e));
        }
        return parse(yaml, file, options);
    }

    /**
     * Validates YAML text; {@code file} is only used in messages and as {@link RrConfig#file()}.
     *
     * @throws ConfigException when the text is not YAML or holds an unusable value
     */
    public static RrConfig parse(String yaml, Path file) {
        return parse(yaml, file, ConfigOptions.defaults());
    }

    /** As {@link #parse(String, Path)}, after {@code envfile}, {@code -o} overrides and {@code ${VAR}} substitution. */
    public static RrConfig parse(String yaml, Path file, ConfigOptions options) {
        List<String> warnings = new ArrayList<>();
        Object raw = YamlReader.read(yaml, file);
        Map<String, String> env = Conventions.environment(raw, file, options);
        Object tree = Conventions.apply(raw, file, env, options, warnings);
        Node root = Node.root(tree, file, warnings);
        if (!root.isAbsent() && !root.isMap()) {
            throw root.error("the file must be a map of sections (version, server, tcp, ...), got " + root.shown());
        }
        String version = version(root.get("version"));
        root.entries().forEach((name, section) -> {
            if (!SECTIONS.contains(name) && !OpsConfigReader.SECTIONS.contains(name)) {
                section.warn("section is not used by rr-tcp (ignored)");
            }
        });
        ServerConfig server = ServerReader.read(root.get("server")).inheriting(ServerEnvironment.gained(env));
        TcpConfig tcp = tcp(root.get("tcp"));
        Optional<RpcConfig> rpc = rpc(root.get("rpc"));
        LogsConfig logs = LogsReader.read(root.get("logs"));
        Map<String, KvStorageConfig> kv = KvConfigReader.read(root.get("kv"));
        Optional<ReloadConfig> reload = ReloadReader.read(root.get("reload"));
        return new RrConfig(file, version, server, tcp, rpc, warnings, logs, kv, reload, OpsConfigReader.read(root));
    }

    private static String version(Node node) {
        if (node.isAbsent()) {
            throw node.error("rr configuration file should contain a version e.g: version: 3");
        }
        if (!(node.value() instanceof String version)) {
            throw node.error("version should be a string: `version: \"3\"`, actual type is: " + node.typeName());
        }
        if (version.equals("2.7")) {
            node.warn("\"2.7\" is the old RoadRunner 2.7 format; please upgrade the file to version: \"3\"");
        }
        return version;
    }

    /** A boolean key; absent gives {@code absent} (shared by the section readers). */
    static boolean bool(Node node, boolean absent) {
        return ServerReader.bool(node, absent);
    }

    private static TcpConfig tcp(Node tcp) {
        tcp.warnUnknownKeys(TCP_KEYS);
        int readBufSize = readBufSize(tcp.get("read_buf_size"), MEGABYTE);
        Node serversNode = tcp.get("servers");
        Map<String, Node> entries = serversNode.entries();
        if (entries.isEmpty()) {
            throw serversNode.error("no servers registered");
        }
        ConnectionLimits limits = ConnectionLimitsReader.read(tcp, ConnectionLimits.DEFAULTS);
        ProxyProtocolConfig proxy = ProxyProtocolReader.read(tcp, ProxyProtocolConfig.OFF);
        Map<String, TcpServerConfig> servers = new LinkedHashMap<>();
        entries.forEach((name, server) -> servers.put(name, tcpServer(name, server, readBufSize, limits, proxy)));
        return new TcpConfig(servers, readBufSize, PoolReader.read(tcp.get("pool")), duration(tcp.get("shutdown_grace")));
    }

    private static TcpServerConfig tcpServer(String name, Node server, int defaultReadBufSize,
                                             ConnectionLimits defaultLimits, ProxyProtocolConfig defaultProxy) {
        if (!SERVER_NAME.matcher(name).matches()) {
            throw server.error("server name must consist of letters, digits, '.', '_' and '-', got \"" + name + "\"");
        }
        server.warnUnknownKeys(TCP_SERVER_KEYS);
        TcpServerConfig config = new TcpServerConfig(name, address(name, server.get("addr")),
                delimiter(server.get("delimiter")), readBufSize(server.get("read_buf_size"), defaultReadBufSize),
                ConnectionLimitsReader.read(server, defaultLimits), ProxyProtocolReader.forServer(server, defaultProxy),
                TlsConfigReader.read(server, server.file()), FramingReader.read(server));
        if (config.framing() instanceof Framing.Delimiter) {
            DelimiterBounds.check(server.get("delimiter"), name, config.delimiter(), config.readBufSize(),
                    config.limits().maxMessageSize());
        }
        return config;
    }

    private static ListenAddress address(String serverName, Node node) {
        if (node.isAbsent() || "".equals(node.value())) {
            throw node.error("empty address for the server: " + serverName);
        }
        if (!(node.value() instanceof String addr)) {
            throw node.error("must be a string like 127.0.0.1:7777, got " + node.shown());
        }
        try {
            return ListenAddress.parse(addr).requireResolvable();
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    private static byte[] delimiter(Node node) {
        if (node.isAbsent()) {
            return DEFAULT_DELIMITER;
        }
        if (!(node.value() instanceof String delimiter)) {
            throw node.error("delimiter must be a string, e.g. \"\\r\\n\", got " + node.shown());
        }
        if (delimiter.isEmpty()) {
            // Upstream falls back to CRLF; an explicit empty value is more likely a mistake than a wish for CRLF.
            throw node.error("delimiter must not be empty (leave the key out for the default \"\\r\\n\")");
        }
        return delimiter.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code read_buf_size} in bytes; absent or 0 means {@code inherited} (upstream: 0 ⇒ 1 MB). */
    private static int readBufSize(Node node, int inherited) {
        if (node.isAbsent()) {
            return inherited;
        }
        Long megabytes = node.weakInteger();
        if (megabytes == null || megabytes < 0 || megabytes > MAX_READ_BUF_MEGABYTES) {
            throw node.error("must be an integer number of megabytes from 1 to " + MAX_READ_BUF_MEGABYTES
                    + ", got " + node.shown());
        }
        return megabytes == 0 ? inherited : Math.toIntExact(megabytes * MEGABYTE);
    }

    /** A Go duration string, or a bare integer meaning nanoseconds (upstream quirk P5, kept but warned about). */
    static Duration duration(Node node) {
        if (node.isAbsent()) {
            return Duration.ZERO;
        }
        if (node.value() instanceof String text) {
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw node.error(e.getMessage());
            }
        }
        Long nanos = node.value() instanceof Number ? node.weakInteger() : null;
        if (nanos == null) {
            throw node.error("must be a duration like 500ms, 60s or 1h30m, got " + node.shown());
        }
        if (nanos < 0) {
            throw node.error("must not be negative, got " + nanos);
        }
        if (nanos > 0) {
            node.warn("bare number " + nanos + " is " + nanos + " nanoseconds; write " + nanos
                    + "s if you meant seconds");
        }
        return Duration.ofNanos(nanos);
    }

    /** The rpc section; present (even empty) enables RPC. Only tcp:// and unix:// DSNs can be dialled. */
    private static Optional<RpcConfig> rpc(Node rpc) {
        if (!rpc.isWritten()) {
            return Optional.empty();
        }
        rpc.warnUnknownKeys(RPC_KEYS);
        Node listen = rpc.get("listen");
        if (listen.isAbsent() || "".equals(listen.value())) {
            return Optional.of(new RpcConfig(DEFAULT_RPC_LISTEN));
        }
        if (!(listen.value() instanceof String dsn)) {
            throw listen.error("must be a string like " + DEFAULT_RPC_LISTEN + ", got " + listen.shown());
        }
        String[] parts = dsn.split("://", -1);
        boolean known = parts.length == 2 && (parts[0].equals("tcp") || parts[0].equals("unix")) && !parts[1].isEmpty();
        if (!known) {
            throw listen.error("invalid socket DSN (tcp://:6001, unix://file.sock), got " + listen.shown());
        }
        if (parts[0].equals("tcp")) {
            try {
                ListenAddress.parse(parts[1]);
            } catch (IllegalArgumentException e) {
                throw listen.error(e.getMessage());
            }
        }
        return Optional.of(new RpcConfig(dsn));
    }

    private static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException ignored -> "no such file";
            case AccessDeniedException ignored -> "permission denied";
            case CharacterCodingException ignored -> "not valid UTF-8 text";
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Set.copyOf(Stream.concat(a.stream(), b.stream()).toList());
    }
}
