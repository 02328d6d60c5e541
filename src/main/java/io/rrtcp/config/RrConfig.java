package io.rrtcp.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The whole effective configuration of one rr-tcp process, as loaded from a RoadRunner-style YAML file.
 *
 * @param file     the file it was read from (named in every error message)
 * @param version  the mandatory {@code version} string
 * @param server   the {@code server} section
 * @param tcp      the {@code tcp} section
 * @param rpc      the {@code rpc} section, empty when the file has none
 * @param warnings non-fatal findings (unknown sections or keys), each naming the key, to be logged at start
 * @param logs     the {@code logs} section (defaults when absent)
 * @param reload   the {@code reload} section's tcp service, empty when the file does not ask for reloads
 */
public record RrConfig(Path file, String version, ServerConfig server, TcpConfig tcp,
                       Optional<RpcConfig> rpc, List<String> warnings, LogsConfig logs,
                       Optional<ReloadConfig> reload) {
    public RrConfig {
        warnings = List.copyOf(warnings);
    }

    /** Without a {@code reload} section. */
    public RrConfig(Path file, String version, ServerConfig server, TcpConfig tcp, Optional<RpcConfig> rpc,
                    List<String> warnings, LogsConfig logs) {
        this(file, version, server, tcp, rpc, warnings, logs, Optional.empty());
    }

    /** Without a {@code logs} section. */
    public RrConfig(Path file, String version, ServerConfig server, TcpConfig tcp, Optional<RpcConfig> rpc,
                    List<String> warnings) {
        this(file, version, server, tcp, rpc, warnings, LogsConfig.DEFAULT);
    }
}
