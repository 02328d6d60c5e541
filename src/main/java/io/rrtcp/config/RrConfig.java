package io.rrtcp.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * @param kv       the {@code kv} section: storage name to its driver config, empty when absent
 * @param reload   the {@code reload} section's tcp service, empty when the file does not ask for reloads
 * @param ops      the {@code status} and {@code metrics} sections
 */
public record RrConfig(Path file, String version, ServerConfig server, TcpConfig tcp,
                       Optional<RpcConfig> rpc, List<String> warnings, LogsConfig logs,
                       Map<String, KvStorageConfig> kv, Optional<ReloadConfig> reload, OpsConfig ops) {
    public RrConfig {
        warnings = List.copyOf(warnings);
        kv = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(kv));
    }

    /** Without {@code status} and {@code metrics} sections. */
    public RrConfig(Path file, String version, ServerConfig server, TcpConfig tcp, Optional<RpcConfig> rpc,
                    List<String> warnings, LogsConfig logs, Map<String, KvStorageConfig> kv,
                    Optional<ReloadConfig> reload) {
        this(file, version, server, tcp, rpc, warnings, logs, kv, reload, OpsConfig.NONE);
    }

    /** Without {@code kv} and {@code reload} sections. */
    public RrConfig(Path file, String version, ServerConfig server, TcpConfig tcp, Optional<RpcConfig> rpc,
                    List<String> warnings, LogsConfig logs) {
        this(file, version, server, tcp, rpc, warnings, logs, Map.of(), Optional.empty());
    }

    /** Without a {@code logs} section. */
    public RrConfig(Path file, String version, ServerConfig server, TcpConfig tcp, Optional<RpcConfig> rpc,
                    List<String> warnings) {
        this(file, version, server, tcp, rpc, warnings, LogsConfig.DEFAULT);
    }
}
