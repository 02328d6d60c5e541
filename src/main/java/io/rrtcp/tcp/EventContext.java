package io.rrtcp.tcp;

import com.eclipsesource.json.Json;

import java.nio.charset.StandardCharsets;

/**
 * The context JSON of a connection's events, {@code {"remote_addr":…,"server":…,"uuid":…,"event":…}} in upstream's
 * field order. It never changes during a connection's life, so each event's bytes are encoded once.
 */
final class EventContext {
    private final byte[] connected;
    private final byte[] data;
    private final byte[] close;

    EventContext(String remoteAddr, String server, String uuid) {
        String prefix = "{\"remote_addr\":" + Json.value(remoteAddr) + ",\"server\":" + Json.value(server)
                + ",\"uuid\":" + Json.value(uuid) + ",\"event\":\"";
        connected = encode(prefix, TcpEvent.CONNECTED);
        data = encode(prefix, TcpEvent.DATA);
        close = encode(prefix, TcpEvent.CLOSE);
    }

    private static byte[] encode(String prefix, TcpEvent event) {
        return (prefix + event.name() + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    byte[] of(TcpEvent event) {
        return switch (event) {
            case CONNECTED -> connected;
            case DATA -> data;
            case CLOSE -> close;
        };
    }
}
