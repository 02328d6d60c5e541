package io.rrtcp.worker;

import java.nio.charset.StandardCharsets;

/**
 * What travels in one worker request or reply: the context (event JSON going out, the verb coming back) and the body.
 * Arrays are handed over, not copied.
 */
public record Payload(byte[] context, byte[] body) {
    public String contextText() {
        return new String(context, StandardCharsets.UTF_8);
    }
}
