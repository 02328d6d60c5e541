package io.rrtcp.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code metrics} section: where Prometheus scrapes {@code /metrics}, and the application collectors declared up
 * front ({@code metrics.collect}), as upstream's metrics plugin.
 *
 * @param address {@code host:port} of the HTTP endpoint (default {@code 127.0.0.1:2112})
 * @param collect collector name to its declaration, in file order
 */
public record MetricsConfig(ListenAddress address, Map<String, CollectorConfig> collect) {
    public static final String DEFAULT_ADDRESS = "127.0.0.1:2112";

    public MetricsConfig {
        collect = Collections.unmodifiableMap(new LinkedHashMap<>(collect));
    }
}
