package io.rrtcp.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@code server} section: the worker command, its environment and identity, the relay, on_init. */
final class ServerReader {
    private static final Set<String> SERVER_KEYS =
            Set.of("command", "env", "relay", "relay_timeout", "on_init", "user", "group");
    private static final Set<String> ON_INIT_KEYS = Set.of("command", "exec_timeout", "env", "exit_on_error", "user");
    private static final String RELAY_DSN_HELP = "invalid DSN (tcp://:6001, unix://file.sock)";

    private ServerReader() {
    }

    static ServerConfig read(Node server) {
        server.warnUnknownKeys(SERVER_KEYS);
        Node commandNode = server.get("command");
        List<String> command = command(commandNode);
        if (command.isEmpty()) {
            throw commandNode.error("command should not be empty");
        }
        Node relayTimeout = server.get("relay_timeout");
        return new ServerConfig(command, env(server.get("env")), relay(server.get("relay")),
                orDefault(ConfigLoader.duration(relayTimeout), ServerConfig.DEFAULT_RELAY_TIMEOUT), onInit(server.get("on_init")),
                ServerEnvironment.name(server.get("user")), ServerEnvironment.name(server.get("group")), Map.of());
    }

    /** {@code server.relay}: pipes (default), tcp://host:port or unix://path. */
    private static RelayConfig relay(Node node) {
        if (node.isAbsent() || "".equals(node.value())) {
            return RelayConfig.PIPES;
        }
        if (!(node.value() instanceof String dsn)) {
            throw node.error(RELAY_DSN_HELP + ", got " + node.shown());
        }
        if (dsn.equals("pipes")) {
            return RelayConfig.PIPES;
        }
        String[] parts = dsn.split("://", 2);
        if (parts.length != 2 || parts[1].isEmpty()) {
            throw node.error(RELAY_DSN_HELP + ", got " + node.shown());
        }
        return switch (parts[0]) {
            case "unix" -> new RelayConfig(RelayConfig.Type.UNIX, "", 0, parts[1]);
            case "tcp" -> tcpRelay(node, parts[1]);
            default -> throw node.error(RELAY_DSN_HELP + ", got " + node.shown());
        };
    }

    private static RelayConfig tcpRelay(Node node, String hostPort) {
        ListenAddress addr;
        try {
            addr = ListenAddress.parse(hostPort);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
        if (addr.host().isEmpty()) {
            throw node.error("a tcp relay needs a host, e.g. tcp://127.0.0.1:6002 (PHP workers cannot dial "
                    + node.shown() + ")");
        }
        return new RelayConfig(RelayConfig.Type.TCP, addr.host(), addr.port(), "");
    }

    /** {@code server.on_init}, when present: its command is required. */
    private static Optional<OnInitConfig> onInit(Node node) {
        if (!node.isWritten()) {
            return Optional.empty();
        }
        node.warnUnknownKeys(ON_INIT_KEYS);
        Node commandNode = node.get("command");
        List<String> command = command(commandNode);
        if (command.isEmpty()) {
            throw commandNode.error("command should not be empty");
        }
        if (node.get("user").isWritten()) {
            node.get("user").warn("running on_init as another user is not supported by rr-tcp (ignored)");
        }
        return Optional.of(new OnInitConfig(command,
                orDefault(ConfigLoader.duration(node.get("exec_timeout")), PoolConfig.DEFAULT_TIMEOUT),
                env(node.get("env")), bool(node.get("exit_on_error"), true)));
    }

    static boolean bool(Node node, boolean absent) {
        if (node.isAbsent()) {
            return absent;
        }
        Boolean value = node.weakBoolean();
        if (value == null) {
            throw node.error("must be true or false, got " + node.shown());
        }
        return value;
    }

    static Duration orDefault(Duration value, Duration fallback) {
        return value.isZero() ? fallback : value;
    }

    /** A command as argv: a string split like a shell would, or a list used as is; empty when absent or blank. */
    static List<String> command(Node node) {
        if (node.isAbsent()) {
            return List.of();
        }
        List<String> argv;
        if (node.isList()) {
            argv = node.items().stream().map(ServerReader::argument).toList();
        } else if (node.isScalar()) {
            try {
                argv = ShellWords.split(node.scalarText());
            } catch (IllegalArgumentException e) {
                throw node.error(e.getMessage());
            }
        } else {
            throw node.error("must be a string or a list of strings, got " + node.shown());
        }
        // An empty program name cannot be started; treat it like no command at all.
        return argv.isEmpty() || argv.getFirst().isBlank() ? List.of() : argv;
    }

    private static String argument(Node item) {
        if (!item.isScalar()) {
            throw item.error("must be a string, got " + item.shown());
        }
        return item.scalarText();
    }

    /** {@code server.env} as a map, or as a list of maps merged in order (upstream accepts both). */
    private static Map<String, String> env(Node node) {
        Map<String, String> env = new LinkedHashMap<>();
        List<Node> maps = node.isList() ? node.items() : List.of(node);
        for (Node map : maps) {
            if (!map.isAbsent() && !map.isMap()) {
                throw map.error("must be a map of NAME: value, or a list of such maps, got " + map.shown());
            }
            map.upperCaseEntries().forEach((name, value) -> env.put(name, envValue(value)));
        }
        return env;
    }

    private static String envValue(Node value) {
        if (value.isAbsent()) {
            return "";
        }
        if (!value.isScalar()) {
            throw value.error("must be a string, got " + value.shown());
        }
        return value.scalarText();
    }
}
