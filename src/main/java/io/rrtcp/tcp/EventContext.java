package io.rrtcp.tcp;

import com.eclipsesource.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The context JSON of a connection's events, {@code {"remote_addr":…,"server":…,"uuid":…,"event":…}} in upstream's
 * field order. Only the DATA form is kept (it is sent for every message, so it is encoded once); CONNECTED and CLOSE,
 * sent once each, are derived from it when needed, so an idle connection holds a single small array.
 */
final class EventContext {
    private static final byte[] DATA_TAIL = "DATA\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_TAIL = ",\"event\":\"DATA\"}".getBytes(StandardCharsets.US_ASCII);

    private byte[] data;

    EventContext(String remoteAddr, String server, String uuid) {
        this(remoteAddr, server, uuid, null);
    }

    /**
     * @param proxyAddr the balancer that relayed the connection (PROXY protocol), added as {@code proxy_addr} before
     *                  {@code event}; null leaves the field out, so the context stays upstream's byte for byte
     */
    EventContext(String remoteAddr, String server, String uuid, String proxyAddr) {
        data = ("{\"remote_addr\":" + Json.value(remoteAddr) + ",\"server\":" + Json.value(server)
                + ",\"uuid\":" + Json.value(uuid)
                + (proxyAddr == null ? "" : ",\"proxy_addr\":" + Json.value(proxyAddr))
                + ",\"event\":\"DATA\"}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Adds {@code "tls":{…}} before {@code "event"} (which stays last); events from now on carry it. Called once, by
     * the connection's own thread, when TLS starts. The fields the published PHP library reads are unchanged.
     */
    void tls(Optional<TlsFacts> facts) {
        if (facts.isEmpty()) {
            return;
        }
        byte[] field = (",\"tls\":" + facts.get().toJson()).getBytes(StandardCharsets.UTF_8);
        int prefix = data.length - EVENT_TAIL.length;
        byte[] out = new byte[data.length + field.length];
        System.arraycopy(data, 0, out, 0, prefix);
        System.arraycopy(field, 0, out, prefix, field.length);
        System.arraycopy(EVENT_TAIL, 0, out, prefix + field.length, EVENT_TAIL.length);
        data = out;
    }

    byte[] of(TcpEvent event) {
        if (event == TcpEvent.DATA) {
            return data;
        }
        byte[] tail = (event.name() + "\"}").getBytes(StandardCharsets.US_ASCII);
        int prefix = data.length - DATA_TAIL.length;
        byte[] out = Arrays.copyOf(data, prefix + tail.length);
        System.arraycopy(tail, 0, out, prefix, tail.length);
        return out;
    }
}
