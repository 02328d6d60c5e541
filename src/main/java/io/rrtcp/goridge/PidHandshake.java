package io.rrtcp.goridge;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonValue;

import java.nio.charset.StandardCharsets;

/**
 * The goridge pid exchange, one set of rules for pipes and the socket relay: rr-tcp sends {"pid":<its pid>} as a
 * CONTROL|JSON frame; the worker answers with a CONTROL frame whose JSON carries its own pid, an integer above 0.
 */
public final class PidHandshake {
    /** rr-tcp's pid request: the same bytes for the handshake and for the marker after a CLOSE event. */
    public static final byte[] REQUEST = FrameCodec.encode(Frame.of(Frame.CONTROL | Frame.CODEC_JSON,
            ("{\"pid\":" + ProcessHandle.current().pid() + "}").getBytes(StandardCharsets.US_ASCII)));
    /** Longest pid reply accepted. */
    public static final int MAX_REPLY = 4096;

    private PidHandshake() {
    }

    /** The pid a worker reported, or a {@link FrameException} saying what is wrong with its reply. */
    public static long pidOf(Frame reply) throws FrameException {
        if (reply == null) {
            throw new FrameException("closed before the pid reply");
        }
        if (!reply.has(Frame.CONTROL)) {
            throw new FrameException("unexpected response, header is missing, no CONTROL flag");
        }
        String text = new String(reply.payload(), StandardCharsets.UTF_8);
        JsonValue pid;
        try {
            pid = Json.parse(text).asObject().get("pid");
        } catch (RuntimeException e) {
            throw new FrameException("pid reply is not a JSON object: " + text);
        }
        if (pid == null || !pid.isNumber()) {
            throw new FrameException("pid reply has no integer pid: " + text);
        }
        long value = pid.asLong();
        if (value <= 0) {
            throw new FrameException("pid should be greater than 0, got " + value);
        }
        return value;
    }
}
