package io.rrtcp.goridge;

import java.nio.charset.StandardCharsets;

/**
 * What travels in one worker request or reply: the context (event JSON going out, the verb coming back) and the body.
 * Arrays are handed over, not copied.
 */
public record Payload(byte[] context, Body data) {
    public Payload(byte[] context, byte[] body) {
        this(context, Body.of(body));
    }

    /** The body in one array (a copy only when it came in several chunks). */
    public byte[] body() {
        return data.toArray();
    }

    public String contextText() {
        return new String(context, StandardCharsets.UTF_8);
    }
}
