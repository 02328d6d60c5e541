package io.rrtcp.tcp;

import java.io.IOException;

/** A client broke one of the connection limits; {@link #key()} is the config key that sets it. */
public class LimitExceededException extends IOException {
    private final String key;

    public LimitExceededException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The limit's config key, e.g. {@code idle_timeout}. */
    public String key() {
        return key;
    }
}
