package io.rrtcp.config;

import java.time.Duration;

/**
 * The {@code status} section: where {@code /health} and {@code /ready} answer, as upstream's status plugin.
 *
 * @param address               {@code host:port} of the HTTP endpoint
 * @param unavailableStatusCode the HTTP status of an unhealthy or unready answer ({@code unavailable_status_code})
 * @param checkTimeout          longest time one plugin's check may take before it counts as failed ({@code check_timeout})
 */
public record StatusConfig(ListenAddress address, int unavailableStatusCode, Duration checkTimeout) {
    public static final int DEFAULT_UNAVAILABLE_STATUS_CODE = 503;
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(60);
}
