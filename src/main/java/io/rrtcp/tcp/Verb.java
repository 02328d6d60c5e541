package io.rrtcp.tcp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** What a worker's reply asks rr-tcp to do with the connection; the reply's context, matched byte for byte. */
public enum Verb {
    /** Write the body, keep reading. */
    WRITE(true, true),
    /** Write nothing, keep reading. */
    CONTINUE(false, true),
    /** Write the body, then close. */
    WRITECLOSE(true, false),
    /** Close. */
    CLOSE(false, false),
    /** Anything else: closes, like CLOSE, with a warning (upstream closes silently). */
    UNKNOWN(false, false);

    private final boolean writes;
    private final boolean keepsOpen;
    private final byte[] bytes = name().getBytes(StandardCharsets.US_ASCII);

    Verb(boolean writes, boolean keepsOpen) {
        this.writes = writes;
        this.keepsOpen = keepsOpen;
    }

    public boolean writes() {
        return writes;
    }

    public boolean keepsOpen() {
        return keepsOpen;
    }

    /** The verb named by a reply context; case-sensitive, no trimming, as upstream. */
    public static Verb of(byte[] context) {
        for (Verb v : values()) {
            if (v != UNKNOWN && Arrays.equals(v.bytes, context)) {
                return v;
            }
        }
        return UNKNOWN;
    }
}
