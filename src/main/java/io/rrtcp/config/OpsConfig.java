package io.rrtcp.config;

import java.util.Optional;

/**
 * What operators watch rr-tcp through: the {@code status} and {@code metrics} sections, each optional (absent: that
 * endpoint is not started, as upstream's plugins are off without their section).
 */
public record OpsConfig(Optional<StatusConfig> status, Optional<MetricsConfig> metrics) {
    public static final OpsConfig NONE = new OpsConfig(Optional.empty(), Optional.empty());
}
